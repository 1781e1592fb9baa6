import pytest

from rewardkit import ConfigError
from rewardkit.files import load_yaml


def test_load_yaml_reads_mappings_and_lists(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("a: [1, 2]\n")
    assert load_yaml(path, "thing") == {"a": [1, 2]}


@pytest.mark.parametrize("content, message", [
    (None, "cannot read widget file"),
    (b"a: [1,\n", "invalid YAML"),
    (b"\xff\xfe a: 1", "is not UTF-8 text"),
])
def test_load_yaml_errors_name_what_and_where(tmp_path, content, message):
    path = tmp_path / "w.yaml"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ConfigError, match=message) as err:
        load_yaml(path, "widget file")
    assert "w.yaml" in str(err.value)
