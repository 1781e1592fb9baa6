"""Reading the YAML files users write (rubrics, train configs, judge templates)."""

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
