"""Which rewards a bench run compares, and with which parameters.

A REWARD argument is one of

* a name: ``math``, ``shaping:overlong``, ``package.module:function``;
* a name with parameters: ``NAME:key=value,key2=value2``. The parameters start after the
  last ``:`` that comes before the first ``=``, so qualified names keep working:
  ``shaping:overlong:max_length=100,unit=words``. Values are YAML scalars
  (``3`` is an int, ``0.5`` a float, ``true`` a bool, anything else a string);
* a YAML file (``*.yaml`` / ``*.yml``) holding one reward or a list of them::

      - reward: math
        label: math-whole        # optional; the column name in the results
        params: {answer_from: whole}

Parameters, lowest precedence first: ``--param`` (every reward), the reward's own
(``NAME:k=v`` or YAML), a case's ``params`` field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from pydantic import BaseModel, ConfigDict, Field

from rewardkit.errors import ConfigError
from rewardkit.files import load_yaml, parse_assignment
from rewardkit.validation import validate_config


@dataclass(frozen=True)
class RewardSpec:
    """One column of a bench run: a reward name, its parameters, and a display label."""

    label: str
    name: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def with_defaults(self, defaults: Mapping[str, Any]) -> "RewardSpec":
        return RewardSpec(self.label, self.name, {**defaults, **self.params})


class _SpecFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reward: str = Field(min_length=1)
    label: str | None = None
    params: dict[str, Any] = Field(default_factory=dict)


def parse_pairs(text: str, what: str) -> dict[str, Any]:
    """``k=v,k2=v2`` (or a single ``k=v``) as a dict; `what` names the source in errors."""
    example = "'answer_from=whole'; use a YAML reward file for values with commas"
    return dict(parse_assignment(pair, what, example) for pair in text.split(","))


def parse_spec(text: str) -> list[RewardSpec]:
    """Parse one REWARD argument (see the module docstring) into one or more specs."""
    text = text.strip()
    if not text:
        raise ConfigError("empty reward name: pass a registered reward such as 'math'")
    if text.endswith((".yaml", ".yml")):
        return load_spec_file(Path(text))
    if "=" not in text:
        return [RewardSpec(text, text)]
    cut = text[:text.index("=")].rfind(":")
    if cut <= 0:
        raise ConfigError(f"reward '{text}': put parameters after the name, as "
                          "NAME:key=value,key2=value2 (e.g. 'math:answer_from=whole')")
    name = text[:cut]
    return [RewardSpec(text, name, parse_pairs(text[cut + 1:], f"reward '{name}'"))]


def load_spec_file(path: Path) -> list[RewardSpec]:
    """Rewards from a YAML file: one ``{reward, label?, params?}`` mapping or a list."""
    data = load_yaml(path, "reward file")
    entries = data if isinstance(data, list) else [data]
    specs = []
    for number, entry in enumerate(entries, start=1):
        item = validate_config(_SpecFile, entry, f"reward file '{path}', entry {number}")
        specs.append(RewardSpec(item.label or item.reward, item.reward, item.params))
    return specs


def parse_specs(rewards: list[str], params: list[str] | None = None) -> list[RewardSpec]:
    """All REWARD arguments plus the global ``--param k=v`` options, labels made unique."""
    defaults: dict[str, Any] = {}
    for option in params or []:
        defaults.update(parse_pairs(option, "--param"))
    specs = [spec.with_defaults(defaults) for text in rewards for spec in parse_spec(text)]
    if not specs:
        raise ConfigError("no reward given: pass at least one reward name, e.g. 'math'")
    seen: dict[str, int] = {}
    unique = []
    for spec in specs:
        seen[spec.label] = seen.get(spec.label, 0) + 1
        label = spec.label if seen[spec.label] == 1 else f"{spec.label}#{seen[spec.label]}"
        unique.append(RewardSpec(label, spec.name, spec.params))
    return unique
