"""Bench case files: what a valid line becomes, and an error naming the line for each bad one."""

from __future__ import annotations

import json

import pytest

from rewardkit.bench.cases import UNCATEGORIZED, CaseFileError, load_cases


def write(tmp_path, *rows, name="cases.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n")
    return path


GOOD = {"id": "a", "completion": "42", "reference": "42", "expected": True}


def test_valid_rows_become_cases(tmp_path):
    chat = [{"role": "assistant", "content": "x = 1"}]
    path = write(tmp_path, GOOD, "", {"id": 7, "completion": chat, "expected": 0.5,
                                      "category": "alg", "prompt": "p", "source": "s",
                                      "params": {"k": 1}, "metadata": {"m": 2}})
    first, second = load_cases(path)
    assert (first.id, first.expected, first.category, first.line) == ("a", True, UNCATEGORIZED, 1)
    assert first.boolean and first.sample.reference == "42"
    assert (second.id, second.expected, second.category, second.line) == ("7", 0.5, "alg", 3)
    assert not second.boolean and second.params == {"k": 1}
    assert second.sample.completion_text == "x = 1" and second.sample.prompt == "p"
    assert second.sample.metadata == {"source": "s", "m": 2}


def test_integer_expected_is_numeric_not_boolean(tmp_path):
    (case,) = load_cases(write(tmp_path, {**GOOD, "expected": 1}))
    assert case.expected == 1.0 and not case.boolean


def test_reference_is_optional(tmp_path):
    row = {k: v for k, v in GOOD.items() if k != "reference"}
    assert load_cases(write(tmp_path, row))[0].sample.reference is None


@pytest.mark.parametrize("row, message", [
    ({"id": "a", "completion": "x"}, "line 2: missing field(s) 'expected'"),
    ({"completion": "x", "expected": True}, "line 2: missing field(s) 'id'"),
    ({**GOOD, "id": "b", "expected": "yes"}, "line 2: 'expected' must be true/false"),
    ({**GOOD, "id": "b", "expected": None}, "line 2: 'expected' must be true/false"),
    ({**GOOD, "id": "b", "expected": [1]}, "line 2: 'expected' must be true/false"),
    ({**GOOD, "id": "b", "completion": 5}, "line 2: 'completion' must be text"),
    ({**GOOD, "id": "b", "params": [1]}, "line 2: 'params' must be an object"),
    ({**GOOD, "id": True}, "line 2: 'id' must be"),
    ({**GOOD, "id": "b", "category": ["x"]}, "line 2: 'category' must be a string"),
    ([1, 2], "line 2: expected a JSON object"),
    ('{"id": "b", "completion": ', "line 2: not valid JSON"),
    ("not json at all", "line 2: not valid JSON"),
    (GOOD, "line 2: duplicate id 'a' (first used on line 1)"),
])
def test_bad_line_names_file_and_line(tmp_path, row, message):
    path = write(tmp_path, GOOD, row)
    with pytest.raises(CaseFileError) as info:
        load_cases(path)
    assert str(info.value).startswith(f"{path}, line 2:")
    assert message in str(info.value)


def test_missing_file(tmp_path):
    with pytest.raises(CaseFileError, match="does not exist"):
        load_cases(tmp_path / "nope.jsonl")


def test_directory(tmp_path):
    with pytest.raises(CaseFileError, match="is a directory"):
        load_cases(tmp_path)


def test_not_utf8(tmp_path):
    path = tmp_path / "bin.jsonl"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(CaseFileError, match="cannot read case file"):
        load_cases(path)


def test_empty_file(tmp_path):
    with pytest.raises(CaseFileError, match="holds no cases"):
        load_cases(write(tmp_path, ""))
