"""`rewardkit plugins`: what is installed, what each plugin provides, and what failed."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    @app.command("plugins")
    def plugins(
        all_: bool = typer.Option(False, "--all", help="Also list built-in and disabled plugins."),
        failed: bool = typer.Option(False, "--failed", help="Only plugins that failed to load; "
                                    "exits 1 when there is one."),
        verbose: bool = typer.Option(False, "--verbose", "-v", help="Show each failure's "
                                     "traceback."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON (tracebacks included)."),
    ) -> None:
        """List installed plugins with their version, status and what they provide."""
        from rich.text import Text

        from rewardkit.cli.output import console, print_json, table
        from rewardkit.plugins import get_host

        records = get_host().plugins()
        if failed:
            records = [r for r in records if r.status == "failed"]
        elif not all_:
            records = [r for r in records if not r.builtin and r.status != "disabled"]
        if as_json:
            print_json([r.to_dict() for r in records])
        else:
            colours = {"loaded": "green", "failed": "red", "disabled": "yellow"}
            rows = []
            for r in records:
                provides = "; ".join(f"{k}: {', '.join(v)}" for k, v in r.provides.items() if v)
                problem = f"{r.error}. Fix: {r.remedy}" if r.error else (r.warning or "")
                rows.append([r.name, r.distribution or "", r.version or "",
                             Text(r.status, style=colours.get(r.status, "white")), provides,
                             problem])
            columns = ["plugin", "distribution", "version", "status", "provides", "problem"]
            console.print(table(columns, rows) if records else "no plugins found")
            for r in records if verbose else []:
                if r.traceback:
                    console.rule(f"{r.name}: traceback")
                    console.print(r.traceback, highlight=False, soft_wrap=True)
        if failed and records:
            raise typer.Exit(1)
