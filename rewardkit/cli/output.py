"""Shared terminal output for CLI commands: consoles, failures, JSON, progress bars.

The consoles read no markup: every string prints as written (an error that says
``pip install 'rewardkit[train]'`` keeps its brackets). Style with `styled` (a rich
`Text`), never with ``[bold]...[/]`` in a string.
"""

from __future__ import annotations

import enum
import json
import sys
from contextlib import contextmanager
from typing import Any, Iterable, Iterator, NoReturn, Sequence

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

console = Console(markup=False)
err_console = Console(stderr=True, markup=False)
# optional dependencies -> the extra that installs them
EXTRA_OF = {"torch": "train", "transformers": "train", "trl": "train", "datasets": "train",
            "accelerate": "train", "matplotlib": "bench", "ray": "ray", "fastapi": "serve",
            "uvicorn": "serve", "httpx": "serve"}


class ExecutorKind(str, enum.Enum):
    """``--executor``'s choices (typer checks them): the kinds of `ExecutorConfig`, kept
    here so the CLI starts without importing the executors (a test pins they agree)."""

    local = "local"
    ray = "ray"


def executor_option(help: str = "Where CPU-bound rewards run: local or ray (overrides the "
                    "rubric's executor).") -> Any:
    """The ``--executor`` option every command shares: its choices come from `ExecutorKind`."""
    return typer.Option(None, "--executor", help=help, case_sensitive=False)


def styled(*parts: str | tuple[str, str]) -> Text:
    """Text from plain strings and (string, style) pairs; no markup is read."""
    return Text.assemble(*parts)


def fail(message: str, code: int = 2) -> NoReturn:
    """Print a one-line reason to stderr and exit with `code`."""
    err_console.print(styled(("error:", "bold red"), " ", message), soft_wrap=True)
    raise typer.Exit(code)


def missing_extra(exc: ModuleNotFoundError, command: str) -> NoReturn:
    """Fail naming the extra that installs the missing module; re-raise an unknown one."""
    top = (exc.name or "").split(".")[0]
    if top not in EXTRA_OF:
        raise exc
    extra = EXTRA_OF[top]
    fail(f"rewardkit {command} needs the '{extra}' extra ({top} is not installed): "
         f"pip install 'rewardkit[{extra}]'")


@contextmanager
def needs_extras(command: str) -> Iterator[None]:
    """A missing optional dependency becomes one line naming the extra, not a traceback."""
    try:
        yield
    except ModuleNotFoundError as exc:
        missing_extra(exc, command)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")


def progress(enabled: bool = True) -> Progress:
    """A progress bar on stderr (hidden when `enabled` is False, e.g. with --json)."""
    return Progress(TextColumn("{task.description}", style="bold", markup=False), BarColumn(),
                    MofNCompleteColumn(),
                    TimeElapsedColumn(), console=err_console, disable=not enabled,
                    transient=False)


def number(value: float | None, sign: bool = False) -> str:
    """A number for a table cell: 3 decimals (with its sign when `sign`), None as ``-``."""
    if value is None:
        return "-"
    return f"{value:+.3f}" if sign else f"{value:.3f}"


def table(columns: Sequence[str], rows: Iterable[Sequence[Any]], title: str | None = None) -> Any:
    """The rich table every command prints: one header per column, wide cells folded.

    A float or None cell is written by `number`, any other by ``str`` (a rich `Text`
    stays as it is); a row whose first cell is ``total`` is the bold sum row.
    """
    from rich.table import Table

    out = Table(title=title)
    for name in columns:
        out.add_column(name, overflow="fold")
    for row in rows:
        cells: list[Any] = [c if isinstance(c, Text) else number(c) if c is None or isinstance(
            c, float) else str(c) for c in row]
        if cells and cells[0] == "total":
            cells[0] = Text("total", style="bold")
        out.add_row(*cells)
    return out
