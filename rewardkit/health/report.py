"""The health tables (rich) and the JSON report, from a `Monitor` that has seen a run."""

from __future__ import annotations

from typing import Any, Sequence

from rewardkit.health.alerts import Monitor, criteria_of
from rewardkit.health.stats import mean

STATUSES = ("error", "timeout", "unverifiable", "not_applicable")


def start_end(points: Sequence[dict[str, float]], key: str) -> tuple[float | None, float | None]:
    """Mean of `key` over the first and the last fifth of the points that have it."""
    values = [p[key] for p in points if key in p]
    n = max(1, len(values) // 5)
    return mean(values[:n]), mean(values[-n:])


def report(monitor: Monitor) -> dict[str, Any]:
    """Per criterion and for the run: the start and end value of every health metric."""
    points = monitor.points
    names = sorted({n for p in points for n in criteria_of(p)})
    keys = ["mean", "std", "share", "length_corr", *(f"{s}_rate" for s in STATUSES)]
    per = {name: {key: start_end(points, f"{name}/{key}") for key in keys} for name in names}
    run_keys = ["total/mean", "zero_std_groups", "length/mean", "length/drift", "length_corr",
                "canary/hacks_passing", "canary/good_failing",
                *sorted({k for p in points for k in p
                         if k.startswith("disagree/") and not k.endswith("/trend")})]
    run = {key: start_end(points, key) for key in run_keys}
    return {"steps": monitor.steps[-1] if monitor.steps else 0, "logged": len(points),
            "criteria": {n: {k: {"start": v[0], "end": v[1]} for k, v in d.items()}
                         for n, d in per.items()},
            "run": {k: {"start": v[0], "end": v[1]} for k, v in run.items()},
            "alerts": [a.to_dict() for a in monitor.alerts]}


def _fmt(value: float | None, percent: bool = False) -> str:
    if value is None:
        return "-"
    return f"{value:.0%}" if percent else f"{value:.3g}"


def _pair(pair: dict[str, float | None], percent: bool = False) -> str:
    start, end = pair["start"], pair["end"]
    if start is None and end is None:
        return "-"
    return f"{_fmt(start, percent)} → {_fmt(end, percent)}"


def tables(data: dict[str, Any]) -> list[Any]:
    """Rich tables: per criterion, run-wide signals, and the alerts (when any)."""
    from rich.table import Table

    per = Table("criterion", "mean", "std", "adv. share", "e/t/u/n %",
                "length corr.", title=f"reward health: {data['steps']} steps, "
                f"{data['logged']} logged (last fifth; mean: first → last fifth)",
                caption="e/t/u/n: error, timeout, unverifiable, not_applicable rates")
    for name, d in data["criteria"].items():
        rates = [d[f"{s}_rate"]["end"] for s in STATUSES]
        statuses = "-" if all(r is None for r in rates) else \
            "/".join("-" if r is None else f"{100 * r:.0f}" for r in rates)
        per.add_row(name, _pair(d["mean"]), _fmt(d["std"]["end"]),
                    _fmt(d["share"]["end"], True), statuses, _fmt(d["length_corr"]["end"]))
    run = Table("signal", "first fifth → last fifth", title="run")
    labels = {"total/mean": "mean total reward", "zero_std_groups": "groups with zero variance",
              "length/mean": "mean completion length", "length/drift": "length drift",
              "length_corr": "reward-length correlation",
              "canary/hacks_passing": "hack canaries passing",
              "canary/good_failing": "good canaries failing"}
    for key, pair in data["run"].items():
        if pair["start"] is None and pair["end"] is None:
            continue
        percent = key in ("zero_std_groups", "length/drift") or key.startswith("disagree/")
        run.add_row(labels.get(key, key.replace("disagree/", "disagreement ")),
                    _pair(pair, percent))
    out = [per, run]
    if data["alerts"]:
        from rich.text import Text

        alerts = Table("alert", title="alerts", show_header=False)
        for alert in data["alerts"]:
            alerts.add_row(Text(alert["line"], style="bold red"))
        out.append(alerts)
    return out
