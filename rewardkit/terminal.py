"""Terminal output for commands that plugins add (``register_commands``): public API.

The same consoles and helpers rewardkit's own commands use, so a plugin's command prints,
fails and emits JSON exactly like the built-in ones:

  console, err_console   rich consoles on stdout / stderr
  fail(message, code)    print the reason on stderr and exit with `code`
  print_json(data)       machine-readable output (``--json``)
"""

from rewardkit.cli.output import console, err_console, fail, print_json, progress

__all__ = ["console", "err_console", "fail", "print_json", "progress"]
