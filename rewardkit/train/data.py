"""Training data: a local file or a `datasets` name, mapped to `prompt` / `reference`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rewardkit.errors import ConfigError
from rewardkit.train.config import DatasetConfig

_FORMATS = {".jsonl": "json", ".json": "json", ".parquet": "parquet", ".csv": "csv"}


def read_rows(config: DatasetConfig, where: str = "dataset") -> Any:
    """The raw `datasets.Dataset` named by `config` (no column mapping yet)."""
    import datasets

    datasets.disable_progress_bars()
    if config.path is not None:
        path = Path(config.path)
        builder = _FORMATS.get(path.suffix.lower())
        if builder is None:
            raise ConfigError(f"{where}.path: {path} has an unknown extension; use one of "
                              f"{', '.join(_FORMATS)} or 'name' for a datasets name")
        if not path.is_file():
            raise ConfigError(f"{where}.path: no such file: {path}")
        try:
            return datasets.load_dataset(builder, data_files=str(path), split="train")
        except Exception as exc:  # noqa: BLE001 - any parse failure is the file's fault
            raise ConfigError(f"{where}.path: cannot read {path}: {exc}") from None
    try:
        return datasets.load_dataset(config.name, config.subset, split=config.split)
    except Exception as exc:  # noqa: BLE001 - missing name, split, network: say which
        raise ConfigError(f"{where}.name: cannot load dataset {config.name!r} "
                          f"(subset={config.subset!r}, split={config.split!r}): {exc}") from None


def _check_column(rows: Any, column: str, key: str, where: str) -> None:
    if column not in rows.column_names:
        raise ConfigError(f"{where}.columns.{key}: column {column!r} is not in the data "
                          f"(columns: {', '.join(rows.column_names)})")


def reference_column(names: list[str], setting: str | None) -> str | None:
    """The column that holds the reference (see `Columns.reference`), or None."""
    if setting != "auto":
        return setting
    from rewardkit.trl import REFERENCE_COLUMNS

    return next((name for name in REFERENCE_COLUMNS if name in names), None)


def _chat(prompt: Any, system_prompt: str | None) -> list[dict[str, str]]:
    if isinstance(prompt, list):
        return prompt
    messages = [{"role": "system", "content": system_prompt}] if system_prompt else []
    return [*messages, {"role": "user", "content": str(prompt)}]


def use_chat(config: DatasetConfig, tokenizer: Any) -> bool:
    """Whether prompts become chat messages (``auto``: when the tokenizer has a template)."""
    if config.chat_template == "auto":
        return bool(getattr(tokenizer, "chat_template", None))
    if config.chat_template == "always" and not getattr(tokenizer, "chat_template", None):
        raise ConfigError("dataset.chat_template: 'always' but the model's tokenizer has no "
                          "chat template; use 'never' or 'auto'")
    return config.chat_template == "always"


def load_prompts(config: DatasetConfig, where: str = "dataset", *,
                 with_completion: bool = False) -> Any:
    """Rows with `prompt` (and `reference` / `completion`) columns; others are kept as is."""
    rows = read_rows(config, where)
    cols = config.columns
    _check_column(rows, cols.prompt, "prompt", where)
    renames = {cols.prompt: "prompt"}
    reference = reference_column(rows.column_names, cols.reference)
    if reference is not None:
        _check_column(rows, reference, "reference", where)
        renames[reference] = "reference"
    if with_completion:
        _check_column(rows, cols.completion, "completion", where)
        renames[cols.completion] = "completion"
    renames = {old: new for old, new in renames.items() if old != new}
    clashes = [new for new in renames.values() if new in rows.column_names]
    if clashes:
        rows = rows.remove_columns(clashes)
    rows = rows.rename_columns(renames) if renames else rows
    if config.limit is not None:
        rows = rows.select(range(min(config.limit, len(rows))))
    if len(rows) == 0:
        raise ConfigError(f"{where}: the data has no rows")
    return rows


def apply_chat(rows: Any, config: DatasetConfig, tokenizer: Any,
               with_completion: bool = False) -> Any:
    """Turn text prompts (and completions) into chat messages when the model uses them."""
    if not use_chat(config, tokenizer):
        if config.system_prompt:
            return rows.map(lambda r: {"prompt": f"{config.system_prompt}\n{r['prompt']}"})
        return rows

    def convert(row: dict[str, Any]) -> dict[str, Any]:
        out = {"prompt": _chat(row["prompt"], config.system_prompt)}
        if with_completion and isinstance(row["completion"], str):
            out["completion"] = [{"role": "assistant", "content": row["completion"]}]
        return out

    return rows.map(convert)
