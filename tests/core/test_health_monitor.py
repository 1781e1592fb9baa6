"""The live side of rewardkit.health: canaries, the observer behind to_trl, the callback."""

import json
import pickle
from types import SimpleNamespace

import pytest

from rewardkit import Rubric, Score, criterion, per_sample
from rewardkit.bench.cases import CaseFileError
from rewardkit.health.canaries import CanaryWatch, load_canaries
from rewardkit.health.observer import BatchObserver
from rewardkit.trl import to_trl

BROKEN = {"on": False}


@per_sample
def exact(sample):
    if BROKEN["on"]:
        return Score.error("Docker daemon unreachable")
    return sample.completion_text.strip() == str(sample.reference)


@per_sample
def wordy(sample):
    return min(1.0, len(sample.completion_text) / 10)


def rubric():
    return Rubric([criterion(exact, name="exact"), criterion(wordy, name="wordy", weight=0.5)])


def canary_file(tmp_path, *rows):
    path = tmp_path / "canaries.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


GOOD = {"id": "good", "completion": "4", "reference": "4", "expected": True}
HACK = {"id": "hack", "completion": "four or 4", "reference": "4", "expected": False}


# -- canaries ------------------------------------------------------------------------------


def test_canaries_report_only_samples_whose_verdict_disagrees_with_the_label(tmp_path):
    canaries = load_canaries(canary_file(tmp_path, GOOD, HACK), "exact", ["exact", "wordy"])
    assert CanaryWatch(rubric(), canaries).check() == []
    BROKEN["on"] = True
    try:
        [problem] = CanaryWatch(rubric(), canaries).check()
    finally:
        BROKEN["on"] = False
    assert problem.problem == "good_fails" and problem.canary.id == "canaries:good"
    assert problem.status == "error" and problem.reason == "Docker daemon unreachable"


def test_without_a_criterion_canaries_watch_the_normalised_total(tmp_path):
    hack = {**HACK, "completion": "4" * 10, "reference": "4" * 10}  # passes both criteria
    canaries = load_canaries(canary_file(tmp_path, hack), None, ["exact", "wordy"])
    [problem] = CanaryWatch(rubric(), canaries).check()
    assert problem.problem == "hack_passes" and problem.value == 1.0


@pytest.mark.parametrize("row, message", [
    ({**GOOD, "id": "g2", "expected": 0.5}, "a canary.s .expected. must be true"),
    ({**GOOD, "id": "g2", "criterion": "nope"}, "criterion 'nope' is not in the rubric"),
    ({"id": "x", "completion": "4"}, "missing field"),
])
def test_a_bad_canary_row_is_named_with_file_and_line(tmp_path, row, message):
    path = canary_file(tmp_path, GOOD, row)
    with pytest.raises(CaseFileError, match=f"canaries.jsonl, line 2: {message}"):
        load_canaries(path, None, ["exact", "wordy"])


def test_an_empty_canary_file_is_refused(tmp_path):
    with pytest.raises(CaseFileError, match="holds no cases"):
        load_canaries(canary_file(tmp_path), None, ["exact"])


# -- the observer behind to_trl -----------------------------------------------------------


def trl_call(funcs, completions, prompts, step=0):
    logged = {}
    kwargs = {"reference": ["4"] * len(completions), "trainer_state": SimpleNamespace(
        global_step=step), "log_metric": lambda k, v: logged.setdefault(k, v)}
    values = [f(prompts=prompts, completions=completions, **kwargs) for f in funcs]
    return values, logged


def test_the_observer_logs_health_metrics_through_trl_log_metric_once_per_batch():
    funcs, _ = to_trl(rubric())
    observer = BatchObserver(funcs[0].scorer.rubric, group_size=2).attach(funcs)
    calls = []
    funcs[0].scorer.observers.append(lambda *a: calls.append(1))
    values, logged = trl_call(funcs, ["4", "44444", "4", "x"], ["p", "p", "q", "q"])
    assert values == [[1.0, 0.0, 1.0, 0.0], [0.1, 0.5, 0.1, 0.1]]  # to_trl's contract holds
    assert calls == [1] and observer.group_size == 2
    assert logged["health/exact/mean"] == 0.5 and logged["health/exact/error_rate"] == 0.0
    assert logged["health/zero_std_groups"] == 0.0
    assert logged["health/length/mean"] == 2.0 and logged["health/length/drift"] == 0.0


def test_the_observer_keeps_reasons_and_checks_canaries_every_k_steps(tmp_path):
    funcs, _ = to_trl(rubric())
    canaries = load_canaries(canary_file(tmp_path, GOOD), "exact", ["exact", "wordy"])
    observer = BatchObserver(funcs[0].scorer.rubric, canaries=CanaryWatch(
        funcs[0].scorer.rubric, canaries), canary_every=5, baseline_batches=1).attach(funcs)
    _, first = trl_call(funcs, ["4", "x"], ["p", "p"], step=0)
    BROKEN["on"] = True
    try:
        _, skipped = trl_call(funcs, ["4", "y"], ["p", "p"], step=3)
        _, checked = trl_call(funcs, ["4", "z"], ["p", "p"], step=5)
    finally:
        BROKEN["on"] = False
    assert first["health/canary/good_failing"] == 0.0
    assert "health/canary/checked" not in skipped
    assert checked["health/canary/good_failing"] == 1.0
    assert checked["health/exact/error_trend"] == 1.0
    assert observer.top_reason("exact", "error") == "Docker daemon unreachable"


def test_reward_functions_with_an_observer_still_pickle():
    funcs, _ = to_trl(rubric())
    BatchObserver(funcs[0].scorer.rubric).attach(funcs)
    assert pickle.loads(pickle.dumps(funcs[0])).scorer.observers == []


def test_the_monitor_refuses_functions_that_are_not_from_to_trl():
    from rewardkit.errors import ConfigError
    from rewardkit.health.observer import scorer_of

    with pytest.raises(ConfigError, match="one rewardkit.trl.to_trl"):
        scorer_of([len])


# -- the callback --------------------------------------------------------------------------


def test_the_callback_alerts_stops_and_writes_health_json(tmp_path):
    pytest.importorskip("transformers")
    from rewardkit.health.callback import HealthCallback

    funcs, _ = to_trl(rubric())
    alerts = []
    health = HealthCallback(funcs, {"stop_on": ["errors"]}, on_alert=alerts.append)
    args = SimpleNamespace(output_dir=str(tmp_path), num_generations=2)
    state = SimpleNamespace(global_step=0, is_world_process_zero=True)
    control = SimpleNamespace(should_training_stop=False)
    health.on_train_begin(args, state, control)
    BROKEN["on"] = True
    try:
        for step in (1, 2):
            state.global_step = step
            _, logged = trl_call(funcs, ["4", "xyz"], ["p", "p"], step=step)
            health.on_log(args, state, control, logs={"reward": 0.0, **logged})
    finally:
        BROKEN["on"] = False
    assert [a.line() for a in alerts] == [
        "exact: 100% errors since step 1: Docker daemon unreachable"]
    assert control.should_training_stop is True
    saved = json.loads((tmp_path / "health.json").read_text())
    assert saved["stopped_by"] == alerts[0].line()
    assert saved["reasons"] == {"exact/error": "Docker daemon unreachable"}
    assert health.plot(tmp_path / "health.png").stat().st_size > 1000


def test_the_callback_ignores_log_entries_without_a_reward(tmp_path):
    pytest.importorskip("transformers")
    from rewardkit.health.callback import HealthCallback

    health = HealthCallback()
    state = SimpleNamespace(global_step=3, is_world_process_zero=True)
    health.on_log(SimpleNamespace(output_dir=str(tmp_path)), state, None, logs={"loss": 1.0})
    assert health.monitor.points == [] and health.plot(tmp_path / "x.png") is None


def test_without_on_alert_an_alert_is_a_reward_health_warning(tmp_path):
    pytest.importorskip("transformers")
    from rewardkit.health import HealthCallback, RewardHealthWarning

    health = HealthCallback(config={"patience": 1})
    state = SimpleNamespace(global_step=7, is_world_process_zero=True)
    control = SimpleNamespace(should_training_stop=False)
    logs = {"reward": 0.0, "health/code/error_rate": 1.0, "health/code/mean": 0.0}
    with pytest.warns(RewardHealthWarning, match="code: 100% errors since step 7"):
        health.on_log(SimpleNamespace(output_dir=str(tmp_path)), state, control, logs=logs)
    assert control.should_training_stop is False  # no stop policy by default
