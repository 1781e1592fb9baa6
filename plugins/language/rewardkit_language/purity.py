"""The share of words in a target language: script counting first, chunked detection after."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from rewardkit_language.detect import detect, rank
from rewardkit_language.languages import (
    SCRIPT_LANGUAGE, SCRIPTS_OF, SHARED_SCRIPTS, script_prior,
)
from rewardkit_language.text import Word, mask, words


@dataclass
class Purity:
    """Words in the target language, all counted words, and words per language (or script)."""

    target: float = 0.0
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


def chunks(found: list[Word], chunk_words: int) -> list[list[Word]]:
    """Sentences merged in order until each chunk has at least `chunk_words` words."""
    by_sentence: dict[int, list[Word]] = {}
    for word in found:
        by_sentence.setdefault(word.sentence, []).append(word)
    grouped: list[list[Word]] = []
    for sentence in by_sentence.values():
        if grouped and len(grouped[-1]) < chunk_words:
            grouped[-1].extend(sentence)
        else:
            grouped.append(list(sentence))
    if len(grouped) > 1 and len(grouped[-1]) < chunk_words:  # a short tail joins the chunk before
        grouped[-2].extend(grouped.pop())
    return grouped


def _text(found: list[Word]) -> str:
    return " ".join(w.text for w in found)


def _sentences(chunk: list[Word]) -> list[list[Word]]:
    by_sentence: dict[int, list[Word]] = {}
    for word in chunk:
        by_sentence.setdefault(word.sentence, []).append(word)
    return list(by_sentence.values())


def _label_shared(shared: list[Word], target: str, chunk_words: int) -> list[tuple[str, int]]:
    """(language, words) for words of a script several languages share.

    Pass 1 ranks the script's languages on chunks of at least `chunk_words` words to learn
    which languages the text holds. When that is the target alone, every word is the
    target's. Otherwise pass 2 labels each sentence with the likeliest of those few
    languages (reliable even for short sentences once the choice is narrow).
    """
    prior = script_prior(shared[0].script, favoured=target)
    merged = chunks(shared, chunk_words)
    found = [rank(_text(chunk), prior) for chunk in merged]
    present = {target} | {ranked[0] for ranked in found if ranked}
    labels = []
    for chunk, ranked in zip(merged, found):
        if not ranked:
            continue  # nothing a detector can use: counts for neither side
        if len(present) == 1:
            labels.append((target, len(chunk)))
            continue
        choice = dict.fromkeys(present, 1.0)
        for sentence in _sentences(chunk):
            best = rank(_text(sentence), choice)
            if best:
                labels.append((best[0], len(sentence)))
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
