"""The sandbox as a model's Python tool: an environment for TRL's ``environment_factory``.

>>> from trl import GRPOTrainer                                         # doctest: +SKIP
>>> trainer = GRPOTrainer(..., environment_factory=python_environment(timeout=5, max_calls=4))

One environment instance serves one rollout at a time. Its tool ``run_python(code)`` runs
the code in a `PythonSession` (one sandbox container, leased on the first call), so
variables and files persist across the rollout's calls and rollouts are isolated.
`reset` (the next rollout) ends the previous session; the pool removes its containers
at exit (or at `close_pools`), and a detached watchdog removes them if the trainer is
killed.

What the model sees is plain text, first line a status tag (``[ok]``, ``[error]``,
``[timeout]``, ``[memory_limit]``, ``[crashed]``, ``[sandbox_error]``, ``[budget]``), then
the output, cut to `max_output_chars`. Nothing the code does raises into the trainer.
Every call is recorded in `tool_calls` (status, seconds, latency), which rewards read
(``sandbox:tool_use``) and `rewardkit.trl` logs (``tools/*``, see `rewardkit.tool_calls`).
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field
from typing import Any

from rewardkit_sandbox.session import CallResult, PythonSession


@dataclass(frozen=True)
class ToolSettings:
    """Limits of the Python tool (the `environment:` block of a train config)."""

    timeout: float = 10.0  # wall-clock seconds per call (CPU seconds too)
    memory_mb: int = 512  # per session (the container) and per call (address space)
    max_output_chars: int = 2000  # of stdout + stderr the model sees per call
    max_calls: int = 8  # per rollout; later calls are refused with a [budget] message
    sessions: int = 8  # sandbox containers: concurrent sessions (rollouts using the tool)
    wait: float = 60.0  # seconds a session waits for a free container
    image: str | None = None

    def __post_init__(self) -> None:
        checks = {"timeout": self.timeout > 0, "memory_mb": self.memory_mb >= 64,
                  "max_output_chars": self.max_output_chars >= 16, "max_calls": self.max_calls >= 1,
                  "sessions": self.sessions >= 1, "wait": self.wait >= 0}
        for name, ok in checks.items():
            if not ok:
                raise ValueError(f"python tool: {name}={getattr(self, name)!r} is out of range "
                                 "(timeout > 0, memory_mb >= 64, max_output_chars >= 16, "
                                 "max_calls >= 1, sessions >= 1, wait >= 0)")


@dataclass(frozen=True)
class ToolCall:
    """One recorded call: what ran and how it ended."""

    code: str
    status: str
    seconds: float = 0.0
    latency: float = 0.0
    output: str = ""
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


_pools: dict[ToolSettings, Any] = {}
_pools_lock = threading.Lock()


def session_pool(settings: ToolSettings) -> Any:
    """One warm pool of containers per tool configuration per process, made on first use."""
    from rewardkit_sandbox.container import Limits
    from rewardkit_sandbox.pool import SandboxPool
    from rewardkit_sandbox.watchdog import ensure_watchdog

    with _pools_lock:
        pool = _pools.get(settings)
        if pool is None or pool._closed:
            ensure_watchdog()
            limits = Limits(memory_mb=settings.memory_mb, test_timeout=settings.timeout)
            pool = _pools[settings] = SandboxPool(settings.sessions, image=settings.image,
                                                  limits=limits)
        return pool


def close_pools() -> None:
    """Remove every container of the tool's pools (end of training; also done at exit)."""
    with _pools_lock:
        pools = list(_pools.values())
        _pools.clear()
    for pool in pools:
        pool.close()


def render(result: CallResult, limit: int) -> str:
    """The text the model gets back for one call."""
    body = result.stdout + result.stderr
    if result.status != "ok" and result.detail and result.detail not in body:
        body = f"{body}{result.detail}\n" if body else f"{result.detail}\n"
    if result.restarted:
        body = "(the Python session was restarted: earlier variables are gone)\n" + body
    if len(body) > limit:
        cut = len(body) - limit
        body = f"{body[:limit]}\n... [{cut} more characters cut]\n"
    elif result.truncated:
        body += "... [output cut]\n"
    return f"[{result.status}]\n{body}"


RUN_PYTHON_SCHEMA = {  # what transformers' get_json_schema makes of `run_python` (tested)
    "type": "function",
    "function": {
        "name": "run_python",
        "description": "Run Python code in a persistent sandboxed interpreter and return what "
                       "it printed.\n\nVariables, imports and files persist between calls in "
                       "the same conversation. The\nvalue of a final expression is printed, "
                       "as in a notebook.",
        "parameters": {"type": "object", "properties": {"code": {
            "type": "string", "description": "Python source code to execute."}},
            "required": ["code"]},
        "return": {"type": "string"},
    },
}


class PythonEnvironment:
    """A TRL environment: the tool `run_python`, one sandbox session per rollout."""

    def __init__(self, settings: ToolSettings | None = None, pool: Any = None) -> None:
        self.settings = settings or ToolSettings()
        self._pool = pool
        self._session: PythonSession | None = None
        self.tool_calls: list[ToolCall] = []
        self.row: dict[str, Any] = {}

    def reset(self, **row: Any) -> None:
        """Start a rollout: end the previous session; remember the dataset row."""
        self._end_session()
        self.tool_calls = []
        self.row = row

    def run_python(self, code: str) -> str:
        """Run Python code in a persistent sandboxed interpreter and return what it printed.

        Variables, imports and files persist between calls in the same conversation. The
        value of a final expression is printed, as in a notebook.

        Args:
            code: Python source code to execute.
        """
        if len(self.tool_calls) >= self.settings.max_calls:
            call = ToolCall(str(code), "budget", detail=f"no calls left: at most "
                            f"{self.settings.max_calls} per conversation")
            self.tool_calls.append(call)
            return f"[budget]\n{call.detail}\n"
        if self._session is None:
            pool = self._pool if self._pool is not None else session_pool(self.settings)
            self._session = PythonSession(
                pool, timeout=self.settings.timeout, memory_mb=self.settings.memory_mb,
                output_bytes=4 * self.settings.max_output_chars + 1024, wait=self.settings.wait)
        try:
            result = self._session.run(code)
        except Exception as exc:  # noqa: BLE001 - a tool never raises into the trainer
            result = CallResult("sandbox_error", detail=f"{type(exc).__name__}: {exc}")
        text = render(result, self.settings.max_output_chars)
        self.tool_calls.append(ToolCall(str(code), result.status, result.seconds, result.latency,
                                        text, result.detail))
        return text

    def _end_session(self) -> None:
        """End this rollout's session: its container is wiped and returned to the pool.

        Private on purpose: TRL exposes every public method of an environment as a tool.
        """
        session, self._session = self._session, None
        if session is not None:
            try:
                session.close()
            except Exception:  # noqa: BLE001, S110 - the pool replaces a broken container
                pass


class ScoredPythonEnvironment(PythonEnvironment):
    """A `PythonEnvironment` that owns a reward: `get_reward` scores the rollout's tool calls
    with a rubric (TRL adds it as one more reward, weight 1, named after this class).

    The rubric sees a `Sample` whose completion is the tool results, whose metadata holds
    the call record (``tool_calls``) and whose prompt and reference come from the dataset
    row. Keep its criteria out of the trainer's own rubric, or they count twice.
    """

    def __init__(self, settings: ToolSettings | None = None, rubric: Any = None,
                 pool: Any = None) -> None:
        super().__init__(settings, pool)
        if rubric is None:
            raise ValueError("ScoredPythonEnvironment needs a rubric (e.g. one criterion "
                             "`reward: tool_use`)")
        self.rubric = rubric

    def get_reward(self) -> float | None:
        """The rubric total for this rollout (None when it cannot be scored)."""
        from rewardkit import Sample

        record = [call.to_dict() for call in self.tool_calls]
        results = [{"role": "tool", "name": "run_python", "content": c.output}
                   for c in self.tool_calls]
        sample = Sample(results, self.row.get("prompt", ""), self.row.get("reference"),
                        {"tool_calls": record})
        return self.rubric.score([sample]).rows[0].total


@dataclass
class python_environment:  # noqa: N801 - a factory, named like the function it stands for
    """A picklable `environment_factory`: each call returns a new `PythonEnvironment`
    (a `ScoredPythonEnvironment` when `reward` is given)."""

    timeout: float = 10.0
    memory_mb: int = 512
    max_output_chars: int = 2000
    max_calls: int = 8
    sessions: int = 8
    wait: float = 60.0
    image: str | None = None
    reward: Any = None  # a Rubric or its dict form: the environment owns that reward
    settings: ToolSettings = field(init=False)

    def __post_init__(self) -> None:
        self.settings = ToolSettings(self.timeout, self.memory_mb, self.max_output_chars,
                                     self.max_calls, self.sessions, self.wait, self.image)
        if isinstance(self.reward, dict):
            from rewardkit import Rubric

            self.reward = Rubric.from_dict(self.reward, source="environment.reward")

    def close(self) -> None:
        """Remove the containers of every tool pool (end of training)."""
        close_pools()

    def __call__(self) -> PythonEnvironment:
        if self.reward is not None:
            return ScoredPythonEnvironment(self.settings, self.reward)
        return PythonEnvironment(self.settings)
