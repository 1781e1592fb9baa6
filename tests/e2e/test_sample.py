"""`rewardkit sample`: best-of-N rejection sampling into SFT-ready JSONL."""

import json

import pytest
from typer.testing import CliRunner

from rewardkit import ConfigError, Rubric, criterion
from rewardkit.cli.app import build_app
from rewardkit.generators.testing import ScriptedGenerator
from rewardkit.sampling import SampleStats, best_of_n
from tests.e2e.toy_rewards import exact, tagged

SCRIPTED = "rewardkit.generators.testing:ScriptedGenerator"
GOOD = "<think>1 2 3</think><answer>3</answer>"
WRONG = "<think>1 2 3</think><answer>2</answer>"
BROKEN = "3"


def rubric():
    return Rubric([criterion(tagged, name="format", weight=0.2),
                   criterion(exact, name="math", weight=0.8)])


def rows(*references):
    return [{"prompt": f"max {i}\n", "reference": r, "id": i} for i, r in enumerate(references)]


def test_best_keeps_the_highest_total_per_prompt_with_its_scores():
    gen = ScriptedGenerator(default=[BROKEN, WRONG, GOOD, WRONG])
    out = list(best_of_n(rubric(), gen, rows("3", "3"), n=4))
    assert [r["completion"] for r in out] == [GOOD, GOOD]
    assert out[0]["total"] == pytest.approx(1.0) and out[0]["candidates"] == 4
    assert out[0]["scores"]["math"] == {"value": 1.0, "status": "ok"}
    assert out[1]["id"] == 1 and out[1]["reference"] == "3" and out[1]["prompt"] == "max 1\n"


def test_all_keeps_every_completion_at_or_above_the_threshold_best_first():
    gen = ScriptedGenerator(default=[WRONG, GOOD, BROKEN])
    out = list(best_of_n(rubric(), gen, rows("3"), n=3, keep="all", threshold=0.2))
    assert [r["completion"] for r in out] == [GOOD, WRONG] and [r["rank"] for r in out] == [0, 1]


def test_prompts_without_a_good_enough_completion_are_counted_not_written():
    stats = SampleStats()
    gen = ScriptedGenerator(default=[WRONG, BROKEN])
    out = list(best_of_n(rubric(), gen, rows("3", "2"), n=2, threshold=0.5, stats=stats,
                         batch_size=1))
    assert [r["reference"] for r in out] == ["2"]
    assert (stats.prompts, stats.candidates, stats.kept, stats.prompts_without_keeper) == \
        (2, 4, 1, 1)


def test_a_generator_returning_the_wrong_count_is_an_error():
    class Short:
        def generate(self, prompts, n=1, **sampling):
            return [["x"] for _ in prompts]

    with pytest.raises(ConfigError, match="expected 3 each"):
        list(best_of_n(rubric(), Short(), rows("1"), n=3))


def test_rows_need_a_text_prompt_and_n_must_be_positive():
    with pytest.raises(ConfigError, match="text 'prompt'"):
        list(best_of_n(rubric(), ScriptedGenerator(default=[GOOD]), [{"prompt": None}], n=1))
    with pytest.raises(ConfigError, match="at least 1"):
        list(best_of_n(rubric(), ScriptedGenerator(default=[GOOD]), rows("3"), n=0))


@pytest.fixture
def files(tmp_path):
    rubric_path = tmp_path / "rubric.yaml"
    rubric_path.write_text(
        "criteria:\n"
        "  - {reward: 'tests.e2e.toy_rewards:tagged', name: format, weight: 0.2}\n"
        "  - {reward: 'tests.e2e.toy_rewards:exact', name: math, weight: 0.8}\n")
    prompts = tmp_path / "prompts.jsonl"
    prompts.write_text("".join(json.dumps(r) + "\n" for r in rows("3", "2", "3")))
    return rubric_path, prompts, tmp_path / "out" / "sft.jsonl"


def invoke(*args):
    args = ["sample", *args]
    return CliRunner().invoke(build_app(args), args)


def test_cli_writes_the_best_completion_per_prompt(files):
    rubric_path, prompts, output = files
    result = invoke("-r", str(rubric_path), "-i", str(prompts), "-o", str(output),
                    "-g", SCRIPTED, "--gen", f"default=['{WRONG}', '{GOOD}']", "-n", "2",
                    "--json")
    assert result.exit_code == 0, result.output
    written = [json.loads(line) for line in output.read_text().splitlines()]
    assert [r["completion"] for r in written] == [GOOD, WRONG, GOOD]
    summary = json.loads(result.stdout[result.stdout.index("{"):])
    assert summary["prompts"] == 3 and summary["kept"] == 3 and summary["candidates"] == 6


def test_cli_rejects_bad_options_with_a_reason(files):
    rubric_path, prompts, output = files
    base = ["-r", str(rubric_path), "-i", str(prompts), "-o", str(output), "-g", SCRIPTED]
    result = invoke(*base, "--keep", "all")
    assert result.exit_code == 2 and "--threshold" in result.output
    result = invoke(*base, "--keep", "some")
    assert result.exit_code == 2 and "'best' or 'all'" in result.output
    result = invoke(*base, "--gen", "default")
    assert result.exit_code == 2 and "key=value" in result.output
    result = invoke(*base, "--prompt-column", "question", "--gen", "default=['x']")
    assert result.exit_code == 2 and "column 'question'" in result.output
    output.parent.mkdir(parents=True)
    output.write_text("keep me\n")
    result = invoke(*base, "--gen", "default=['x']")
    assert result.exit_code == 2 and "--overwrite" in result.output
    assert output.read_text() == "keep me\n"


@pytest.mark.slow
def test_cli_samples_from_a_tiny_model_saved_by_the_runner(files, tmp_path):
    pytest.importorskip("transformers")
    from rewardkit.train.tiny import build_model

    model, tokenizer = build_model(seed=0)
    model.save_pretrained(tmp_path / "tiny")
    tokenizer.save_pretrained(tmp_path / "tiny")
    rubric_path, prompts, output = files
    result = invoke("-r", str(rubric_path), "-i", str(prompts), "-o", str(output),
                    "-g", "hf", "-m", str(tmp_path / "tiny"), "--gen", "device=cpu",
                    "-n", "3", "--max-tokens", "8", "--keep", "all", "--threshold", "0")
    assert result.exit_code == 0, result.output
    written = [json.loads(line) for line in output.read_text().splitlines()]
    assert len(written) == 9 and all(r["candidates"] == 3 for r in written)
    assert all(isinstance(r["completion"], str) and r["total"] == 0.0 for r in written)
