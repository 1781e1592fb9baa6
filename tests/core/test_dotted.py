"""Import paths (``package.module:attr``): one importer, errors that say what failed."""

import pytest

from rewardkit import ConfigError
from rewardkit.dotted import ImportPathError, import_object
from rewardkit.registry import resolve_generator


def test_an_import_path_resolves_nested_attributes():
    assert import_object("rewardkit.types:Score.error").__name__ == "error"


@pytest.mark.parametrize("path, message", [
    ("no_colon", "not an import path"),
    ("no_such_module_xyz:fn", "cannot import 'no_such_module_xyz'"),
    ("rewardkit.types:Nope", "has no attribute 'Nope'")])
def test_a_bad_import_path_says_which_part_failed(path, message):
    with pytest.raises(ImportPathError, match=message):
        import_object(path)


def test_resolve_generator_never_raises_a_bare_lookup_error():
    with pytest.raises(ConfigError, match="no generator named 'pkg.mod:x'.*cannot import 'pkg.mod'"):
        resolve_generator("pkg.mod:x")
