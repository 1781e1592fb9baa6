"""Seeded langdetect, loaded on first use: chunk detection and sentence labelling.

langdetect samples n-grams at random; our own `DetectorFactory` with a fixed seed makes
every answer the same across runs and processes, without touching langdetect's global
factory. `likeliest` picks among a few known candidates with the exact likelihood of all
of a sentence's n-grams under langdetect's profiles: no sampling, and ten times faster.
Results are cached: chains of thought repeat sentences.
"""

from __future__ import annotations

import functools
import math
import threading
from typing import Any

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


@functools.lru_cache(maxsize=8192)
def _likeliest(text: str, candidates: tuple[str, ...]) -> str | None:
    made = factory()
    detector = made.create()
    detector.append(text)
    detector.cleaning_text()
    grams = detector._extract_ngrams()  # langdetect's n-grams (1 to 3 characters)
    if not grams:
        return None
    columns = [i for i, code in enumerate(made.get_lang_list())
               if normalize_code(code) in candidates]
    totals = dict.fromkeys(columns, 0.0)
    table = made.word_lang_prob_map
    for gram in grams:
        probabilities = table[gram]
        for i in columns:
            totals[i] += math.log(probabilities[i] + _SMOOTHING)
    best = max(columns, key=lambda i: (totals[i], -i))
    return normalize_code(made.get_lang_list()[best])


def likeliest(text: str, candidates: set[str] | frozenset[str]) -> str | None:
    """The candidate (ISO 639-1) whose profile best explains `text`; None if nothing to go on."""
    return _likeliest(text, tuple(sorted(candidates)))
