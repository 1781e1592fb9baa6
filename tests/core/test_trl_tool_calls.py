"""TRL environments' tool-call records reach samples and the trainer's log."""

from __future__ import annotations

from rewardkit import Rubric, criterion, per_sample
from rewardkit.tool_calls import metrics, records
from rewardkit.trl import to_trl

SEEN = []


@per_sample
def sees_calls(sample):
    SEEN.append(sample.metadata.get("tool_calls"))
    return 1.0


class Env:
    def __init__(self, *calls):
        self.tool_calls = list(calls)


class Call:
    def __init__(self, status, latency):
        self.status, self.latency = status, latency

    def to_dict(self):
        return {"status": self.status, "latency": self.latency}


def test_each_rollout_record_reaches_its_sample_and_the_log():
    SEEN.clear()
    logged = {}
    funcs, _ = to_trl(Rubric([criterion(sees_calls, name="c")]))
    envs = [Env(Call("ok", 0.01), Call("timeout", 0.03)), Env()]
    funcs[0](prompts=["p", "q"], completions=["a", "b"], environments=envs,
             log_metric=lambda k, v: logged.__setitem__(k, v))
    assert SEEN == [[{"status": "ok", "latency": 0.01}, {"status": "timeout", "latency": 0.03}],
                    []]
    assert logged["tools/calls"] == 1.0 and logged["tools/timeout"] == 0.5
    assert logged["tools/success_rate"] == 0.5 and abs(logged["tools/latency_ms"] - 20) < 1e-9


def test_environments_without_a_record_add_nothing():
    assert records([object(), object()]) is None and records(None) is None


def test_metrics_of_rollouts_without_calls():
    assert metrics([[], []]) == {"tools/calls": 0.0}
