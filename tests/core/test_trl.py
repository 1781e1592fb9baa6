"""`to_trl`: a rubric as TRL reward functions (no training here; see tests/e2e)."""

import pickle

import pytest

from rewardkit import ConfigError, Rubric, Score, criterion, per_sample
from rewardkit.trl import to_trl
from tests.core.rewards_for_tests import contains, length, reads_previous

CALLS = {"n": 0}


@per_sample
def counted(sample):
    """1.0, counting calls (to see how often the rubric is scored)."""
    CALLS["n"] += 1
    return 1.0


@per_sample
def verdict(sample):
    """A Score chosen by the completion: ok, error, timeout, unverifiable or not applicable."""
    text = sample.completion_text
    if text == "error":
        return Score.error("boom")
    if text == "timeout":
        return Score.timeout(1.0)
    if text == "unverifiable":
        return Score.unverifiable("cannot tell")
    if text == "none":
        return None
    return Score(1.0, info={"answer": text.upper()})


class Log:
    def __init__(self):
        self.metrics, self.extra = {}, {}

    def metric(self, name, value):
        self.metrics.setdefault(name, []).append(value)

    def column(self, name, values):
        self.extra.setdefault(name, []).extend(values)


def call_all(funcs, completions, **columns):
    prompts = ["p"] * len(completions)
    return [f(prompts=prompts, completions=completions, completion_ids=None, **columns)
            for f in funcs]


def test_one_function_per_criterion_named_after_it_with_matching_weights():
    funcs, weights = to_trl(Rubric([criterion(length, weight=0.5),
                                    criterion(contains, name="says_yes", weight=2.0)]))
    assert [f.__name__ for f in funcs] == ["length", "says_yes"] and weights == [0.5, 2.0]
    assert call_all(funcs, ["yes", "no"]) == [[3.0, 2.0], [1.0, 0.0]]


def test_trl_weighted_sum_equals_the_rubric_total():
    rubric = Rubric([criterion(length, weight=0.5), criterion(contains, weight=2.0)])
    funcs, weights = to_trl(rubric)
    texts = ["yes!", "no", "yes yes"]
    columns = call_all(funcs, texts)
    trl_totals = [sum(w * col[i] for w, col in zip(weights, columns)) for i in range(len(texts))]
    assert trl_totals == rubric.score([{"completion": t} for t in texts]).totals


def test_the_rubric_is_scored_once_per_batch_not_once_per_function():
    funcs, _ = to_trl(Rubric([criterion(counted, name="a"), criterion(length, name="b"),
                              criterion(contains, name="c")]))
    CALLS["n"] = 0
    prompts, completions = ["p", "p"], ["x", "y"]
    for f in funcs:
        f(prompts=prompts, completions=completions)
    assert CALLS["n"] == 2
    prompts, completions = list(prompts), list(completions)  # a new batch: scored again
    for f in funcs:
        f(prompts=prompts, completions=completions)
    assert CALLS["n"] == 4


def test_later_criteria_see_earlier_scores():
    funcs, _ = to_trl(Rubric([criterion(length, weight=0), criterion(reads_previous)]))
    assert call_all(funcs, ["abcd"])[1] == [8.0]


def test_none_stays_none():
    funcs, _ = to_trl(Rubric([criterion(verdict), criterion(length)]))
    assert call_all(funcs, ["none", "error", "ok"])[0] == [None, None, 1.0]


def test_a_completion_no_weighted_criterion_scores_is_none_everywhere():
    funcs, _ = to_trl(Rubric([criterion(length, weight=0), criterion(verdict, weight=1)]))
    assert call_all(funcs, ["none", "ok"]) == [[None, 2.0], [None, 1.0]]


def test_a_failed_gate_zeroes_every_weighted_function_but_not_logged_metrics():
    rubric = Rubric([criterion(contains, gate=True, weight=0.5), criterion(length, weight=1.0),
                     criterion(verdict, name="metric", weight=0.0)])
    funcs, weights = to_trl(rubric)
    log = Log()
    columns = call_all(funcs, ["yes", "nope"], log_metric=log.metric)
    assert columns == [[1.0, 0.0], [3.0, 0.0], [1.0, 1.0]]
    assert [sum(w * c[i] for w, c in zip(weights, columns)) for i in range(2)] == \
        rubric.score([{"completion": "yes"}, {"completion": "nope"}]).totals
    assert log.metrics["rewardkit/gated"] == [1.0]


def test_status_counts_go_to_log_metric_once_per_batch():
    funcs, _ = to_trl(Rubric([criterion(verdict), criterion(length)]))
    log = Log()
    call_all(funcs, ["error", "error", "timeout", "unverifiable", "none", "ok"],
             log_metric=log.metric, log_extra=log.column)
    assert log.metrics["rewardkit/verdict/error"] == [2.0]
    assert log.metrics["rewardkit/verdict/timeout"] == [1.0]
    assert log.metrics["rewardkit/verdict/unverifiable"] == [1.0]
    assert log.metrics["rewardkit/verdict/not_applicable"] == [1.0]
    assert log.metrics["rewardkit/length/error"] == [0.0]


def test_extracted_answers_go_to_log_extra():
    funcs, _ = to_trl(Rubric([criterion(verdict), criterion(length)]))
    log = Log()
    call_all(funcs, ["ok", "error"], log_extra=log.column)
    assert log.extra["verdict/answer"] == ["OK", None]
    assert log.extra["length/answer"] == [None, None]


def test_dataset_columns_reach_the_sample():
    @per_sample
    def sees(sample):
        return Score(1.0, info={"answer": f"{sample.reference}|{sample.metadata['level']}|"
                                          f"{sample.metadata['completion_ids']}"})

    funcs, _ = to_trl(Rubric([criterion(sees)]))
    log = Log()
    funcs[0](prompts=["p"], completions=["c"], completion_ids=[[5, 6]], reference=["42"],
             level=[3], trainer_state=object(), log_extra=log.column)
    assert log.extra["sees/answer"] == ["42|3|[5, 6]"]


def test_chat_completions_are_scored_as_text():
    funcs, _ = to_trl(Rubric([criterion(length)]))
    out = funcs[0](prompts=[[{"role": "user", "content": "q"}]],
                   completions=[[{"role": "assistant", "content": "abc"}]])
    assert out == [3.0]


def test_total_mode_is_one_function_returning_the_rubric_total():
    rubric = Rubric([criterion(contains, gate=True, weight=0.5), criterion(length)])
    funcs, weights = to_trl(rubric, mode="total")
    assert [f.__name__ for f in funcs] == ["reward"] and weights == [1.0]
    assert call_all(funcs, ["yes", "nope"]) == [[3.5, 0.0]]


def test_reward_functions_pickle_and_work_after_unpickling():
    funcs, _ = to_trl(Rubric([criterion(length, weight=0.5), criterion(contains)]))
    call_all(funcs, ["warm up the cache"])
    restored = pickle.loads(pickle.dumps(funcs))
    assert [f.__name__ for f in restored] == ["length", "contains"]
    assert call_all(restored, ["yes"]) == [[3.0], [1.0]]
    assert restored[0].scorer is restored[1].scorer  # still one scoring per batch
    total = pickle.loads(pickle.dumps(to_trl(Rubric([criterion(length)]), mode="total").funcs))
    assert call_all(total, ["ab"]) == [[2.0]]


def test_to_trl_reads_a_rubric_yaml(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text("criteria:\n  - {reward: 'tests.core.rewards_for_tests:length', weight: 2}\n")
    funcs, weights = to_trl(str(path))
    assert funcs[0].__name__ == "length" and weights == [2.0]


def test_bad_arguments_are_config_errors():
    with pytest.raises(ConfigError, match="Rubric"):
        to_trl(42)
    with pytest.raises(ConfigError, match="mode"):
        to_trl(Rubric([criterion(length)]), mode="sum")


# -- issue 14.5: TRL's column names, the all-missing warning, the batch cache -------------

@per_sample
def echo_reference(sample):
    """1.0 when the completion is the reference (None when there is none)."""
    if sample.reference is None:
        return Score.unverifiable("no reference")
    return float(sample.completion_text == str(sample.reference))


@pytest.mark.parametrize("column", ["reference", "solution", "answer", "ground_truth"])
def test_the_reference_comes_from_trls_usual_column_names(column):
    funcs, _ = to_trl(Rubric([criterion(echo_reference)]))
    assert funcs[0](prompts=["p", "p"], completions=["4", "5"], **{column: ["4", "4"]}) == \
        [1.0, 0.0]


def test_reference_column_names_any_column_and_keeps_the_others_as_metadata():
    @per_sample
    def sees(sample):
        return float(sample.reference == "4" and sample.metadata["solution"] == "x")

    funcs, _ = to_trl(Rubric([criterion(sees)]), reference_column="gold")
    assert funcs[0](prompts=["p"], completions=["c"], gold=["4"], solution=["x"]) == [1.0]


def test_a_reference_column_trl_does_not_pass_is_an_error_naming_the_columns():
    funcs, _ = to_trl(Rubric([criterion(echo_reference)]), reference_column="gold")
    with pytest.raises(ConfigError, match="no column 'gold'.*solution"):
        funcs[0](prompts=["p"], completions=["c"], solution=["4"])


def test_a_batch_without_any_reference_is_warned_about_once(caplog):
    funcs, _ = to_trl(Rubric([criterion(echo_reference)]))
    with caplog.at_level("WARNING", logger="rewardkit"):
        funcs[0](prompts=["p"], completions=["c"], answer=[float("nan")])
        funcs[0](prompts=["p", "p"], completions=["c", "d"], answer=["nan", None])
        funcs[0](prompts=["p"], completions=["c"], answer=["4"])
    warnings = [r for r in caplog.records if "every reference" in r.getMessage()]
    assert len(warnings) == 1 and "'answer'" in warnings[0].getMessage()


def test_a_batch_with_some_references_is_not_warned_about(caplog):
    funcs, _ = to_trl(Rubric([criterion(echo_reference)]))
    with caplog.at_level("WARNING", logger="rewardkit"):
        funcs[0](prompts=["p", "p"], completions=["c", "d"], solution=[None, "d"])
    assert not [r for r in caplog.records if "every reference" in r.getMessage()]


def test_the_same_lists_with_a_new_reference_are_scored_again():
    funcs, _ = to_trl(Rubric([criterion(echo_reference)]))
    prompts, completions, reference = ["p"], ["4"], ["4"]
    assert funcs[0](prompts=prompts, completions=completions, reference=reference) == [1.0]
    assert funcs[0](prompts=prompts, completions=completions, reference=["5"]) == [0.0]
    reference[0] = "5"  # the very same list objects, changed in place
    completions[0] = "5"
    assert funcs[0](prompts=prompts, completions=completions, reference=reference) == [1.0]
    completions[0] = "4"
    assert funcs[0](prompts=prompts, completions=completions, reference=reference) == [0.0]
