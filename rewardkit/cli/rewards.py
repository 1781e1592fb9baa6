"""`rewardkit rewards`: every registered reward with its owner and one-line docs."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    @app.command("rewards")
    def rewards(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
        """List the rewards installed plugins provide (use `plugin:name` when ambiguous)."""
        from rewardkit.cli.output import console, print_json
        from rewardkit.plugins import get_host

        host = get_host()
        entries = host.registered("rewards")
        counts: dict[str, int] = {}
        for e in entries:
            counts[e.name] = counts.get(e.name, 0) + 1
        rows = [{"name": e.name, "qualified": e.qualified, "plugin": e.plugin,
                 "version": host.records[e.plugin].version, "ambiguous": counts[e.name] > 1,
                 "doc": e.doc} for e in sorted(entries, key=lambda e: e.qualified)]
        if as_json:
            print_json(rows)
            return
        from rich.table import Table

        table = Table("reward", "plugin", "version", "description")
        for row in rows:
            name = row["qualified"] if row["ambiguous"] else row["name"]
            table.add_row(str(name), str(row["plugin"]), str(row["version"] or ""), str(row["doc"]))
        console.print(table if rows else "no rewards installed: `pip install` a plugin")
