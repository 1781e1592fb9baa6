"""The share of words in a target language: script counting first, chunked detection after."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from rewardkit_language.detect import detect, rank, segment
from rewardkit_language.languages import (
    SCRIPT_LANGUAGE,
    SCRIPTS_OF,
    SHARED_SCRIPTS,
    script_prior,
)
from rewardkit_language.text import Word, mask, words


@dataclass
class Purity:
    """Words in the target language, all counted words, and words per language (or script)."""

    target: int = 0
    total: int = 0
    languages: Counter[str] = field(default_factory=Counter)

    @property
    def value(self) -> float | None:
        return self.target / self.total if self.total else None


def _counted(found: list[Word], target_scripts: set[str]) -> list[Word]:
    """Drop single Latin letters when the target is not written in Latin (they are variables)."""
    if "Latin" in target_scripts:
        return found
    return [w for w in found if not (w.script == "Latin" and len(w.text) == 1)]


def _script_label(word: Word, kana_sentences: set[int]) -> str:
    """The language a word's script alone reveals, or the script's name."""
    if word.script == "Han":  # kanji next to kana is Japanese, alone it is Chinese
        return "ja" if word.sentence in kana_sentences else "zh"
    return SCRIPT_LANGUAGE.get(word.script, word.script)


def _sentences(found: list[Word]) -> list[list[Word]]:
    by_sentence: dict[int, list[Word]] = {}
    for word in found:
        by_sentence.setdefault(word.sentence, []).append(word)
    return list(by_sentence.values())


def chunks(found: list[Word], chunk_words: int) -> list[list[Word]]:
    """Sentences merged in order until each chunk has at least `chunk_words` words."""
    grouped: list[list[Word]] = []
    for sentence in _sentences(found):
        if grouped and len(grouped[-1]) < chunk_words:
            grouped[-1].extend(sentence)
        else:
            grouped.append(list(sentence))
    if len(grouped) > 1 and len(grouped[-1]) < chunk_words:  # a short tail joins the chunk before
        grouped[-2].extend(grouped.pop())
    return grouped


# Viterbi switch costs in nats (log-likelihood): labelling among the languages found pays
# SWITCH_COST per change; discovery among all of a script's languages pays DISCOVERY_COST
# and needs a run of DISCOVERY_RUN words, so one odd word never adds a language.
SWITCH_COST = 12.0
DISCOVERY_COST = 12.0
DISCOVERY_RUN = 2
# Short text (fewer than chunk_words words of the shared script) carries little evidence:
# the target's prior weighs this much against 1.0 for each other common language, so a
# foreign sentence needs about one common word of its own to win (tuned on the dev split
# of the short-text set in benchmarks/data/language/; flat from 30 to 100).
SHORT_TARGET_PRIOR = 30.0


def _text(found: list[Word]) -> str:
    return " ".join(w.text for w in found)


def _discover(merged: list[list[Word]], prior: dict[str, float]) -> set[str]:
    """Languages that the text holds: each chunk's likeliest, and any language that wins a
    run of words inside a chunk (a foreign term in a target sentence)."""
    found = {ranked[0] for ranked in (rank(_text(chunk), prior) for chunk in merged) if ranked}
    everyone = sorted(prior)
    for chunk in merged:
        run_lang, run = None, 0
        for lang in segment([w.text for w in chunk], everyone, DISCOVERY_COST, prior):
            run = run + 1 if lang == run_lang else 1
            run_lang = lang
            if run >= DISCOVERY_RUN:
                found.add(lang)
    return found


def _label_shared(shared: list[Word], target: str, chunk_words: int) -> list[tuple[str, int]]:
    """(language, words) for words of a script several languages share.

    Pass 1 finds which languages the text holds, on chunks of at least `chunk_words` words
    (text shorter than that is one chunk, with the target favoured by SHORT_TARGET_PRIOR).
    When that is the target alone, every word is the target's. Otherwise pass 2 labels
    every word with the likeliest of those few languages, paying a cost for each change
    of language inside a sentence (Viterbi), so one odd word does not flip.
    """
    weight = SHORT_TARGET_PRIOR if len(shared) < chunk_words else 1.0
    prior = script_prior(shared[0].script, favoured=target, favoured_weight=weight)
    merged = chunks(shared, chunk_words)
    present = sorted(_discover(merged, prior) | {target})
    if len(present) == 1:
        return [(target, len(shared))]
    labels: list[tuple[str, int]] = []
    for chunk in merged:
        for sentence in _sentences(chunk):
            labels.extend((lang, 1) for lang in segment(
                [w.text for w in sentence], present, SWITCH_COST))
    return labels


def purity(text: str, target: str, chunk_words: int = 6, keep_prose_code: bool = True) -> Purity:
    """Count `text`'s words in `target` and in other languages."""
    target_scripts = SCRIPTS_OF[target]
    found = _counted(words(mask(text, keep_prose_code)), target_scripts)
    kana_sentences = {w.sentence for w in found if w.script == "Kana"}
    result = Purity()
    shared = []
    for word in found:
        if word.script in target_scripts and word.script in SHARED_SCRIPTS:
            shared.append(word)
            continue
        label = _script_label(word, kana_sentences)
        result.total += 1
        result.languages[label] += 1
        result.target += label == target
    for label, count in _label_shared(shared, target, chunk_words) if shared else []:
        result.total += count
        result.languages[label] += count
        result.target += count if label == target else 0
    return result


def detect_language(text: str) -> str | None:
    """The language of `text` (a prompt): its main script, then a detector if it is shared."""
    found = words(mask(text))
    if not found:
        return None
    scripts = Counter(w.script for w in found)
    if scripts["Kana"]:
        return "ja"
    script = scripts.most_common(1)[0][0]
    if script not in SHARED_SCRIPTS:
        return SCRIPT_LANGUAGE.get(script)
    same = [w for w in found if w.script == script]
    return next(iter(detect(_text(same), script_prior(script))), None)
