import pytest

from rewardkit import ConfigError
from rewardkit.errors import InputError
from rewardkit.files import load_yaml, parse_assignment, read_text


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


def test_load_yaml_names_a_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="cannot read widget file .*none.yaml: the file does "
                                          "not exist"):
        load_yaml(tmp_path / "none.yaml", "widget file")


@pytest.mark.parametrize("text, pair", [
    ("x=3", ("x", 3)),
    (" x = true ", ("x", True)),
    ("x=a: b", ("x", "a: b")),  # text, as every key=value option reads it, not a mapping
    ("x={a: b}", ("x", {"a": "b"})),
    ("x=[1, 2]", ("x", [1, 2])),
    ("x=", ("x", "")),
    ("x=y=z", ("x", "y=z")),
])
def test_parse_assignment_reads_yaml_scalars(text, pair):
    assert parse_assignment(text, "--opt") == pair


@pytest.mark.parametrize("text", ["x", "=3", " =3", ""])
def test_parse_assignment_names_the_flag_and_an_example(text):
    with pytest.raises(ConfigError, match=r"--opt: .* is not key=value \(write e\.g\. k=1\)"):
        parse_assignment(text, "--opt", "k=1")


def test_every_key_value_option_reads_x_equals_a_colon_b_alike():
    from rewardkit.bench.specs import parse_specs
    from rewardkit.cli.sample import _options
    from rewardkit.train.config import set_key

    data: dict = {}
    set_key(data, "trl.x=a: b")
    assert data == {"trl": {"x": "a: b"}}
    assert _options(["x=a: b"], "--gen") == {"x": "a: b"}
    assert parse_specs(["math:x=a: b"])[0].params == {"x": "a: b"}


@pytest.mark.parametrize("content, why", [
    (None, "the file does not exist"),
    (b"\xff\xfe a: 1", "it is not UTF-8 text (invalid start byte); re-encode it as UTF-8"),
])
def test_read_text_says_what_file_and_why(tmp_path, content, why):
    path = tmp_path / "c.jsonl"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError) as err:
        read_text(path, "case file", InputError)
    assert str(err.value) == f"cannot read case file {path}: {why}"


def test_read_text_names_a_directory(tmp_path):
    with pytest.raises(ConfigError, match="it is a directory, not a file"):
        read_text(tmp_path, "rubric file")
    (tmp_path / "ok.txt").write_text("hé")
    assert read_text(tmp_path / "ok.txt", "x") == "hé"
