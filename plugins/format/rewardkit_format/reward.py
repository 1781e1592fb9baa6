"""The `format` reward: the tag-schema policy (`FormatParams`) and the rules it checks."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from typing import Literal

from pydantic import field_validator

from rewardkit import Reward, RewardParams, Sample, Score
from rewardkit.messages import REASONING_KEYS, assistant_turns
from rewardkit_format.parse import Parsed, parse

_NAME = re.compile(r"[A-Za-z][\w.-]*")


class FormatParams(RewardParams):
    """The tag schema and the policy for everything around it.

    tags            the blocks the completion must contain, each exactly once
    ordered         the blocks must appear in the order of `tags`
    outside_text    "forbid": only whitespace outside the blocks; "allow": any text
    non_empty       every block must hold something besides whitespace (and invisible
                    characters such as zero-width spaces)
    mode            "strict": 1.0 when every rule holds, else 0.0;
                    "partial": the fraction of rules that hold
    case_sensitive  True: ``<Answer>`` is a malformed tag; False: it counts as ``<answer>``
    attributes      "reject": ``<answer type="x">`` is a malformed tag; "allow": it opens a block
    prefill         text the prompt ends with that the completion continues (e.g. "<think>\\n"
                    when the chat template opens the think block); prepended before checking
    truncated_key   metadata key whose true value marks a completion cut off by the length
                    limit (None: only an unclosed tag shows truncation)
    """

    tags: tuple[str, ...] = ("think", "answer")
    ordered: bool = True
    outside_text: Literal["forbid", "allow"] = "forbid"
    non_empty: bool = True
    mode: Literal["strict", "partial"] = "strict"
    case_sensitive: bool = True
    attributes: Literal["reject", "allow"] = "reject"
    prefill: str = ""
    truncated_key: str | None = "truncated"

    @field_validator("tags")
    @classmethod
    def _check_tags(cls, tags: tuple[str, ...]) -> tuple[str, ...]:
        if not tags:
            raise ValueError("name at least one tag, e.g. tags: [think, answer]")
        for tag in tags:
            if not _NAME.fullmatch(tag):
                raise ValueError(f"'{tag}' is not a tag name: give bare names like 'answer', "
                                 "without angle brackets (letters, digits, '_', '-', '.')")
        folded = Counter(t.lower() for t in tags)
        twice = [t for t, n in folded.items() if n > 1]
        if twice:
            raise ValueError(f"tag '{twice[0]}' is listed more than once (tag names are "
                             "compared case-insensitively)")
        return tags


Rule = Callable[[Parsed, FormatParams, Sample], "str | None"]  # None: holds; else why not


def _complete(parsed: Parsed, params: FormatParams, sample: Sample) -> str | None:
    if parsed.unclosed:
        return f"<{parsed.unclosed}> is never closed (truncated completion?)"
    if params.truncated_key and sample.metadata.get(params.truncated_key):
        return f"the completion was truncated (metadata '{params.truncated_key}' is true)"
    return None


def _well_formed(parsed: Parsed, params: FormatParams, sample: Sample) -> str | None:
    problems = parsed.malformed + parsed.misplaced
    if not problems:
        return None
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return f"bad tag: {problems[0]}{more}"


def _counts(parsed: Parsed) -> Counter[str]:
    return Counter(block.tag for block in parsed.blocks)


def _present(parsed: Parsed, params: FormatParams, sample: Sample) -> str | None:
    missing = [t for t in params.tags if not _counts(parsed)[t]]
    return f"missing <{'>, <'.join(missing)}> block" if missing else None


def _once(parsed: Parsed, params: FormatParams, sample: Sample) -> str | None:
    counts = _counts(parsed)
    wrong = [f"<{t}> {counts[t]} times" for t in params.tags if counts[t] != 1]
    return f"each block must appear exactly once; found {', '.join(wrong)}" if wrong else None


def _order(parsed: Parsed, params: FormatParams, sample: Sample) -> str | None:
    seen = [block.tag for block in parsed.blocks]
    if seen == list(params.tags):
        return None
    shown = " ".join(f"<{t}>" for t in seen) or "no blocks"
    return f"blocks must be {' then '.join(f'<{t}>' for t in params.tags)}; found {shown}"


def _blank(text: str) -> bool:
    """Only whitespace and invisible format characters (zero-width spaces, BOMs, ...)."""
    return all(c.isspace() or unicodedata.category(c) == "Cf" for c in text)


def _non_empty(parsed: Parsed, params: FormatParams, sample: Sample) -> str | None:
    counts = _counts(parsed)
    empty = [t for t in params.tags if not counts[t]]
    empty += sorted({b.tag for b in parsed.blocks if _blank(b.content)})
    return f"<{'>, <'.join(empty)}> is empty or missing" if empty else None


def _outside(parsed: Parsed, params: FormatParams, sample: Sample) -> str | None:
    if _blank(parsed.outside):
        return None
    snippet = parsed.outside[:40].replace("\x00", "`").replace("\n", " ")
    return f"text outside the tags: {snippet!r}"


def rules(params: FormatParams) -> dict[str, Rule]:
    """The rules this policy checks, by name, in the order they are reported."""
    chosen: dict[str, Rule] = {"complete": _complete, "well_formed": _well_formed,
                               "present": _present, "once": _once}
    if params.ordered:
        chosen["order"] = _order
    if params.non_empty:
        chosen["non_empty"] = _non_empty
    if params.outside_text == "forbid":
        chosen["outside_text"] = _outside
    return chosen


class FormatReward(Reward):
    """Tag-schema format check: <think>…</think> then <answer>…</answer>, strict or partial."""

    name = "format"
    Params = FormatParams
    version = "1"

    def score_one(self, sample: Sample) -> Score:
        params: FormatParams = self.params
        text = sample.final_text
        reasoned = _reasoning_field(sample)
        if not reasoned:  # a parsed think block already holds what the prompt opened
            text = params.prefill + text
        parsed = parse(text, list(params.tags), case_sensitive=params.case_sensitive,
                       allow_attributes=params.attributes == "allow")
        verdicts = {name: rule(parsed, params, sample) for name, rule in rules(params).items()}
        failed = {name: why for name, why in verdicts.items() if why is not None}
        passed = len(verdicts) - len(failed)
        value = passed / len(verdicts) if params.mode == "partial" else float(not failed)
        info: dict[str, object] = {"rules": {n: n not in failed for n in verdicts},
                                   "failed": list(failed)}
        if failed:
            info["reason"] = "; ".join(failed.values())
        if reasoned:
            info["reasoning_from"] = reasoned
        if isinstance(sample.completion, list) and len(assistant_turns(sample.completion)) > 1:
            info["checked"] = "the last assistant turn"
        return Score(value, info=info)


def _reasoning_field(sample: Sample) -> str | None:
    """The message key the last turn's reasoning came in (TRL's `parse_response` puts the
    think block in ``reasoning_content``), or None for text and unparsed messages."""
    if isinstance(sample.completion, str):
        return None
    turns = assistant_turns(sample.completion)
    if not turns:
        return None
    return next((k for k in REASONING_KEYS if isinstance(turns[-1].get(k), str)), None)
