"""The `language_purity` reward: parameters, which part of the completion, and the score."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from pydantic import Field, field_validator

from rewardkit import Reward, RewardParams, Sample, Score, extract
from rewardkit_language.languages import check_code
from rewardkit_language.purity import detect_language, purity


class LanguageParams(RewardParams):
    """What to check and against which language.

    target           ISO 639-1 code ('zh', not 'zh-cn'); None: from `target_column`, else
                     detected from the prompt (its last user turn for chat prompts)
    target_column    metadata key (dataset column) holding each sample's target code
    part             "think": the think block (or, with a prefilled template, the text before
                     ``</think>``); "answer": the answer block(s); "whole": the completion
    think_tag        the think block's tag name
    answer_tag       the answer block's tag name
    chunk_words      sentences are merged into chunks of at least this many words before a
                     detector sees them (short text fools langdetect)
    min_words        fewer countable words than this: not applicable
    keep_prose_code  prose written inside backticks or fences still counts (code never does)
    """

    target: str | None = None
    target_column: str | None = None
    part: Literal["think", "answer", "whole"] = "think"
    think_tag: str = "think"
    answer_tag: str = "answer"
    chunk_words: int = Field(6, ge=1, le=200)
    min_words: int = Field(1, ge=1)
    keep_prose_code: bool = True

    @field_validator("target")
    @classmethod
    def _iso_code(cls, target: str | None) -> str | None:
        return None if target is None else check_code(target)


def select_part(text: str, part: str, think_tag: str, answer_tag: str) -> str | None:
    """The text to check, or None when the completion has no such part."""
    if part == "whole":
        return text
    if part == "answer":
        blocks = extract.tag_blocks(text, answer_tag)
        return "\n".join(blocks) if blocks else None
    blocks = extract.tag_blocks(text, think_tag)
    if blocks:
        return "\n".join(blocks)
    opening, closing = f"<{think_tag}>", f"</{think_tag}>"
    if closing in text:  # the template opened the block in the prompt
        return text.split(closing, 1)[0]
    if opening in text:  # cut off while thinking
        return text.split(opening, 1)[1]
    return None


def _last_user_turn(prompt: str | Sequence[Mapping[str, object]]) -> str:
    if isinstance(prompt, str):
        return prompt
    users = [m for m in prompt if m.get("role") == "user"]
    chosen = users[-1:] or list(prompt)
    return Sample("", prompt=list(chosen)).prompt_text


def _target(sample: Sample, params: LanguageParams) -> tuple[str, str] | Score:
    """(target, where it came from), or the Score saying why there is none."""
    if params.target:
        return params.target, "params"
    if params.target_column:
        value = sample.metadata.get(params.target_column)
        if value is not None:
            try:
                return check_code(str(value)), "metadata"
            except ValueError as exc:
                return Score.unverifiable(
                    f"metadata '{params.target_column}' holds {value!r}: {exc}")
    detected = detect_language(_last_user_turn(sample.prompt))
    if detected is None:
        return Score.not_applicable("no target language: the prompt has no detectable text; "
                                    "set target to an ISO 639-1 code")
    return detected, "prompt"


class LanguagePurity(Reward):
    """Language purity: the share of chain-of-thought words in the target language (R1)."""

    name = "language_purity"
    Params = LanguageParams
    version = "1"
    cpu_bound = True  # ~0.1 ms per word: long chains of thought score in parallel workers
    timeout = 60.0

    def score_one(self, sample: Sample) -> Score:
        params: LanguageParams = self.params
        text = select_part(sample.completion_text, params.part, params.think_tag,
                           params.answer_tag)
        if text is None:
            tag = params.think_tag if params.part == "think" else params.answer_tag
            return Score.not_applicable(
                f"the completion has no <{tag}> block to check (set part: whole to check "
                "all of it)")
        found = _target(sample, params)
        if isinstance(found, Score):
            return found
        target, source = found
        counted = purity(text, target, params.chunk_words, params.keep_prose_code)
        info = {"target": target, "target_from": source, "words": counted.total,
                "languages": dict(counted.languages.most_common())}
        if counted.total < params.min_words or counted.value is None:
            reason = (f"only {counted.total} countable words in the {params.part} (min_words "
                      f"is {params.min_words}); code, math, numbers and URLs do not count")
            return Score.not_applicable(reason, **info)
        return Score(counted.value, info=info)
