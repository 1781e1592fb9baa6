"""Rewards that read another criterion's score, checked when the rubric is built.

A criterion sees only the scores of the criteria listed before it (`Sample.scores`). A
reward parameter that names such a criterion is declared with `CriterionName`:

>>> from rewardkit import CriterionName, Sample, per_sample
>>> @per_sample
... def doubled(sample, source: CriterionName = "math"):
...     return 2 * sample.scores[source].value

and `check_order` rejects a rubric where `source` names a criterion listed later, or none,
instead of letting every row fail at scoring time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from pydantic import BaseModel, Field

from rewardkit.errors import ConfigError

_MARK = "rewardkit_reads_criterion"
CriterionName = Annotated[str, Field(json_schema_extra={_MARK: True},
                                     description="the name of an earlier rubric criterion")]


def criteria_read(reward: Any) -> dict[str, str]:
    """``{parameter: criterion name}`` for each `CriterionName` parameter of `reward`."""
    params = getattr(reward, "params", None)
    if not isinstance(params, BaseModel):
        return {}
    found = {}
    for key, info in type(params).model_fields.items():
        extra = info.json_schema_extra
        value = getattr(params, key, None)
        if isinstance(extra, dict) and extra.get(_MARK) and isinstance(value, str):
            found[key] = value
    return found


def check_order(criteria: Sequence[Any]) -> None:
    """Raise `ConfigError` when a criterion reads a criterion that is not listed before it."""
    names = [c.name for c in criteria]
    for index, crit in enumerate(criteria):
        for param, source in criteria_read(crit.reward).items():
            if source in names[:index]:
                continue
            if source in names:
                where = f"which is listed after it: list '{source}' before '{crit.name}'"
            else:
                earlier = ", ".join(names[:index]) or "none"
                where = (f"which is not in the rubric: set '{param}' to a criterion listed "
                         f"before it (earlier criteria: {earlier})")
            raise ConfigError(f"criterion '{crit.name}' reads the score of criterion "
                              f"'{source}' (its parameter '{param}'), {where}")
