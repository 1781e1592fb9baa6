"""The `rewardkit` command line. Plugins are loaded only for commands the core lacks."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    from rewardkit.cli.app import build_app

    args = sys.argv[1:] if argv is None else argv
    app = build_app(args)
    app(args=args, prog_name="rewardkit")
