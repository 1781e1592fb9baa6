"""langdetect, loaded on first use: its seeded detector, and exact likelihoods on its profiles.

Word-level evidence joins the n-grams: a word on a language's list of common words
(`common_words`) adds `COMMON_WORD_BONUS` nats to that language's likelihood, so short
text is decided by its function words ("I am quite sure of it") before its letters.

`detect` is langdetect's own detector (it samples n-grams at random); our own
`DetectorFactory` with a fixed seed makes its answers the same across runs and processes,
without touching langdetect's global factory. `rank` (texts) and `segment` (word by word)
use the exact likelihood of all n-grams under the same profiles instead: no sampling,
deterministic by construction, and several times faster. Results are cached.
"""

from __future__ import annotations

import functools
import threading
from typing import Any

from rewardkit_language.common_words import bonus_table, lookup_key
from rewardkit_language.languages import normalize_code

SEED = 0
_lock = threading.Lock()
_factory: Any = None


def factory() -> Any:
    """The seeded detector factory (profiles loaded once per process)."""
    global _factory
    with _lock:
        if _factory is None:
            from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

            made = DetectorFactory()
            made.load_profile(PROFILES_DIRECTORY)
            made.set_seed(SEED)
            _factory = made
    return _factory


@functools.lru_cache(maxsize=8192)
def _detect(text: str, prior: tuple[tuple[str, float], ...]) -> tuple[tuple[str, float], ...]:
    from langdetect.lang_detect_exception import LangDetectException

    detector = factory().create()
    if prior:  # languages left out get a prior of zero: they are never the answer
        weights = dict(prior)
        detector.set_prior_map({code: weights[normalize_code(code)]
                                for code in factory().get_lang_list()
                                if normalize_code(code) in weights})
    detector.append(text)
    try:
        found = detector.get_probabilities()
    except LangDetectException:  # no features: nothing detectable
        return ()
    merged: dict[str, float] = {}
    for language in found:
        code = normalize_code(language.lang)
        merged[code] = merged.get(code, 0.0) + language.prob
    return tuple(sorted(merged.items(), key=lambda item: -item[1]))


def detect(text: str, prior: dict[str, float] | None = None) -> dict[str, float]:
    """Language probabilities of `text` (ISO 639-1 codes), most likely first; {} if none.

    `prior` weighs the candidate languages (ISO 639-1); languages it leaves out are ruled out.
    """
    return dict(_detect(text, tuple(sorted((prior or {}).items()))))


_SMOOTHING = 0.5 / 10000  # langdetect's own: alpha / BASE_FREQ


@functools.lru_cache(maxsize=65536)
def _log_row(gram: str) -> Any:
    """log(P(gram | language) + smoothing) for every language, as a numpy row."""
    import numpy as np

    return np.log(np.asarray(factory().word_lang_prob_map[gram]) + _SMOOTHING)


@functools.lru_cache(maxsize=8192)
def _rank(text: str, prior: tuple[tuple[str, float], ...]) -> tuple[str, ...]:
    import numpy as np

    made = factory()
    detector = made.create()
    detector.append(text)
    detector.cleaning_text()
    grams = detector._extract_ngrams()  # langdetect's n-grams (1 to 3 characters)
    if not grams:
        return ()
    weights = dict(prior)
    codes = [normalize_code(code) for code in made.get_lang_list()]
    columns = [i for i, code in enumerate(codes) if code in weights]
    likelihood = np.vstack([_log_row(gram) for gram in grams])[:, columns].sum(0)
    likelihood += sum((_bonus(word) for word in text.split()), np.zeros(len(codes)))[columns]
    likelihood += np.log([weights[codes[i]] for i in columns])
    ranked: list[str] = []
    for i in np.argsort(-likelihood, kind="stable"):
        if codes[columns[i]] not in ranked:
            ranked.append(codes[columns[i]])
    return tuple(ranked)


def rank(text: str, prior: dict[str, float]) -> tuple[str, ...]:
    """`prior`'s languages (ISO 639-1), likeliest first, by the exact likelihood of all of
    `text`'s n-grams under langdetect's profiles times the prior; () if nothing to go on."""
    return _rank(text, tuple(sorted(prior.items())))


@functools.lru_cache(maxsize=1)
def _codes() -> tuple[str, ...]:
    """The profiles' languages as ISO 639-1 codes, in the profiles' column order."""
    return tuple(normalize_code(code) for code in factory().get_lang_list())


def _bonus(word: str) -> Any:
    """The common-word bonus of `word` for every profile (0.0 where it is not common)."""
    import numpy as np

    row = bonus_table(_codes()).get(lookup_key(word))
    return row if row is not None else np.zeros(len(_codes()))


@functools.lru_cache(maxsize=65536)
def _word_row(word: str) -> Any:
    """The log-likelihood of a word (its n-grams, spaces around it) under every profile,
    plus the common-word bonus."""
    import numpy as np

    padded = f" {word} "
    table = factory().word_lang_prob_map
    grams = [padded[i:i + n] for n in (1, 2, 3) for i in range(len(padded) - n + 1)]
    rows = [_log_row(g) for g in grams if g != " " and g in table]
    ngrams = np.vstack(rows).sum(0) if rows else np.zeros(len(factory().get_lang_list()))
    return ngrams + _bonus(word)


def segment(words: list[str], candidates: list[str], switch_cost: float,
            prior: dict[str, float] | None = None) -> list[str]:
    """The likeliest language of every word, paying `switch_cost` (nats) per language change.

    Viterbi over the words: each word's emission is the likelihood of its n-grams (with the
    spaces around it) under each candidate's profile, times the candidate's `prior`.
    """
    import numpy as np

    codes = [normalize_code(code) for code in factory().get_lang_list()]
    columns = [codes.index(c) for c in candidates]
    emissions = np.vstack([_word_row(word) for word in words])[:, columns]
    if prior:
        emissions = emissions + np.log([prior[c] for c in candidates])
    change = switch_cost * (1 - np.eye(len(columns)))
    score = emissions[0].copy()
    back = np.zeros((len(words), len(columns)), dtype=int)
    for t in range(1, len(words)):
        options = score[:, None] - change
        back[t] = options.argmax(0)
        score = options.max(0) + emissions[t]
    path = [int(score.argmax())]
    for t in range(len(words) - 1, 0, -1):
        path.append(int(back[t][path[-1]]))
    return [candidates[i] for i in reversed(path)]
