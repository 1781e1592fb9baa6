"""Reading what users write in YAML: files (rubrics, train configs, judge templates) and
command-line values (``--param k=v``, ``--gen k=v``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rewardkit.errors import ConfigError


def load_yaml(path: str | Path, what: str) -> Any:
    """Parse a YAML (or JSON) file, raising `ConfigError` that names `what` and the file."""
    import yaml

    path = Path(path)
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read {what} {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{what} {path} is not UTF-8 text: {exc.reason}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: invalid YAML: {exc}") from None


def parse_value(text: str) -> Any:
    """A command-line value as a YAML scalar; text that is not valid YAML stays a string."""
    import yaml

    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError:
        return text
    if isinstance(value, (dict, list)) and not text.startswith(("[", "{")):
        return text  # e.g. "a: b" is meant as text, not a mapping
    return value
