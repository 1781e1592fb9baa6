"""`environment.factory` paths are imported by the one importer (rewardkit.dotted)."""

from __future__ import annotations

import pytest

from rewardkit.errors import ConfigError
from rewardkit.train.config import EnvironmentConfig
from rewardkit.train.environment import build_factory


def test_an_environment_factory_that_does_not_import_names_the_path_and_the_key():
    with pytest.raises(ConfigError, match="cannot import 'no_such_module_xyz' for "
                                          "environment.factory 'no_such_module_xyz:f'"):
        build_factory(EnvironmentConfig(factory="no_such_module_xyz:f"))
    with pytest.raises(ConfigError, match="environment.factory: 'nope' is neither 'python'"):
        build_factory(EnvironmentConfig(factory="nope"))
    with pytest.raises(ConfigError, match="module 'json' has no attribute 'nothing_here'"):
        build_factory(EnvironmentConfig(factory="json:nothing_here"))
