"""Pieces of the `rewardkit train` runner that need no training: tiny model, metrics, fifths."""

import subprocess
import sys

import pytest

from rewardkit.train.callbacks import metrics_row
from rewardkit.train.runner import TrainResult, fifths
from rewardkit.train.tiny import TAGS, TinyModelConfig


def test_importing_the_trainer_modules_imports_no_heavy_library():
    code = ("import sys, rewardkit.trl, rewardkit.train, rewardkit.sampling, "
            "rewardkit.cli.train, rewardkit.cli.sample; "
            "print([m for m in ('torch', 'transformers', 'trl', 'datasets') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_tiny_tokenizer_keeps_the_tags_as_single_tokens_and_round_trips():
    pytest.importorskip("transformers")
    from rewardkit.train.tiny import build_tokenizer

    tokenizer = build_tokenizer()
    text = "max 3 7 2\n<think>3 7 2</think><answer>7</answer>"
    ids = tokenizer(text)["input_ids"]
    assert tokenizer.decode(ids, skip_special_tokens=True) == text
    assert all(len(tokenizer(tag)["input_ids"]) == 1 for tag in TAGS)
    assert tokenizer.eos_token_id not in ids  # TRL adds eos itself where it needs one


def test_tiny_model_is_deterministic_in_its_seed():
    torch = pytest.importorskip("torch")
    from rewardkit.train.tiny import build_model

    a, _ = build_model(TinyModelConfig(hidden_size=16, heads=2, layers=1), seed=3)
    b, _ = build_model(TinyModelConfig(hidden_size=16, heads=2, layers=1), seed=3)
    c, _ = build_model(TinyModelConfig(hidden_size=16, heads=2, layers=1), seed=4)
    wa, wb, wc = (m.get_input_embeddings().weight for m in (a, b, c))
    assert torch.equal(wa, wb) and not torch.equal(wa, wc)


def test_tiny_model_shape_is_validated():
    with pytest.raises(ValueError, match="multiple of heads"):
        TinyModelConfig(hidden_size=30, heads=4)
    with pytest.raises(ValueError, match="extra"):
        TinyModelConfig(hiden_size=32)


def test_metrics_row_names_reward_and_each_criterion_and_skips_rows_without_reward():
    logs = {"reward": 0.5, "rewards/math/mean": 0.25, "rewards/math/std": 0.1, "loss": 0.1,
            "rewardkit/math/error": 1.0, "note": "text"}
    row = metrics_row(10, logs, ["math", "format"])
    assert row["step"] == 10 and row["reward"] == 0.5 and row["rewards/math"] == 0.25
    assert row["rewards/format"] is None and row["rewardkit/math/error"] == 1.0
    assert "note" not in row
    assert metrics_row(10, {"train_runtime": 3.0}, ["math"]) is None
    assert metrics_row(1, {"reward": float("nan")}, [])["reward"] is None


def test_fifths_compare_the_first_and_last_fifth_of_logged_steps():
    rows = [{"reward": float(i)} for i in range(10)]
    assert fifths(rows, "reward") == {"first": 0.5, "last": 8.5, "rise": 8.0}
    assert fifths(rows[:3], "reward") == {"first": 0.0, "last": 2.0, "rise": 2.0}
    assert fifths([{"reward": None}], "reward") == {"first": None, "last": None, "rise": None}


def test_train_result_summarises_components_and_problem_counts(tmp_path):
    rows = [{"step": s, "reward": s / 10, "rewards/math": s / 20, "rewardkit/math/error": e}
            for s, e in [(1, 2.0), (2, 0.0), (3, 1.0), (4, 0.0), (5, 0.0)]]
    result = TrainResult(tmp_path, ["math"], [1.0], rows, 1.0)
    assert result.summary()["rewards/math"]["rise"] == pytest.approx(0.2)
    assert result.status_counts() == {"rewardkit/math/error": pytest.approx(0.6)}
    assert result.to_dict()["steps"] == 5


@pytest.mark.parametrize("column", ["reference", "solution", "answer", "ground_truth"])
def test_train_data_finds_the_reference_under_trls_usual_column_names(tmp_path, column):
    pytest.importorskip("datasets")
    from rewardkit.train.config import DatasetConfig
    from rewardkit.train.data import load_prompts

    path = tmp_path / "rows.jsonl"
    path.write_text(f'{{"prompt": "q", "{column}": "42", "level": 1}}\n')
    rows = load_prompts(DatasetConfig(path=str(path)))
    assert rows[0]["reference"] == "42" and rows[0]["level"] == 1


def test_train_data_reference_column_can_be_named_or_switched_off(tmp_path):
    pytest.importorskip("datasets")
    from rewardkit.errors import ConfigError
    from rewardkit.train.config import DatasetConfig
    from rewardkit.train.data import load_prompts

    path = tmp_path / "rows.jsonl"
    path.write_text('{"prompt": "q", "gold": "7", "answer": "not this"}\n')
    named = load_prompts(DatasetConfig(path=str(path), columns={"reference": "gold"}))
    assert named[0]["reference"] == "7"
    off = load_prompts(DatasetConfig(path=str(path), columns={"reference": None}))
    assert "reference" not in off.column_names
    with pytest.raises(ConfigError, match="columns.reference: column 'nope'"):
        load_prompts(DatasetConfig(path=str(path), columns={"reference": "nope"}))
