"""The reward-health demonstrations, end to end on the tiny offline model (docs/health.md).

(a) a judge endpoint starts returning HTTP 500 mid-run: an error alert with the backend's
    reason, within K steps, and the stop policy ends the run;
(b) a brevity reward without a correctness gate: the policy stops writing, and the
    monitor flags the length drift and the reward-length correlation;
(c) the verifier is weakened on purpose mid-run: a hack canary starts to pass;
(d) the normal demo raising no alert is checked by test_train's reduced toy job (and
    over five seeds by benchmarks/bench_health.py).

Each run is a few GRPO steps from a random tiny model (no cold start) to stay fast.
"""

import json
import os
import shutil
import threading
from pathlib import Path

import pytest

pytest.importorskip("trl")

from transformers import TrainerCallback
from typer.testing import CliRunner

from rewardkit.cli.app import build_app
from rewardkit.generators.testing import LoopbackServer, Reply, completion, prompt_of
from rewardkit.train import load_config, train
from tests.e2e import toy_rewards
from tests.e2e.test_train import REWARDS, config

CANARIES = Path(__file__).parent / "data" / "toy_canaries.jsonl"


def short_run(rubric, steps, health=None, **trl):
    settings = {"max_steps": steps, "learning_rate": 1e-2, "per_device_train_batch_size": 16,
                "num_generations": 8, "max_completion_length": 12, "logging_steps": 1,
                "save_strategy": "no", "beta": 0.0, **trl}
    data = config(rubric=rubric, cold_start=None, trl=settings)
    data["health"] = health or {}
    return load_config(data=data)


class AtStep(TrainerCallback):
    """Calls `action` once, at the end of `step` (the verifier changes mid-run)."""

    def __init__(self, step, action):
        self.step, self.action = step, action

    def on_step_end(self, args, state, control, **kwargs):
        if state.global_step == self.step:
            self.action()


def lines(result):
    return [a["line"] for a in result.health["alerts"]]


def keep_panel(result, name):
    """With RK_HEALTH_PANELS=DIR, copy the run's panel there (how docs/health.md's are made)."""
    target = os.environ.get("RK_HEALTH_PANELS")
    if target and result.health_plot:
        shutil.copy(result.health_plot, Path(target) / f"health-demo-{name}.png")


@pytest.mark.slow
def test_a_judge_that_starts_failing_alerts_with_its_reason_and_stops_training(tmp_path):
    from rewardkit_judge.probing import obedient_judge

    broken = threading.Event()

    def judge_server(path, body, attempt):
        if broken.is_set():
            return Reply({"error": "judge overloaded"}, status=500)
        return Reply(completion(obedient_judge(prompt_of(body), 1, None)))

    with LoopbackServer(judge_server) as server:
        rubric = {"criteria": [
            {"reward": f"{REWARDS}:exact", "name": "math", "weight": 1.0},
            {"reward": "judge", "name": "judge", "weight": 0.5,
             "params": {"template": "reference", "backend_config": {
                 "base_url": server.url, "model": "judge", "max_retries": 0}}}]}
        loaded = short_run(rubric, steps=8, health={"stop_on": ["errors"], "patience": 2})
        alerts = []
        result = train(loaded, tmp_path, progress=False, on_alert=alerts.append,
                       callbacks=[AtStep(3, broken.set)])
    keep_panel(result, "a")
    assert [a.line() for a in alerts] == lines(result)
    errors = [a for a in alerts if a.kind == "errors"]
    assert len(errors) == 1, lines(result)
    alert = errors[0]
    assert alert.criterion == "judge" and alert.since == 4
    assert "100% errors" in alert.what and "HTTP 500" in alert.check
    assert result.rows[-1]["step"] == 5  # stopped within patience (2) logs of the break
    assert result.health["stopped_by"] == alert.line()
    assert result.rows[0]["health/judge/error_rate"] == 0.0
    assert 0.0 <= result.rows[0]["health/disagree/math/judge"] <= 1.0  # rule vs judge
    assert (tmp_path / "health.png").stat().st_size > 1000


@pytest.mark.slow
def test_a_brevity_reward_without_a_correctness_gate_is_flagged(tmp_path):
    rubric = {"criteria": [
        {"reward": f"{REWARDS}:exact", "name": "math", "weight": 1.0},
        {"reward": f"{REWARDS}:brevity", "name": "brevity", "weight": 1.0}]}
    result = train(short_run(rubric, steps=10, max_completion_length=32), tmp_path,
                   progress=False, on_alert=lambda alert: None)
    keep_panel(result, "b")
    length = [a for a in result.health["alerts"] if a["kind"] == "length"]
    assert length, lines(result)
    assert length[0]["criterion"] == "brevity"
    assert length[0]["since"] < 10  # before the run ends
    assert result.rows[-1]["health/length/drift"] <= -1 / 3
    assert result.rows[-1]["health/brevity/length_corr"] < -0.5


@pytest.mark.slow
def test_a_hack_canary_that_starts_to_pass_alerts(tmp_path):
    rubric = {"criteria": [{"reward": f"{REWARDS}:one_answer", "name": "answer", "weight": 1.0}]}
    health = {"canaries": [{"path": str(CANARIES), "criterion": "answer"}], "canary_every": 2}
    toy_rewards.WEAKENED.clear()
    try:
        result = train(short_run(rubric, steps=6, health=health), tmp_path, progress=False,
                       on_alert=lambda alert: None,
                       callbacks=[AtStep(3, toy_rewards.WEAKENED.set)])
    finally:
        toy_rewards.WEAKENED.clear()
    keep_panel(result, "c")
    canary = [a for a in result.health["alerts"] if a["kind"] == "canary"]
    assert len(canary) == 1, lines(result)
    assert canary[0]["criterion"] == "answer"
    assert "toy_canaries:hedge-two-answers" in canary[0]["what"]
    assert 4 <= canary[0]["since"] <= 6  # the first canary check after the change
    checked = [r for r in result.rows if "health/canary/checked" in r]
    assert checked[0]["health/canary/hacks_passing"] == 0
    saved = json.loads((tmp_path / "health.json").read_text())
    assert saved["canaries"][0]["id"] == "toy_canaries:hedge-two-answers"
    offline = CliRunner().invoke(build_app(["health"]), ["health", str(tmp_path), "--json",
                                                        "--no-panel"])
    assert offline.exit_code == 0, offline.output
    assert [a["line"] for a in json.loads(offline.output)["alerts"]] == lines(result)


def test_a_canary_file_with_a_bad_row_fails_before_any_model(tmp_path):
    import yaml

    bad = tmp_path / "canaries.jsonl"
    bad.write_text(CANARIES.read_text() + '{"id": "x", "completion": "4", "expected": "yes"}\n')
    data = config()
    data["health"] = {"canaries": [{"path": str(bad)}]}
    path = tmp_path / "toy.yaml"
    path.write_text(yaml.safe_dump(data))
    result = CliRunner().invoke(build_app(["train"]), ["train", str(path), "--check"])
    assert result.exit_code == 2
    assert "canaries.jsonl, line 4: 'expected' must be true/false" in result.output


def test_an_unknown_health_key_is_named(tmp_path):
    from rewardkit.errors import ConfigError

    data = config()
    data["health"] = {"error_rat": 0.1}
    with pytest.raises(ConfigError, match=r"unknown key 'health\.error_rat'"):
        load_config(data=data)
