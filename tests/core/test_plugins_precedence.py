"""Installing a plugin never breaks a rubric that worked, and plugin authors see why."""

import json
import logging
import re
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import rewardkit.plugins as plugins_module
from rewardkit import AmbiguousRewardError
from rewardkit.cli.app import build_app
from rewardkit.plugins import PluginHost
from rewardkit.registry import _warned, resolve_reward

FORMAT = """
from rewardkit import hookimpl, per_sample

@per_sample
def format(sample):
    \"\"\"{who}'s format.\"\"\"
    return {value}

@hookimpl
def register_rewards(register):
    register("format", format)
"""


def host():
    return PluginHost(group="rewardkit_test", builtins=()).load()


def first_party_format(fake_dist):
    fake_dist("rewardkit-format", "format", FORMAT.format(who="ours", value=1.0),
              module="first_party_format")


@pytest.fixture(autouse=True)
def fresh_warnings():
    _warned.clear()
    yield
    _warned.clear()


def test_a_third_party_format_does_not_take_reward_format(fake_dist, caplog):
    first_party_format(fake_dist)
    fake_dist("acme-rewards", "acme", FORMAT.format(who="acme", value=0.0))
    h = host()
    with caplog.at_level(logging.WARNING, logger="rewardkit.plugins"):
        assert resolve_reward("format", h).__doc__ == "ours's format."
        resolve_reward("format", h)  # warned once, not per look-up
    warnings = [r.getMessage() for r in caplog.records if "first-party" in r.getMessage()]
    assert len(warnings) == 1 and "'acme:format'" in warnings[0]
    assert resolve_reward("acme:format", h).__doc__ == "acme's format."


def test_a_third_party_plugin_named_like_a_first_party_one_is_reported_not_loaded(fake_dist):
    first_party_format(fake_dist)
    fake_dist("acme-format", "format", FORMAT.format(who="acme", value=0.0), module="acme_fmt")
    h = host()
    assert h.records["format"].status == "loaded"
    assert h.records["format"].distribution == "rewardkit-format"
    loser = h.records["format (acme-format)"]
    assert loser.status == "failed" and "first-party" in loser.error
    assert "rename the entry point" in loser.remedy
    assert resolve_reward("format", h).__doc__ == "ours's format."


def test_two_third_party_plugins_with_one_name_stay_ambiguous(fake_dist):
    fake_dist("acme-rewards", "acme", FORMAT.format(who="acme", value=0.0))
    fake_dist("other-rewards", "other", FORMAT.format(who="other", value=0.0))
    with pytest.raises(AmbiguousRewardError, match="provided by several plugins"):
        resolve_reward("format", host())


def test_a_plugin_without_hookimpl_is_loaded_with_a_warning(fake_dist, caplog):
    fake_dist("lazy-rewards", "lazy", "def register_rewards(register):\n    pass\n")
    with caplog.at_level(logging.WARNING, logger="rewardkit.plugins"):
        record = host().records["lazy"]
    assert record.status == "loaded" and "no @hookimpl" in record.warning
    assert any("no @hookimpl" in r.getMessage() for r in caplog.records)


# -- the command line -----------------------------------------------------------------------

def cli(monkeypatch, h, *args, columns=80):
    monkeypatch.setattr(plugins_module, "_host", h)
    monkeypatch.setenv("COLUMNS", str(columns))
    return CliRunner().invoke(build_app(list(args)), list(args))


@pytest.fixture
def broken(fake_dist):
    fake_dist("broken-rewards", "broken", "import no_such_module_here\n")
    return host()


def test_plugins_failed_exits_nonzero_while_a_plugin_failed(monkeypatch, broken, fake_dist):
    assert cli(monkeypatch, broken, "plugins", "--failed").exit_code == 1
    fake_dist("acme-rewards", "acme", FORMAT.format(who="acme", value=1.0))
    assert cli(monkeypatch, host(), "plugins", "--failed").exit_code == 1
    monkeypatch.setenv("REWARDKIT_DISABLE_PLUGINS", "broken")
    assert cli(monkeypatch, host(), "plugins", "--failed").exit_code == 0


def test_plugins_failed_verbose_shows_the_import_traceback(monkeypatch, broken):
    result = cli(monkeypatch, broken, "plugins", "--failed", "-v")
    assert "Traceback (most recent call last)" in result.output
    assert "import no_such_module_here" in result.output


def test_plugins_json_carries_the_traceback(monkeypatch, broken):
    [record] = json.loads(cli(monkeypatch, broken, "plugins", "--failed", "--json").output)
    assert "ModuleNotFoundError" in record["traceback"] and record["first_party"] is False


def test_the_plugins_table_wraps_the_fix_instead_of_cutting_it(monkeypatch, broken):
    output = cli(monkeypatch, broken, "plugins", "--failed", columns=60).output
    flat = re.sub(r"[\s│┃┏┓┗┛┡┩└┘━─┳┻╇╈┼┬┴]", "", output)
    remedy = broken.records["broken"].remedy
    assert re.sub(r"\s", "", remedy) in flat


def test_markup_in_plugin_text_is_printed_literally(monkeypatch, fake_dist):
    fake_dist("brackets-rewards", "brackets", "raise ImportError(\"pip install 'x[train]'\")")
    output = cli(monkeypatch, host(), "plugins", "--failed", columns=200).output
    assert "'x[train]'" in output


# -- dotted paths from the current directory --------------------------------------------------

def test_a_module_in_the_current_directory_is_found_as_under_python_m(tmp_path, monkeypatch):
    (tmp_path / "my_cwd_reward.py").write_text("def fn(sample):\n    return 1.0\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", [p for p in sys.path if p not in ("", str(tmp_path))])
    factory = resolve_reward("my_cwd_reward:fn")
    assert factory().score_one is not None and str(tmp_path) == sys.path[-1]
    sys.modules.pop("my_cwd_reward", None)


# -- the plugin tutorial ------------------------------------------------------------------

def test_the_tutorial_pyproject_builds(tmp_path):
    import subprocess
    import tomllib
    from pathlib import Path

    readme = (Path(__file__).parents[2] / "plugins" / "shaping" / "README.md").read_text()
    toml = re.search(r"```toml\n(.*?)```", readme, re.DOTALL).group(1)
    assert tomllib.loads(toml)["project"]["version"]
    (tmp_path / "pyproject.toml").write_text(toml)
    (tmp_path / "rewardkit_myplugin.py").write_text("")
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                            "--no-build-isolation", "-q", "-w", str(tmp_path / "dist"),
                            str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    assert list((tmp_path / "dist").glob("rewardkit_myplugin-0.1.0-*.whl"))


def test_the_rewardkit_script_finds_a_module_in_the_current_directory(tmp_path):
    import os
    import shutil
    import subprocess

    # the script of this interpreter's environment (make's .venv is not on PATH), else PATH's
    beside = Path(sys.executable).parent / "rewardkit"
    script = str(beside) if beside.exists() else shutil.which("rewardkit")
    if script is None:  # an install without the console script
        if os.environ.get("CI") == "true":
            pytest.fail("the rewardkit console script is not installed")
        pytest.skip("no rewardkit console script on PATH")
    (tmp_path / "my_script_reward.py").write_text(
        "def concise(sample, limit: int = 5):\n    \"\"\"Short is good.\"\"\"\n"
        "    return float(len(sample.completion_text) <= limit)\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    out = subprocess.run([script, "rewards", "my_script_reward:concise", "--json"],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["params"][0]["name"] == "limit"
