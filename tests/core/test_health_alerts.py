"""rewardkit.health.alerts: the rules over synthetic health points."""

from types import SimpleNamespace

from rewardkit.health.alerts import Monitor
from rewardkit.health.config import HealthConfig


def healthy(**overrides):
    point = {"code/mean": 0.5, "code/error_rate": 0.0, "code/timeout_rate": 0.0,
             "code/unverifiable_rate": 0.0, "code/not_applicable_trend": 0.0,
             "zero_std_groups": 0.2, "total/std": 0.3, "length/mean": 20.0,
             "length/drift": 0.0, "length_corr": 0.1}
    point.update(overrides)
    return point


class Reasons:
    canary_problems = ()

    def top_reason(self, criterion, status):
        return "Docker daemon unreachable" if status == "error" else ""


def run(points, config=None, context=None, start=10, every=10):
    monitor = Monitor(config or HealthConfig(), context)
    for i, point in enumerate(points):
        monitor.update(start + i * every, point)
    return monitor


def test_a_healthy_run_raises_nothing():
    assert run([healthy()] * 8).alerts == []


def test_errors_alert_once_after_patience_with_the_start_step_and_the_reason():
    points = [healthy()] * 3 + [healthy(**{"code/error_rate": 0.92})] * 4
    monitor = run(points, context=Reasons())
    assert [a.line() for a in monitor.alerts] == [
        "code: 92% errors since step 40: Docker daemon unreachable"]


def test_a_single_bad_log_is_not_enough():
    points = [healthy(), healthy(**{"code/error_rate": 0.9}), healthy()] * 3
    assert run(points).alerts == []


def test_an_alert_records_when_its_condition_ended():
    points = [healthy(**{"code/timeout_rate": 0.5})] * 2 + [healthy()]
    alert = run(points).alerts[0]
    assert alert.kind == "errors" and "50% timeouts" in alert.what and alert.until == 30


def test_unverifiable_and_not_applicable_rise_alert_separately():
    points = [healthy(**{"code/unverifiable_rate": 0.6, "code/not_applicable_trend": 0.7})] * 2
    assert sorted(a.kind for a in run(points).alerts) == ["not_applicable", "unverifiable"]


def test_no_signal_needs_flat_groups_and_one_total_for_everything():
    assert run([healthy(zero_std_groups=1.0)] * 3).alerts == []  # groups solved, batch varies
    flat = run([healthy(zero_std_groups=1.0, **{"total/std": 0.0})] * 3)
    assert [a.kind for a in flat.alerts] == ["no_signal"]


def test_length_growth_with_correlated_reward_is_flagged_on_the_culprit():
    points = [healthy(**{"length/drift": 0.8, "length_corr": 0.7, "code/length_corr": 0.1,
                         "style/mean": 0.5, "style/length_corr": 0.9})] * 2
    alert = run(points).alerts[0]
    assert alert.kind == "length" and alert.criterion == "style"
    assert "1.80x" in alert.what and "+0.70" in alert.what


def test_length_shrinking_under_a_brevity_reward_is_flagged():
    points = [healthy(**{"length/drift": -0.6, "length_corr": -0.9})] * 2
    assert [a.kind for a in run(points).alerts] == ["length"]


def test_drift_without_correlation_or_correlation_without_drift_is_normal():
    points = [healthy(**{"length/drift": 1.0, "length_corr": 0.1})] * 3
    points += [healthy(**{"length/drift": 0.1, "length_corr": 0.9})] * 3
    assert run(points).alerts == []


def test_a_rising_rule_judge_disagreement_alerts_on_the_judge():
    points = [healthy(**{"disagree/math/judge/trend": 0.4, "disagree/math/judge": 0.5})] * 2
    alert = run(points).alerts[0]
    assert alert.kind == "disagreement" and alert.criterion == "judge"


def test_canaries_alert_at_once_and_points_without_a_check_keep_the_state():
    problem = SimpleNamespace(problem="hack_passes", status="ok", reason="",
                              canary=SimpleNamespace(id="format:two-answers", criterion="format"))
    context = SimpleNamespace(canary_problems=[problem], top_reason=lambda c, s: "")
    points = [healthy(**{"canary/hacks_passing": 0.0}), healthy(),
              healthy(**{"canary/hacks_passing": 1.0}), healthy()]
    monitor = run(points, context=context)
    assert [a.line() for a in monitor.alerts] == [
        "format: 1 hack canary now passes (format:two-answers) since step 30: the verifier "
        "accepts a known hack; check recent changes to format"]
    assert monitor.alerts[0].until is None


def test_a_failing_good_canary_carries_its_reason():
    problem = SimpleNamespace(problem="good_fails", status="error", reason="HTTP 500",
                              canary=SimpleNamespace(id="toy:good", criterion=None))
    context = SimpleNamespace(canary_problems=[problem], top_reason=lambda c, s: "")
    alert = run([healthy(**{"canary/good_failing": 1.0})], context=context).alerts[0]
    assert alert.criterion == "total" and alert.check == "error: HTTP 500"


def test_thresholds_come_from_the_config():
    points = [healthy(**{"code/error_rate": 0.1})] * 3
    assert run(points).alerts == []
    assert len(run(points, HealthConfig(error_rate=0.05, patience=3)).alerts) == 1


def test_drift_and_correlation_are_rebuilt_from_trl_metrics_when_absent():
    points = [{"total/mean": 0.1 * i, "length/mean": 10.0 + 10 * i} for i in range(6)]
    monitor = run(points)
    assert monitor.points[-1]["length/drift"] == 60 / 20 - 1
    assert monitor.points[-1]["length_corr"] > 0.99
    assert [a.kind for a in monitor.alerts] == ["length"]
