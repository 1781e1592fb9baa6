"""One rich table builder for every command's summary (score, bench, train, sample, ...)."""

from __future__ import annotations

import io

from rich.console import Console
from rich.text import Text

from rewardkit.cli.output import number, table


def rendered(built) -> str:
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(built)
    return console.export_text()


def test_number_writes_three_decimals_a_sign_on_request_and_a_dash_for_none():
    assert (number(0.5), number(-2.0), number(0.25, sign=True), number(None)) == (
        "0.500", "-2.000", "+0.250", "-")


def test_cells_are_numbers_text_or_str_and_the_total_row_is_bold():
    built = table(["name", "mean", "n", "ok"], [["a", 0.5, 3, True], ["total", None, 4, ""]],
                  "title here")
    assert [c.header for c in built.columns] == ["name", "mean", "n", "ok"]
    assert all(c.overflow == "fold" for c in built.columns)
    text = rendered(built)
    assert "title here" in text and "0.500" in text and "True" in text
    total = built.columns[0]._cells[1]
    assert isinstance(total, Text) and total.plain == "total" and total.style == "bold"
    assert built.columns[1]._cells[1] == "-"


def test_a_text_cell_keeps_its_style():
    cell = Text("failed", style="red")
    assert table(["status"], [[cell]]).columns[0]._cells[0] is cell

