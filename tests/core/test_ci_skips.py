"""Under CI=true a test that needs a missing extra fails instead of skipping."""

import pytest

from tests.conftest import importorskip_or_fail

MISSING = "rewardkit_no_such_module_xyz"


def skipping(modname, *args, **kwargs):
    pytest.skip(f"could not import {modname!r}")


def test_outside_ci_a_missing_extra_skips():
    with pytest.raises(pytest.skip.Exception):
        importorskip_or_fail(skipping, in_ci=False)(MISSING)


def test_under_ci_a_missing_extra_fails():
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        importorskip_or_fail(skipping, in_ci=True)(MISSING)


def test_a_present_module_is_returned():
    import json

    assert importorskip_or_fail(lambda name: json, in_ci=True)("json") is json
