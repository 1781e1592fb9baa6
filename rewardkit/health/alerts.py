"""Alert rules over the health points of a run, and the one-line alerts they raise.

`Monitor.update(step, point)` is called once per logging step, live (the callback) or
offline (`rewardkit health`), so both raise the same alerts. Each rule looks at the
latest point; a condition that holds for `patience` consecutive logs fires one `Alert`
("since" is the first step of that streak). Points that lack a rule's metrics leave its
streak as it was (canaries, for instance, are logged only every K steps).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Callable, Iterator, NamedTuple, Protocol, Sequence

from rewardkit.health.config import HealthConfig
from rewardkit.health.series import add_derived


@dataclass
class Alert:
    """One actionable finding: what, which criterion, since which step, what to check."""

    kind: str
    criterion: str
    since: int
    what: str
    check: str
    value: float | None = None
    until: int | None = None

    def line(self) -> str:
        return f"{self.criterion}: {self.what} since step {self.since}: {self.check}"

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "line": self.line()}


class Context(Protocol):
    """What the rules read besides numbers: reasons and failing canaries."""

    def top_reason(self, criterion: str, status: str) -> str: ...

    @property
    def canary_problems(self) -> Sequence[Any]: ...


class NoContext:
    """For logs without reasons (a TRL run without our callback)."""

    canary_problems: Sequence[Any] = ()

    def top_reason(self, criterion: str, status: str) -> str:
        return ""


class Finding(NamedTuple):
    """A rule's verdict on one point; `holds` None means the point has no data for it."""

    kind: str
    criterion: str
    holds: bool | None
    what: str
    check: str
    value: float | None
    track: str = ""  # identity of the condition when the criterion name may change


def criteria_of(point: dict[str, float]) -> list[str]:
    """Criterion names in a point: from ``<name>/mean`` and ``<name>/error_rate`` keys."""
    return sorted({k.split("/")[0] for k in point
                   if k.count("/") == 1 and k.endswith(("/mean", "/error_rate"))}
                  - {"total", "length"})


def _statuses(p: dict[str, float], cfg: HealthConfig, ctx: Context) -> Iterator[Finding]:
    for name in criteria_of(p):
        errors, timeouts = p.get(f"{name}/error_rate"), p.get(f"{name}/timeout_rate", 0.0)
        if errors is not None:
            rate = errors + timeouts
            status = "timeout" if timeouts > errors else "error"
            label = "timeouts" if status == "timeout" else "errors"
            reason = ctx.top_reason(name, status) or \
                "the verifier fails; check its logs, backend and workers"
            yield Finding("errors", name, rate >= cfg.error_rate, f"{rate:.0%} {label}", reason,
                          rate)
        unverifiable = p.get(f"{name}/unverifiable_rate")
        if unverifiable is not None:
            reason = ctx.top_reason(name, "unverifiable") or \
                "the verifier cannot decide; check the references and the answer format"
            yield Finding("unverifiable", name, unverifiable >= cfg.unverifiable_rate,
                   f"{unverifiable:.0%} unverifiable", reason, unverifiable)
        rise = p.get(f"{name}/not_applicable_trend")
        if rise is not None:
            reason = ctx.top_reason(name, "not_applicable") or "check what the policy now writes"
            yield Finding("not_applicable", name, rise >= cfg.not_applicable_rise,
                   f"not_applicable up {rise:+.0%} over the start", reason, rise)


def _no_signal(p: dict[str, float], cfg: HealthConfig, ctx: Context) -> Iterator[Finding]:
    flat, spread = p.get("zero_std_groups"), p.get("total/std")
    if flat is not None and spread is not None:
        yield Finding("no_signal", "total", flat >= cfg.flat_groups and spread <= 1e-6,
               f"{flat:.0%} of groups without reward variance and every completion scored "
               "the same", "no learning signal; check that the rewards are not all None, "
               "0 or constant", flat)


def _length(p: dict[str, float], cfg: HealthConfig, ctx: Context) -> Iterator[Finding]:
    """The reward chases length: the mean length moved by the factor `length_drift` (up or
    down) and the reward correlates with length in the same direction."""
    drift, corr = p.get("length/drift"), p.get("length_corr")
    if drift is None or corr is None:
        return
    ratio = 1.0 + drift
    grew = ratio >= 1.0 + cfg.length_drift and corr >= cfg.length_corr
    shrank = ratio <= 1.0 / (1.0 + cfg.length_drift) and corr <= -cfg.length_corr
    sign = 1.0 if drift >= 0 else -1.0
    by_criterion = {n: sign * p[f"{n}/length_corr"] for n in criteria_of(p)
                    if f"{n}/length_corr" in p}
    name = max(by_criterion, key=by_criterion.__getitem__) if by_criterion else "total"
    check = ("length hacking? gate the reward on correctness or cap the length" if drift >= 0
             else "the policy stops writing to please a brevity reward? gate it on correctness")
    yield Finding("length", name, grew or shrank,
                  f"completions {ratio:.2f}x as long as at the start, reward-length "
                  f"correlation {corr:+.2f}", check, corr, "length")


def _disagreement(p: dict[str, float], cfg: HealthConfig, ctx: Context) -> Iterator[Finding]:
    for key, rise in p.items():
        if key.startswith("disagree/") and key.endswith("/trend"):
            _, rule, judge, _ = key.split("/")
            yield Finding("disagreement", judge, rise >= cfg.disagreement_rise,
                   f"disagrees with {rule} {rise:+.0%} more than at the start",
                   f"the policy may be exploiting the judge; read completions where {rule} "
                   "and the judge differ", rise)


def _canaries(p: dict[str, float], cfg: HealthConfig, ctx: Context) -> Iterator[Finding]:
    for key, hack in (("canary/hacks_passing", True), ("canary/good_failing", False)):
        count = p.get(key)
        if count is None:
            continue
        problems = [r for r in ctx.canary_problems if (r.problem == "hack_passes") == hack]
        name = (problems[0].canary.criterion or "total") if problems else "canaries"
        ids = ", ".join(r.canary.id for r in problems[:3]) or "ids in health.json"
        plural = "y" if count == 1 else "ies"
        if hack:
            what = f"{count:g} hack canar{plural} now pass{'es' if count == 1 else ''} ({ids})"
            check = f"the verifier accepts a known hack; check recent changes to {name}"
        else:
            what = f"{count:g} good canar{plural} now fail{'s' if count == 1 else ''} ({ids})"
            check = next((f"{r.status}: {r.reason}" if r.reason else r.status
                          for r in problems), "the verifier rejects known-good samples")
        yield Finding("canary", name, count > 0, what, check, count, "hack" if hack else "good")


RULES: tuple[Callable[[dict[str, float], HealthConfig, Context], Iterator[Finding]], ...] = (
    _statuses, _no_signal, _length, _disagreement, _canaries)


class Monitor:
    """Applies the rules to each new point; keeps every alert raised during the run."""

    def __init__(self, config: HealthConfig | None = None, context: Context | None = None):
        self.config = config or HealthConfig()
        self.context = context or NoContext()
        self.points: list[dict[str, float]] = []
        self.steps: list[int] = []
        self.alerts: list[Alert] = []
        self._streaks: dict[tuple[str, str], tuple[int, int]] = {}  # key -> (since, count)
        self._active: dict[tuple[str, str], Alert] = {}

    def update(self, step: int, point: dict[str, float]) -> list[Alert]:
        """Add one logging step's point; returns the alerts that fire at this step."""
        self.points.append(point)
        self.steps.append(step)
        add_derived(self.points, self.config.baseline_logs)
        fired = []
        for rule in RULES:
            for found in rule(point, self.config, self.context):
                patience = 1 if found.kind == "canary" else self.config.patience
                alert = self._track(found, step, patience)
                if alert is not None:
                    fired.append(alert)
        return fired

    def _track(self, found: Finding, step: int, patience: int) -> Alert | None:
        key = (found.kind, found.track or found.criterion)
        if found.holds is None:
            return None
        if not found.holds:
            self._streaks.pop(key, None)
            ended = self._active.pop(key, None)
            if ended is not None:
                ended.until = step
            return None
        since, count = self._streaks.get(key, (step, 0))
        self._streaks[key] = (since, count + 1)
        active = self._active.get(key)
        if active is not None:
            active.what, active.value = found.what, found.value  # keep the latest numbers
            return None
        if count + 1 < patience:
            return None
        alert = Alert(found.kind, found.criterion, since, found.what, found.check, found.value)
        self._active[key] = alert
        self.alerts.append(alert)
        return alert
