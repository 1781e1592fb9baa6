"""`rewardkit sandbox build | check | run`: the sandbox's command line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from rich.text import Text

from rewardkit.terminal import console, err_console, fail, print_json

sandbox_app = typer.Typer(help="Build, check and use the Docker code sandbox.",
                          no_args_is_help=True)

SMOKE = "a, b = map(int, input().split())\nprint(a + b)\n"
FORK_BOMB = "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n"


def _client() -> Any:
    from rewardkit_sandbox import SandboxError, docker_client

    try:
        return docker_client()
    except SandboxError as exc:
        fail(str(exc))


@sandbox_app.command()
def build(method: str = typer.Option("debootstrap", help="debootstrap (no registry needed) "
                                     "or dockerfile (needs debian:bookworm-slim)."),
          mirror: str = typer.Option(None, help="Debian mirror for debootstrap."),
          force: bool = typer.Option(False, help="Rebuild even when the image is current.")
          ) -> None:
    """Build the sandbox image (reused when its definition is unchanged)."""
    from rewardkit_sandbox import ImageError, build_image

    client = _client()
    try:
        tag = build_image(client, method=method, mirror=mirror, force=force,
                          log=lambda msg: err_console.print(Text(msg, style="dim")))
    except (ImageError, ValueError) as exc:
        fail(str(exc))
    console.print(tag)


@sandbox_app.command()
def check(as_json: bool = typer.Option(False, "--json", help="Print the checks as JSON.")
          ) -> None:
    """Check the daemon, the image, a smoke program, and that a fork bomb is contained."""
    from rewardkit_sandbox import ImageError, Limits, SandboxPool, ensure_image, image_tag

    checks: list[dict[str, Any]] = []

    def record(name: str, ok: bool, detail: str) -> bool:
        checks.append({"check": name, "ok": ok, "detail": detail})
        return ok

    client = _client()
    record("daemon", True, f"Docker {client.version().get('Version', '?')}")
    try:
        ensure_image(client)
        image_ok = record("image", True, image_tag())
    except ImageError as exc:
        image_ok = record("image", False, str(exc))
    if image_ok:
        with SandboxPool(size=1, client=client, limits=Limits(test_timeout=2.0)) as pool:
            smoke = pool.run(SMOKE, {"tests": [{"input": "2 3\n", "output": "5\n"}]})
            record("smoke program", smoke.pass_rate == 1.0, smoke.results[0].status.value)
            bomb = pool.run(FORK_BOMB, {"tests": [{"input": "", "output": ""}]})
            after = pool.run(SMOKE, {"tests": [{"input": "1 1\n", "output": "2\n"}]})
            record("fork bomb contained", bomb.results[0].status.value != "pass"
                   and after.pass_rate == 1.0,
                   f"bomb: {bomb.results[0].status.value}; next program: "
                   f"{after.results[0].status.value}")
    if as_json:
        print_json(checks)
    else:
        for c in checks:
            mark = ("ok".rjust(6), "green") if c["ok"] else ("FAILED", "red")
            console.print(Text.assemble(mark, f"  {c['check']}: {c['detail']}"),
                          highlight=False)
    if not all(c["ok"] for c in checks):
        raise typer.Exit(1)


@sandbox_app.command()
def run(program: Path = typer.Argument(..., help="The program's source file."),
        tests: Path = typer.Option(..., "--tests", help="Tests JSON: {language, tests: [...]}"),
        as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
        timeout: float = typer.Option(5.0, help="Wall-clock seconds per test."),
        memory_mb: int = typer.Option(512, help="Memory limit of the container (MiB).")
        ) -> None:
    """Run PROGRAM against TESTS in a sandbox; exit 1 when a test does not pass."""
    from rewardkit_sandbox import Limits, SandboxError, SandboxPool, SpecError, TestSuite

    try:
        source = program.read_text()
    except OSError as exc:
        fail(f"cannot read program {program}: {exc.strerror}")
    try:
        suite = TestSuite.load(tests)
    except SpecError as exc:
        fail(str(exc))
    try:
        with SandboxPool(size=1, limits=Limits(test_timeout=timeout, memory_mb=memory_mb),
                         client=_client()) as pool:
            result = pool.run(source, suite)
    except SandboxError as exc:
        fail(str(exc))
    if as_json:
        print_json(result.to_dict())
    else:
        from rich.table import Table

        table = Table("test", "status", "seconds", "detail")
        for i, r in enumerate(result.results):
            color = "green" if r.passed else "red"
            table.add_row(str(i), Text(r.status.value, style=color), f"{r.seconds:.3f}",
                          (r.detail + (" | " + r.stderr.strip()[-200:] if r.stderr.strip()
                                       and not r.passed else "")))
        console.print(table)
        if result.compile_output.strip():
            console.print(Text.assemble(("compiler output", "bold"), "\n",
                                        result.compile_output), highlight=False)
        console.print(f"passed {result.passed}/{len(result.results)} "
                      f"({result.pass_rate:.0%}) in {result.seconds:.2f} s")
    if result.passed != len(result.results):
        raise typer.Exit(1)
