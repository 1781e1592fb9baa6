"""Step splitting, step values, aggregation and the first-error search (no model)."""

from __future__ import annotations

import random

import pytest

from rewardkit_prm.estimate import FirstErrorSearch, aggregate, step_value
from rewardkit_prm.steps import merge_steps, split_steps


def pieces(text, mode="auto", pattern=None):
    return [text[s:e] for s, e in split_steps(text, mode, pattern)]


@pytest.mark.parametrize("text, mode, expected", [
    ("a\n\nb\n\n\nc", "double_newline", ["a\n\n", "b\n\n\n", "c"]),
    ("a\nb\n\nc\n", "newline", ["a\n", "b\n\n", "c\n"]),
    ("Let me see.\nStep 1: x\nmore\nStep 2: y", "step_k", ["Let me see.\nStep 1: x\nmore\n",
                                                           "Step 2: y"]),
    ("**Step 1.** x\n## Step 2) y", "step_k", ["**Step 1.** x\n", "## Step 2) y"]),
    ("a; b; c", "regex", ["a; ", "b; ", "c"]),
    ("Step 1: a\n\nStep 2: b", "auto", ["Step 1: a\n\n", "Step 2: b"]),
    ("a\n\nb\nc", "auto", ["a\n\n", "b\nc"]),
    ("a\nb", "auto", ["a\n", "b"]),
    ("\n\n  a\n\nb", "double_newline", ["\n\n  a\n\n", "b"]),
    ("single", "auto", ["single"]),
    ("", "auto", []),
])
def test_split_modes(text, mode, expected):
    assert pieces(text, mode, r";\s*" if mode == "regex" else None) == expected


def test_joining_the_steps_reproduces_any_text_exactly():
    rng = random.Random(0)
    alphabet = ["a", "b", " ", "\n", "\n\n", "\t", "Step 1:", "Step 2:", "x\n \n"]
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
        for mode in ("auto", "double_newline", "newline", "step_k"):
            spans = split_steps(text, mode)
            assert "".join(text[s:e] for s, e in spans) == text
            assert all(text[s:e].strip() for s, e in spans) or len(spans) == 1


def test_regex_mode_needs_a_pattern():
    with pytest.raises(ValueError, match="needs a pattern"):
        split_steps("a", "regex")


def test_merging_keeps_the_text_covered_in_near_equal_groups():
    spans = [(i, i + 1) for i in range(7)]
    assert merge_steps(spans, 3) == [(0, 2), (2, 4), (4, 7)]
    assert merge_steps(spans, 10) == spans
    with pytest.raises(ValueError):
        merge_steps(spans, 0)


def test_step_values_exclude_missing_grades():
    assert step_value([1.0, 0.0, None, 1.0], "soft") == pytest.approx(2 / 3)
    assert step_value([0.0, None], "hard") == 0.0
    assert step_value([0.2, 0.9], "hard") == 1.0
    assert step_value([None, None], "soft") is None and step_value([], "hard") is None


@pytest.mark.parametrize("how, expected", [("min", 0.25), ("last", None), ("mean", 0.625),
                                           ("product", 0.25)])
def test_aggregates_skip_missing_step_values(how, expected):
    assert aggregate([1.0, 0.25, None], how) == expected


def test_first_error_search_finds_the_first_prefix_without_a_correct_rollout():
    search = FirstErrorSearch(steps=8, last_value=0.0)
    good = lambda step: 1.0 if step < 5 else 0.0  # noqa: E731
    evaluated = []
    while not search.done:
        step = search.next_step()
        evaluated.append(step)
        search.record(step, good(step))
    assert search.first_error == 5 and evaluated == [3, 5, 4]
    assert [v for v, _ in search.values()] == [1, 1, 1, 1, 1, 0, 0, 0]
    assert [i for i, (_, inferred) in enumerate(search.values()) if not inferred] == [3, 4, 5, 7]


def test_a_correct_solution_needs_no_search():
    search = FirstErrorSearch(steps=5, last_value=1.0)
    assert search.done and search.first_error is None
    assert [v for v, _ in search.values()] == [1.0] * 5
