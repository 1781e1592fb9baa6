"""Requests that queue while a batch scores are merged, and each gets its own rows back."""

from __future__ import annotations

import threading

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
httpx = pytest.importorskip("httpx")

from rewardkit import Rubric  # noqa: E402
from rewardkit.service.server import running_server  # noqa: E402
from tests.polling import wait_until  # noqa: E402


def rubric(log, *more):
    return Rubric.from_dict({"workers": 1, "criteria": [
        {"name": "log", "reward": "tests.core.rewards_for_scale:BatchLog", "weight": 0,
         "params": {"path": str(log)}},
        {"name": "len", "reward": "tests.core.rewards_for_tests:length"}, *more]})


def post_while_first_scores(base, first, others):
    """POST `first`; once it is scoring, POST `others` at once; returns every reply."""
    replies = {}

    def post(key, samples):
        with httpx.Client(base_url=base, timeout=30) as c:
            replies[key] = c.post("/v1/score", json={"samples": samples})

    threads = [threading.Thread(target=post, args=("first", first))]
    threads[0].start()
    with httpx.Client(base_url=base) as c:
        wait_until(lambda: c.get("/health").json()["in_flight"] >= 1, what="the first request to score")
        threads += [threading.Thread(target=post, args=(i, s)) for i, s in enumerate(others)]
        for t in threads[1:]:
            t.start()
        wait_until(lambda: c.get("/health").json()["in_flight"] >= 1 + len(others),
                   what="every request to be in flight")
    for t in threads:
        t.join()
    return replies


def test_requests_queued_behind_a_batch_are_scored_together(tmp_path):
    log = tmp_path / "batches"
    with running_server(rubric(log)) as base:
        replies = post_while_first_scores(
            base, [{"completion": "a", "metadata": {"sleep": 1}}],
            [[{"completion": "bb"}, {"completion": "bbb"}], [{"completion": "cccc"}]])
    assert log.read_text().split() == ["1", "3"]  # the first alone, then the two merged
    assert [r["total"] for r in replies["first"].json()["results"]] == [1.0]
    assert [r["total"] for r in replies[0].json()["results"]] == [2.0, 3.0]
    assert [r["total"] for r in replies[1].json()["results"]] == [4.0]
    assert replies[1].json()["summary"]["len"]["n"] == 1  # each request's own summary


def test_a_failing_merged_batch_fails_only_the_request_whose_sample_failed(tmp_path):
    strict = {"name": "strict", "reward": "tests.core.rewards_for_tests:misbehave",
              "on_error": "raise", "weight": 0}
    with running_server(rubric(tmp_path / "batches", strict)) as base:
        replies = post_while_first_scores(
            base, [{"completion": "a", "metadata": {"sleep": 1}}],
            [[{"completion": "raise"}], [{"completion": "ok"}]])
    assert replies["first"].status_code == 200
    assert replies[0].status_code == 500
    assert "criterion 'strict' failed on sample 0" in replies[0].json()["detail"]
    assert replies[1].status_code == 200
    assert replies[1].json()["results"][0]["total"] == 2.0
