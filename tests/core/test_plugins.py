"""The entry-point loader, against fake installed distributions."""

import logging
import os
import subprocess
import sys

import pytest

from rewardkit import PluginError
from rewardkit.plugins import PluginHost

GOOD = """
from rewardkit import hookimpl, per_sample

@per_sample
def always(sample):
    return 1.0

@hookimpl
def register_rewards(register):
    register("always", always)
"""


def host(**kwargs):
    return PluginHost(group="rewardkit_test", builtins=(), **kwargs).load()


def status(h, name):
    return h.records[name].status


def test_a_good_plugin_loads_and_registers_its_rewards(fake_dist):
    fake_dist("acme-rewards", "acme", GOOD)
    h = host()
    assert status(h, "acme") == "loaded"
    assert h.records["acme"].provides == {"rewards": ["always"]}
    assert h.records["acme"].distribution == "acme-rewards"


def test_import_failure_is_reported_once_and_others_keep_working(fake_dist, caplog):
    fake_dist("acme-rewards", "acme", GOOD)
    fake_dist("broken-rewards", "broken", "raise RuntimeError('no gpu here')")
    with caplog.at_level(logging.WARNING, logger="rewardkit.plugins"):
        h = host()
        h.load()  # loading again reports nothing new
    record = h.records["broken"]
    assert record.status == "failed"
    assert 'Error importing plugin "broken": RuntimeError: no gpu here' in record.error
    assert "REWARDKIT_DISABLE_PLUGINS=broken" in record.remedy
    assert "pip uninstall broken-rewards" in record.remedy
    assert "RuntimeError" in record.traceback
    assert status(h, "acme") == "loaded"
    assert len([r for r in caplog.records if "broken" in r.getMessage()]) == 1


def test_a_plugin_calling_sys_exit_on_import_does_not_exit_the_host(fake_dist):
    fake_dist("exit-rewards", "exits", "import sys; sys.exit(3)")
    assert status(host(), "exits") == "failed"


def test_bad_hookimpl_signature_is_reported(fake_dist):
    fake_dist("sig-rewards", "sig", """
from rewardkit import hookimpl

@hookimpl
def register_rewards(register, extra_argument):
    pass
""")
    h = host()
    assert status(h, "sig") == "failed"
    assert "extra_argument" in h.records["sig"].error


def test_unknown_hook_is_reported_with_the_known_ones(fake_dist):
    fake_dist("typo-rewards", "typo", """
from rewardkit import hookimpl

@hookimpl
def register_reward(register):
    pass
""")
    h = host()
    assert status(h, "typo") == "failed"
    assert "register_reward" in h.records["typo"].error
    assert "register_rewards" in h.records["typo"].error


def test_registering_something_that_is_not_a_factory_fails_the_plugin(fake_dist):
    fake_dist("inst-rewards", "inst", """
from rewardkit import hookimpl, per_sample

@per_sample
def always(sample):
    return 1.0

@hookimpl
def register_rewards(register):
    register("ok_one", always)
    register("instance", always())
""")
    h = host()
    assert status(h, "inst") == "failed"
    assert "not a factory" in h.records["inst"].error
    assert not [r for r in h.registrations if r.plugin == "inst"]  # partial work removed


def test_two_distributions_with_the_same_plugin_name_are_both_reported(fake_dist):
    fake_dist("first-dist", "same", GOOD, module="first_mod")
    fake_dist("second-dist", "same", GOOD, module="second_mod")
    h = host()
    assert status(h, "same") == "failed"
    assert "first-dist" in h.records["same"].error and "second-dist" in h.records["same"].error


def test_disabling_one_duplicate_by_distribution_name_loads_the_other(fake_dist, monkeypatch):
    fake_dist("first-dist", "same", GOOD, module="first_mod")
    fake_dist("second-dist", "same", GOOD, module="second_mod")
    monkeypatch.setenv("REWARDKIT_DISABLE_PLUGINS", "second-dist")
    h = host()
    assert status(h, "same") == "loaded" and h.records["same"].distribution == "first-dist"


def test_version_mismatch_is_reported_and_not_imported(fake_dist):
    fake_dist("old-rewards", "old", "raise AssertionError('must not be imported')",
              requires=["rewardkit<0.0.1", "numpy>=1"])
    h = host()
    assert status(h, "old") == "failed"
    assert "requires rewardkit<0.0.1" in h.records["old"].error


def test_requirement_behind_an_extra_marker_is_ignored(fake_dist):
    fake_dist("extra-rewards", "extra", GOOD, requires=['rewardkit<0.0.1; extra == "x"'])
    assert status(host(), "extra") == "loaded"


def test_deny_list_applies_before_import(fake_dist, monkeypatch):
    fake_dist("bad-rewards", "bad", "raise AssertionError('must not be imported')")
    monkeypatch.setenv("REWARDKIT_DISABLE_PLUGINS", "bad")
    assert status(host(), "bad") == "disabled"


def test_allow_list_loads_only_the_named_plugins(fake_dist, monkeypatch):
    fake_dist("acme-rewards", "acme", GOOD)
    fake_dist("bad-rewards", "bad", "raise AssertionError('must not be imported')")
    monkeypatch.setenv("REWARDKIT_LOAD_PLUGINS", "acme")
    h = host()
    assert status(h, "acme") == "loaded" and status(h, "bad") == "disabled"


def test_empty_allow_list_loads_no_plugin(fake_dist, monkeypatch):
    fake_dist("acme-rewards", "acme", GOOD)
    monkeypatch.setenv("REWARDKIT_LOAD_PLUGINS", "")
    assert status(host(), "acme") == "disabled"


def test_strict_mode_raises_with_the_remedy(fake_dist, monkeypatch):
    fake_dist("broken-rewards", "broken", "raise RuntimeError('boom')")
    monkeypatch.setenv("REWARDKIT_STRICT_PLUGINS", "1")
    with pytest.raises(PluginError, match='Error importing plugin "broken".*REWARDKIT_DISABLE'):
        host()


def test_register_rewards_raising_fails_only_that_plugin(fake_dist):
    fake_dist("acme-rewards", "acme", GOOD)
    fake_dist("raiser-rewards", "raiser", """
from rewardkit import hookimpl

@hookimpl
def register_rewards(register):
    raise KeyError("config missing")
""")
    h = host()
    assert status(h, "raiser") == "failed" and "register_rewards failed" in h.records["raiser"].error
    assert status(h, "acme") == "loaded"


def test_register_commands_failure_is_reported_not_raised(fake_dist):
    fake_dist("cmd-rewards", "cmd", """
from rewardkit import hookimpl

@hookimpl
def register_commands(app):
    raise RuntimeError("cannot add")
""")
    h = host()
    h.add_commands(object())
    assert status(h, "cmd") == "failed"


def test_register_generators_hook_records_generators(fake_dist):
    fake_dist("gen-rewards", "gen", """
from rewardkit import hookimpl

class Echo:
    def __init__(self, **config):
        pass
    def generate(self, prompts, n=1, **sampling):
        return [[p] * n for p in prompts]

@hookimpl
def register_generators(register):
    register("echo", Echo)
""")
    h = host()
    assert [r.name for r in h.registered("generators")] == ["echo"]


MARKER_PLUGIN = """
import os
open(os.environ["MARKER"], "w").write("imported")
from rewardkit import hookimpl

@hookimpl
def register_rewards(register):
    pass
"""


@pytest.mark.parametrize("command", [
    [sys.executable, "-c", "import rewardkit, rewardkit.rubric, rewardkit.registry"],
    [sys.executable, "-m", "rewardkit", "--help"],
    [sys.executable, "-m", "rewardkit", "score", "--help"],
])
def test_importing_rewardkit_and_help_import_no_plugin(fake_dist, tmp_path, command):
    site = fake_dist("marker-rewards", "marker", MARKER_PLUGIN, group="rewardkit")
    marker = tmp_path / "marker"
    env = {**os.environ, "MARKER": str(marker),
           "PYTHONPATH": os.pathsep.join([str(site), *sys.path])}
    subprocess.run(command, check=True, env=env, capture_output=True)
    assert not marker.exists()
    subprocess.run([sys.executable, "-m", "rewardkit", "plugins"], check=True, env=env,
                   capture_output=True)
    assert marker.exists()  # the control: listing plugins does import it


def test_import_rewardkit_imports_no_heavy_library():
    code = ("import sys, rewardkit; heavy = {'sympy', 'torch', 'transformers', 'trl', 'docker',"
            " 'httpx', 'requests', 'langdetect', 'numpy'}; print(sorted(heavy & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == "[]"


def test_hooks_are_called_through_pluggy_by_keyword(fake_dist):
    """Hook monitoring sees each call, with the arguments by name."""
    from rewardkit.plugins import PluginHost

    fake_dist("kw-plugin", "kw", """
        from rewardkit import hookimpl, per_sample

        @per_sample
        def one(sample):
            return 1.0

        @hookimpl
        def register_rewards(register):
            register("one", one)
        """)
    host = PluginHost(group="rewardkit_test", builtins=())
    seen = []
    host.pm.add_hookcall_monitoring(
        lambda name, impls, kwargs: seen.append((name, [i.plugin_name for i in impls],
                                                 sorted(kwargs))),
        lambda *args: None)
    host.load()
    assert ("register_rewards", ["kw"], ["register"]) in seen
    assert [r.name for r in host.registered("rewards")] == ["one"]


def test_trace_variable_logs_every_hook_call(fake_dist, monkeypatch, capsys):
    from rewardkit.plugins import PluginHost

    fake_dist("traced-plugin", "traced", """
        from rewardkit import hookimpl

        @hookimpl
        def register_rewards(register):
            pass
        """)
    monkeypatch.setenv("REWARDKIT_TRACE_PLUGINS", "1")
    PluginHost(group="rewardkit_test", builtins=()).load()
    err = capsys.readouterr().err
    assert "calling register_rewards of plugin 'traced'" in err
    assert "finish register_rewards" in err
