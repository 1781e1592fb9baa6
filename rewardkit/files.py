"""Reading what users write: text and YAML files (rubrics, train configs, judge templates,
case files) and command-line values (``--param k=v``, ``--gen k=v``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rewardkit.errors import ConfigError


def read_text(path: str | Path, what: str, error: type[Exception] = ConfigError) -> str:
    """The UTF-8 text of a file; `error` says ``cannot read WHAT PATH: why`` otherwise."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        why = "the file does not exist"
    except IsADirectoryError:
        why = "it is a directory, not a file"
    except OSError as exc:
        why = str(exc.strerror or exc)
    except UnicodeDecodeError as exc:
        why = f"it is not UTF-8 text ({exc.reason}); re-encode it as UTF-8"
    raise error(f"cannot read {what} {path}: {why}")


def load_yaml(path: str | Path, what: str) -> Any:
    """Parse a YAML (or JSON) file, raising `ConfigError` that names `what` and the file."""
    import yaml

    text = read_text(path, what)
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"cannot read {what} {path}: invalid YAML: {exc}") from None


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


def parse_assignment(text: str, flag: str, example: str = "name=value") -> tuple[str, Any]:
    """One command-line ``key=value`` as ``(key, value)``.

    The key is stripped; the value is `parse_value` of the text after the first ``=``
    (so ``x=a: b`` gives the text ``"a: b"``), or ``""`` when nothing follows it. A
    `ConfigError` names `flag` and shows `example` when there is no ``=`` or no key.
    """
    key, sep, raw = text.partition("=")
    if not sep or not key.strip():
        raise ConfigError(f"{flag}: {text!r} is not key=value (write e.g. {example})")
    raw = raw.strip()
    return key.strip(), parse_value(raw) if raw else ""
