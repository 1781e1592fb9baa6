"""`livecodebench`: ``public_test_cases`` and ``private_test_cases`` (JSON strings of
``{"input", "output", "testtype"}``; the released private tests may instead be
base64 + zlib + pickle of that JSON, as ``lcb_runner`` reads them), ``metadata`` (JSON,
``func_name``) and ``starter_code``.

As ``lcb_runner/evaluation/testing_util.py``: the solution runs after LCB's import
block; with ``metadata.func_name`` every test is functional (each input line is one JSON
argument; a ``class Solution`` method when the code has that class; the result, a
tuple made a list, must ``==`` the JSON output), otherwise stdin (compared as
``judges/lcb_stdio.py``). Public tests come first, then private ones.
"""

from __future__ import annotations

import base64
import io
import json
import pickle
import zlib
from typing import Any, Mapping

from rewardkit_code.formats import judges
from rewardkit_code.formats.base import FormatError, Plan, json_field
from rewardkit_code.formats.python_programs import call_program, with_header

NAME = "livecodebench"
FIELDS = ("public_test_cases",)
OPTIONAL = ("private_test_cases", "metadata", "starter_code")
CONTINUATION = False

_MODULES = ("string", "re", "datetime", "collections", "heapq", "bisect", "copy", "math",
            "random", "statistics", "itertools", "functools", "operator", "io", "sys", "json")
# lcb_runner's import_string, in its order.
HEADER = ("".join(f"from {m} import *\n" for m in (*_MODULES, "builtins", "typing"))
          + "".join(f"import {m}\n" for m in _MODULES) + "sys.setrecursionlimit(50000)\n")


def language(row: Mapping[str, Any], default: str | None) -> str:
    return "python"


class _TextOnly(pickle.Unpickler):
    """Unpickles strings and plain containers only: no class is ever looked up."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"refusing to load {module}.{name}")


def _private(row: Mapping[str, Any]) -> list[Any]:
    value = row.get("private_test_cases")
    if value in (None, "", []):
        return []
    if not isinstance(value, str):
        return value if isinstance(value, list) else _bad("private_test_cases")
    try:
        return json.loads(value)
    except ValueError:
        pass
    try:
        text = _TextOnly(io.BytesIO(zlib.decompress(base64.b64decode(value)))).load()
        return json.loads(text) if isinstance(text, str) else text
    except Exception:  # noqa: BLE001 - any undecodable payload is the same bad field
        return _bad("private_test_cases")


def _bad(key: str) -> Any:
    raise FormatError(f"{NAME}: {key!r} is neither JSON nor LiveCodeBench's compressed "
                      "form (base64 of zlib of a pickled JSON string)")


def tests(row: Mapping[str, Any]) -> tuple[list[dict[str, Any]], str | None]:
    cases = json_field(row, "public_test_cases", NAME)
    cases = (cases if isinstance(cases, list) else _bad("public_test_cases")) + _private(row)
    for i, case in enumerate(cases):
        if not (isinstance(case, dict) and isinstance(case.get("input"), str)
                and isinstance(case.get("output"), str)):
            raise FormatError(f"{NAME}: test {i} must have string 'input' and 'output'")
    metadata = json_field(row, "metadata", NAME, default={})
    function = metadata.get("func_name") if isinstance(metadata, dict) else None
    return cases, function or None


def build(row: Mapping[str, Any], code: str, language: str) -> Plan:
    cases, function = tests(row)
    source = with_header(HEADER, code)
    if function is None:
        return Plan(source, {"language": "python", "checker": judges.checker("lcb_stdio"),
                             "tests": [{"input": c["input"], "output": c["output"]}
                                       for c in cases]})
    checked = []
    for i, case in enumerate(cases):
        try:
            expected = json.loads(case["output"])
        except ValueError:
            raise FormatError(f"{NAME}: functional test {i}'s output is not JSON") from None
        checked.append({"input": case["input"],
                        "output": json.dumps({"harness": "lcb", "expected": expected})})
    return Plan(call_program("lcb", function, source),
                {"language": "python", "checker": judges.checker("call_result"),
                 "tests": checked})
