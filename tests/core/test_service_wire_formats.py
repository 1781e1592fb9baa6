"""Issue 14.19: the same rubric in every trainer's wire format.

Each peer is driven by a client written against its documented request shape:
slime's ``remote_rm`` (slime/rollout/rm_hub: ``{prompt, response, label}``, the JSON reply
is the reward, or a dict read with ``--reward-key``), NeMo-Gym's resources-server
``/verify`` (nemo_gym/base_resources_server.py: ``responses_create_params`` + a
Responses-API ``response`` + task fields; reply adds ``reward`` / ``reward_components``),
verl's custom reward function loaded by path (``compute_score(data_source, solution_str,
ground_truth, extra_info)``) and OpenRLHF's reward-function file (``reward_func(queries,
prompts, labels)``).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
httpx = pytest.importorskip("httpx")

from rewardkit import Rubric  # noqa: E402
from rewardkit.service.app import ServiceSettings  # noqa: E402
from rewardkit.service.server import running_server  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "s3cret"
RUBRIC = {"criteria": [
    {"name": "format", "reward": "format", "weight": 0.2, "gate": True},
    {"name": "match", "reward": "tests.core.rewards_for_tests:answer_matches", "weight": 1.0},
]}


@pytest.fixture(scope="module")
def url():
    settings = ServiceSettings(token=TOKEN, open_paths=["/get_reward", "/remote_rm",
                                                        "/remote_rm/dict", "/verify"])
    with running_server(Rubric.from_dict(RUBRIC), settings) as base:
        yield base


# -- slime / miles: remote_rm ----------------------------------------------------------

def slime_remote_rm(url, sample, reward_key=None):
    """What slime does with --rm-type remote_rm: post the sample, read the JSON reply."""
    reply = httpx.post(url, json={"prompt": sample["prompt"], "response": sample["response"],
                                  "label": sample["label"]}, timeout=60)
    reply.raise_for_status()
    reward = reply.json()
    return reward if not reward_key else reward[reward_key]


def test_slime_remote_rm_gets_the_total_as_a_number(url):
    good = {"prompt": "2+2?", "response": "<think>add</think><answer>4</answer>", "label": "4"}
    wrong = {**good, "label": "5"}
    chat = {**good, "prompt": [{"role": "user", "content": "2+2?"}]}
    assert slime_remote_rm(f"{url}/remote_rm", good) == 1.2
    assert slime_remote_rm(f"{url}/remote_rm", wrong) == 0.2
    assert slime_remote_rm(f"{url}/remote_rm", chat) == 1.2
    unformatted = {**good, "response": "4"}
    assert slime_remote_rm(f"{url}/remote_rm", unformatted) == 0.0  # the format gate


def test_slime_remote_rm_dict_is_read_with_a_reward_key(url):
    sample = {"prompt": "2+2?", "response": "<think>add</think><answer>4</answer>",
              "label": "nan"}  # a missing label: never compared as text
    assert slime_remote_rm(f"{url}/remote_rm/dict", sample, reward_key="reward") == 0.2
    reply = httpx.post(f"{url}/remote_rm/dict", json=sample, timeout=60).json()
    assert reply["match"] is None and reply["statuses"]["match"] == "not_applicable"
    assert reply["total"] == 0.2 and reply["gated"] is False


def test_slime_request_without_a_response_is_a_422(url):
    assert httpx.post(f"{url}/remote_rm", json={"prompt": "p"}, timeout=60).status_code == 422


# -- NeMo-Gym: resources server /verify ------------------------------------------------

def nemo_gym_verify_body(text, expected, reasoning=None):
    """A verify request as NeMo-Gym agents send it (the math_with_judge client's shape)."""
    output = []
    if reasoning is not None:
        output.append({"id": "rs_1", "type": "reasoning",
                       "summary": [{"type": "summary_text", "text": reasoning}]})
    output.append({"id": "message_1", "role": "assistant", "status": "completed",
                   "type": "message",
                   "content": [{"annotations": [], "text": text, "type": "output_text"}]})
    return {"responses_create_params": {"input": [{"role": "user", "content": "2+2?"}]},
            "response": {"id": "response_1", "created_at": 1.0, "model": "model_1",
                         "object": "response", "output": output,
                         "parallel_tool_calls": False, "tool_choice": "none", "tools": []},
            "question": "2+2?", "expected_answer": expected}


def test_nemo_gym_verify_returns_reward_and_reward_components(url):
    body = nemo_gym_verify_body("<answer>4</answer>", "4", reasoning="add them")
    reply = httpx.post(f"{url}/verify", json=body, timeout=60)
    assert reply.status_code == 200, reply.text
    out = reply.json()
    assert out["reward"] == 1.2
    assert out["reward_components"] == {"format": 1.0, "match": 1.0}
    assert out["expected_answer"] == "4" and out["response"]["id"] == "response_1"  # echoed
    assert out["rewardkit"]["statuses"] == {"format": "ok", "match": "ok"}


def test_nemo_gym_verify_flags_a_missing_value_it_sends_as_zero(url):
    body = nemo_gym_verify_body("<answer>4</answer>", None, reasoning="add them")
    out = httpx.post(f"{url}/verify", json=body, timeout=60).json()
    assert out["reward_components"]["match"] == 0.0
    assert out["rewardkit"]["statuses"]["match"] == "not_applicable"


def test_nemo_gym_function_calls_become_tool_calls():
    from rewardkit.service.nemo_gym import completion_messages

    messages = completion_messages([
        {"type": "reasoning", "summary": [{"text": "call it"}]},
        {"type": "function_call", "name": "add", "arguments": '{"a": 2}', "call_id": "c1"},
        {"type": "function_call_output", "call_id": "c1", "output": "4"},
        {"type": "message", "role": "assistant", "content": [{"type": "output_text",
                                                               "text": "4"}]}])
    assert messages == [
        {"role": "assistant", "content": "", "reasoning_content": "call it",
         "tool_calls": [{"type": "function", "function": {"name": "add",
                                                          "arguments": {"a": 2}}}]},
        {"role": "tool", "content": "4"},
        {"role": "assistant", "content": "4"}]


# -- the token: /get_reward open while the native endpoint keeps it ---------------------

def test_open_paths_skip_the_token_and_the_native_endpoint_keeps_it(url):
    query = "<think>a</think><answer>4</answer>"
    openrlhf = httpx.post(f"{url}/get_reward", json={"query": [query], "labels": ["4"]},
                          timeout=60)
    assert openrlhf.status_code == 200 and openrlhf.json()["rewards"] == [1.2]
    native = httpx.post(f"{url}/v1/score", json={"samples": [{"completion": "x"}]}, timeout=60)
    assert native.status_code == 401
    authorized = httpx.post(f"{url}/v1/score", json={"samples": [{"completion": "x"}]},
                            headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60)
    assert authorized.status_code == 200


def test_an_open_path_that_is_not_a_scoring_endpoint_is_refused():
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="/health is not a scoring endpoint"):
        ServiceSettings(open_paths=["/health"])


# -- in process: verl's compute_score and OpenRLHF's reward_func, loaded by path ---------

def load_by_path(path, name):
    """How verl (custom_reward_function.path) and OpenRLHF (--remote_rm_url) load a file."""
    spec = importlib.util.spec_from_file_location("custom_module", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)


@pytest.fixture
def rubric_env(tmp_path, monkeypatch):
    import yaml

    path = tmp_path / "rubric.yaml"
    path.write_text(yaml.safe_dump(RUBRIC))
    monkeypatch.setenv("REWARDKIT_RUBRIC", str(path))
    return path


def test_verl_compute_score_in_process_needs_no_server(rubric_env):
    compute_score = load_by_path(ROOT / "rewardkit" / "integrations" / "verl.py", "compute_score")
    out = compute_score(data_source="gsm8k", solution_str="<think>a</think><answer>4</answer>",
                        ground_truth="4", extra_info={"index": 0})
    assert out["score"] == 1.2 and out["match"] == 1.0 and out["format_failed"] == 0.0
    missing = compute_score(data_source="gsm8k", solution_str="<think>a</think><answer>nan"
                            "</answer>", ground_truth=float("nan"), extra_info=None)
    assert missing["match"] == 0.0 and missing["score"] == 0.2  # not 1.2: NaN is no label


def test_verl_compute_score_batch_and_the_rubric_keyword(rubric_env, monkeypatch):
    monkeypatch.delenv("REWARDKIT_RUBRIC")
    batch = load_by_path(ROOT / "rewardkit" / "integrations" / "verl.py", "compute_score_batch")
    out = batch(data_sources=["a", "b"], solution_strs=["<think>x</think><answer>4</answer>",
                                                          "4"],
                ground_truths=["4", "4"], extra_infos=[None, None], rubric=str(rubric_env))
    assert [o["score"] for o in out] == [1.2, 0.0] and out[1]["gated"] == 1.0


def test_verl_without_a_rubric_says_how_to_name_one(monkeypatch):
    from rewardkit import ConfigError

    monkeypatch.delenv("REWARDKIT_RUBRIC", raising=False)
    compute_score = load_by_path(ROOT / "rewardkit" / "integrations" / "verl.py", "compute_score")
    with pytest.raises(ConfigError, match="REWARDKIT_RUBRIC"):
        compute_score("a", "x", "4")


def test_openrlhf_reward_func_file_in_process(rubric_env):
    torch = pytest.importorskip("torch")
    reward_func = load_by_path(ROOT / "rewardkit" / "integrations" / "openrlhf.py", "reward_func")
    prompts = ["Q: 2+2? A: ", "Q: 3+3? A: "]
    queries = [prompts[0] + "<think>a</think><answer>4</answer>", prompts[1] + "<answer>6</answer>"]
    out = reward_func(queries, prompts, ["4", "6"])
    assert isinstance(out["rewards"], torch.Tensor)
    assert out["rewards"].tolist() == pytest.approx([1.2, 0.0])
    assert out["extra_logs"]["match"].tolist() == [1.0, 1.0]
    assert out["extra_logs"]["prompt_not_prefix"].tolist() == [0.0, 0.0]
