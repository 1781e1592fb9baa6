"""`rewardkit serve`: a rubric as an HTTP reward service (native, OpenRLHF, verl)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from rewardkit.cli.output import ExecutorKind, executor_option

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        rubric: Path = typer.Option(..., "--rubric", "-r", help="Rubric YAML file."),
        host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on "
                                 "(0.0.0.0: every interface; set --token then)."),
        port: int = typer.Option(8000, "--port", "-p", min=0, max=65535, help="TCP port."),
        workers: Optional[int] = typer.Option(None, "--workers", "-w", min=1,
                                              help="Worker processes for CPU-bound rewards "
                                              "(default: the rubric's, else one per CPU)."),
        token: Optional[str] = typer.Option(None, "--token", envvar="REWARDKIT_TOKEN",
                                            help="Bearer token the scoring endpoints require "
                                            "(or set REWARDKIT_TOKEN)."),
        open_paths: list[str] = typer.Option([], "--open-path", help="A scoring endpoint "
                                             "served without the token (repeatable), e.g. "
                                             "/get_reward for OpenRLHF, which sends no header."),
        max_concurrency: int = typer.Option(8, "--max-concurrency", min=1, help="Scoring "
                                            "requests at once; one more gets 503."),
        max_body_mb: float = typer.Option(16.0, "--max-body-mb", min=0.001,
                                          help="Largest request body (MB); larger gets 413."),
        executor: Optional[ExecutorKind] = executor_option(),
        graceful_timeout: float = typer.Option(30.0, "--graceful-timeout", min=0,
                                               help="Seconds in-flight requests get to "
                                               "finish after SIGTERM."),
        log_level: str = typer.Option("info", "--log-level", help="uvicorn log level."),
        tools: bool = typer.Option(False, "--tools", help="Also serve the sandbox's Python "
                                   "tool as sessions (/v1/sessions; docs/tools.md)."),
        max_sessions: int = typer.Option(8, "--max-sessions", min=1, help="Tool sessions "
                                         "open at once (one container each)."),
        tool_timeout: float = typer.Option(10.0, "--tool-timeout", min=0.1,
                                           help="Seconds per tool call."),
    ) -> None:
        """Serve a rubric over HTTP: POST /v1/score, /get_reward (OpenRLHF), /remote_rm
        (slime), /verify (NeMo-Gym), GET /health, /ready. See docs/service.md."""
        from rewardkit.cli.output import err_console, fail, styled
        from rewardkit.errors import RewardkitError
        from rewardkit.rubric import Rubric

        try:
            import fastapi  # noqa: F401
            import uvicorn  # noqa: F401
        except ImportError:
            fail("rewardkit serve needs FastAPI and uvicorn: pip install 'rewardkit[serve]'")
        try:
            loaded = Rubric.from_yaml(rubric)
        except (RewardkitError, LookupError) as exc:
            fail(str(exc))
        loaded.configure(workers=workers, executor=executor and executor.value)
        from pydantic import ValidationError

        from rewardkit.service.app import ServiceSettings
        from rewardkit.service.server import run_server
        from rewardkit.validation import validation_message

        from rewardkit.service.sessions import ToolServiceSettings

        tool_settings = (ToolServiceSettings(max_sessions=max_sessions, timeout=tool_timeout)
                         if tools else None)
        try:
            settings = ServiceSettings(token=token, max_concurrency=max_concurrency,
                                       max_body_mb=max_body_mb, open_paths=open_paths,
                                       tools=tool_settings)
        except ValidationError as exc:
            fail(validation_message(exc, "serve options"))
        if host not in LOOPBACK and not token:
            err_console.print(styled(("warning:", "yellow"), f" serving on {host} without "
                                     "--token: anyone who can reach this port can use the "
                                     "service"))
        run_server(loaded, settings, host, port, graceful_timeout, log_level)
