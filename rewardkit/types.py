"""The two values every reward speaks: a `Sample` to score and the `Score` it gets."""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, field
from typing import Any, Collection, Iterator, Mapping, Sequence, Union

from rewardkit.errors import InputError
from rewardkit.messages import assistant_turns, joined_text, message_text

Message = Mapping[str, Any]
Text = Union[str, Sequence[Message]]


class Status(str, enum.Enum):
    """How a score came about. Only `ok` carries a value a trainer should trust."""

    OK = "ok"
    NOT_APPLICABLE = "not_applicable"  # the reward does not apply (no code, no tests, ...)
    UNVERIFIABLE = "unverifiable"  # the verifier could not decide (unparsable gold, bad verdict)
    ERROR = "error"  # the reward raised or returned garbage
    TIMEOUT = "timeout"  # the reward ran past its wall-clock budget

    def __str__(self) -> str:
        return self.value


SAMPLE_FIELDS = ("prompt", "completion", "reference")


def is_text(value: Any) -> bool:
    """Whether `value` is plain text or a list of chat messages (mappings with a
    ``content``), the two shapes a prompt or completion may take in a file or request."""
    if isinstance(value, str):
        return True
    return isinstance(value, list) and all(isinstance(m, Mapping) and "content" in m
                                           for m in value)


MISSING_MARKERS = frozenset({"", "nan", "none", "null", "<na>", "nat"})


def is_missing(value: Any) -> bool:
    """Whether a dataset value stands for "no value" rather than for itself.

    None, NaN (how pandas stores a missing cell; numpy and pandas scalars included),
    pandas' ``NA``/``NaT``, and text that is blank or one of the markers pandas and
    datasets write for a missing value when a column is cast to text: ``nan``, ``None``,
    ``null``, ``<NA>``, ``NaT`` (any case). Such a reference is never compared as text;
    a list of references where every one is missing counts as missing too.
    """
    if value is None:
        return True
    if isinstance(value, str):
        text = value.strip()
        return not text or (len(text) < 5 and text.lower() in MISSING_MARKERS)
    if isinstance(value, float):
        return math.isnan(value)
    kind = type(value)
    if kind.__name__ in ("NAType", "NaTType"):
        return True
    if kind.__module__ == "numpy" and getattr(value, "ndim", None) == 0:
        try:
            return math.isnan(value)  # numpy floating scalars (float32, float16, ...)
        except (TypeError, ValueError):
            return False
    return False


@dataclass(frozen=True, slots=True)
class Sample:
    """One prompt/completion pair to score.

    `prompt` and `completion` are plain text or chat messages (`[{"role", "content"}]`).
    `reference` holds whatever the reward checks against (gold answer, tests, rubric);
    `metadata` holds the other dataset columns. `scores` holds the scores of the rubric
    criteria listed before the one being computed (empty outside a rubric).

    A missing reference (`is_missing`: None, NaN, blank, "nan", "None", ...) is stored as
    ``None``, so every reward sees one spelling of "no label" and none compares "nan" as
    an answer.
    """

    completion: Text
    prompt: Text = ""
    reference: Any = None
    metadata: Mapping[str, Any] = field(default_factory=dict)
    scores: Mapping[str, "Score"] = field(default_factory=dict)

    def __post_init__(self) -> None:
        reference = self.reference
        if reference is not None and (is_missing(reference) or (
                type(reference) in (list, tuple) and reference
                and all(is_missing(r) for r in reference))):
            object.__setattr__(self, "reference", None)

    @property
    def completion_text(self) -> str:
        """The completion as text; for chat messages, the assistant turns joined, each with
        its ``reasoning_content`` back in a ``<think>`` block and its tool calls in
        ``<tool_call>`` blocks (`rewardkit.messages`)."""
        if isinstance(self.completion, str):
            return self.completion
        return joined_text(assistant_turns(self.completion))

    @property
    def final_text(self) -> str:
        """The last assistant turn as text (the whole completion when it is text).

        In a tool-calling completion (assistant, tool, ..., assistant) this is the turn
        that carries the final answer.
        """
        if isinstance(self.completion, str):
            return self.completion
        turns = assistant_turns(self.completion)
        return message_text(turns[-1]) if turns else ""

    @property
    def prompt_text(self) -> str:
        """The prompt as text; for chat messages, every turn's content joined."""
        if isinstance(self.prompt, str):
            return self.prompt
        return joined_text(list(self.prompt))

    def with_scores(self, scores: Mapping[str, "Score"]) -> "Sample":
        return Sample(self.completion, self.prompt, self.reference, self.metadata, scores)

    def to_dict(self) -> dict[str, Any]:
        return {
            "prompt": self.prompt,
            "completion": self.completion,
            "reference": self.reference,
            "metadata": dict(self.metadata),
            "scores": {k: v.to_dict() for k, v in self.scores.items()},
        }


def sample_from_mapping(data: Mapping[str, Any], where: str = "", *,
                        ignore: Collection[str] = (),
                        error: type[Exception] = InputError) -> Sample:
    """A `Sample` from a mapping such as a JSON line or a dataset row.

    ``completion`` (required), ``prompt`` and ``reference`` become the sample's fields;
    the keys of a ``metadata`` mapping and every other key (but those in `ignore`) its
    metadata, ``metadata``'s keys winning. A problem raises `error`, its message
    starting with `where` (e.g. ``line 3``).

    >>> sample_from_mapping({"completion": "4", "reference": "4", "source": "gsm8k"}).metadata
    {'source': 'gsm8k'}
    """
    prefix = f"{where}: " if where else ""
    if "completion" not in data:
        raise error(f"{prefix}missing 'completion' (fields: {', '.join(sorted(data)) or 'none'})"
                    "; every sample needs a 'completion': text or a list of chat messages")
    for key in ("completion", "prompt"):
        if key in data and not is_text(data[key]):
            raise error(f"{prefix}'{key}' must be text or a list of chat messages "
                        f"({{\"role\", \"content\"}}), got {type(data[key]).__name__}")
    extra = data.get("metadata") or {}
    if not isinstance(extra, Mapping):
        raise error(f"{prefix}'metadata' must be an object, got {type(extra).__name__}")
    skip = {*SAMPLE_FIELDS, "metadata", *ignore}
    metadata = {**{k: v for k, v in data.items() if k not in skip}, **extra}
    return Sample(data["completion"], data.get("prompt", ""), data.get("reference"), metadata)


@dataclass(frozen=True, slots=True)
class Score:
    """A reward's verdict on one sample.

    `value` is `None` whenever the status is not `ok`: a broken or timed-out verifier is
    reported and counted, never silently scored as wrong. `info` carries what explains the
    value (extracted answer, reason, per-test outcomes, per-step values, ...).
    """

    value: float | None
    status: Status = Status.OK
    info: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:  # hot path: convert only what needs converting
        status = self.status
        if type(status) is not Status:
            status = Status(status)
            object.__setattr__(self, "status", status)
        value = self.value
        if value is not None:
            if type(value) is not float:
                value = float(value)
                object.__setattr__(self, "value", value)
            if math.isnan(value):
                raise ValueError("a Score value must not be NaN; use value=None with a status")
        elif status is Status.OK:
            raise ValueError(
                "Score(value=None) needs a status other than 'ok' "
                "(not_applicable, unverifiable, error or timeout)"
            )

    @property
    def ok(self) -> bool:
        return self.status is Status.OK

    @classmethod
    def not_applicable(cls, reason: str, **info: Any) -> "Score":
        return cls(None, Status.NOT_APPLICABLE, {"reason": reason, **info})

    @classmethod
    def unverifiable(cls, reason: str, **info: Any) -> "Score":
        return cls(None, Status.UNVERIFIABLE, {"reason": reason, **info})

    @classmethod
    def error(cls, reason: str, **info: Any) -> "Score":
        return cls(None, Status.ERROR, {"reason": reason, **info})

    @classmethod
    def timeout(cls, seconds: float, **info: Any) -> "Score":
        return cls(None, Status.TIMEOUT, {"reason": f"timed out after {seconds:g} s", **info})

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "status": self.status.value, "info": dict(self.info)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Score":
        return cls(data.get("value"), Status(data.get("status", "ok")), data.get("info") or {})


class ScoresView(Mapping[str, Score]):
    """A read-only live view of the scores computed so far for one sample.

    The rubric hands each sample one view; later criteria see earlier criteria's scores
    as they are added. Pickles as a plain dict (for worker processes).
    """

    __slots__ = ("_scores",)

    def __init__(self, scores: dict[str, Score]) -> None:
        self._scores = scores

    def __getitem__(self, key: str) -> Score:
        return self._scores[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._scores)

    def __len__(self) -> int:
        return len(self._scores)

    def __reduce__(self) -> tuple[Any, ...]:
        return (dict, (dict(self._scores),))

    def __repr__(self) -> str:
        return f"ScoresView({self._scores!r})"
