"""`apps` (also TACO): ``input_output`` with ``inputs``, ``outputs`` and optional ``fn_name``.

As APPS's ``eval/testing_util.py``: the solution runs after APPS's import header; with
``fn_name`` each test calls that function (a ``class Solution`` method when the code has
that class) with the input list as arguments; otherwise each test feeds its input on
stdin (a list of lines is joined with newlines, as is a list-valued output). Outputs are
compared as ``judges/apps_stdio.py`` and ``judges/call_result.py`` document. One
difference: the program runs as a real process, not re-indented into a function.
"""

from __future__ import annotations

import json
from typing import Any, Mapping

from rewardkit_code.formats import judges
from rewardkit_code.formats.base import FormatError, Plan, json_field
from rewardkit_code.formats.python_programs import call_program, with_header

NAME = "apps"
FIELDS = ("input_output",)
OPTIONAL = ("starter_code",)
CONTINUATION = False

# APPS's header (numpy guarded: the sandbox image has none, and nothing here needs it).
HEADER = (
    "import sys\nimport time\nimport itertools\n"
    "from itertools import accumulate, product, permutations, combinations\n"
    "import collections\n"
    "from collections import Counter, OrderedDict, deque, defaultdict, ChainMap\n"
    "from functools import lru_cache\nimport math\n"
    "from math import sqrt, sin, cos, tan, ceil, fabs, floor, gcd, exp, log, log2\n"
    "import fractions\nfrom typing import List, Tuple\n"
    "try:\n    import numpy as np\nexcept ImportError:\n    pass\n"
    "import random\nimport heapq\nfrom heapq import *\n"
)


def language(row: Mapping[str, Any], default: str | None) -> str:
    return "python"


def tests(row: Mapping[str, Any]) -> tuple[list[Any], list[Any], str | None]:
    if row.get("input_output") == "":  # APPS problems without tests: nothing to judge
        return [], [], None
    spec = json_field(row, "input_output", NAME)
    if not isinstance(spec, dict):
        raise FormatError(f"{NAME}: 'input_output' must hold an object with 'inputs' and "
                          f"'outputs', got {type(spec).__name__}")
    inputs, outputs = spec.get("inputs"), spec.get("outputs")
    if not isinstance(inputs, list) or not isinstance(outputs, list):
        raise FormatError(f"{NAME}: 'input_output' needs 'inputs' and 'outputs' lists")
    if len(inputs) != len(outputs):
        raise FormatError(f"{NAME}: {len(inputs)} inputs but {len(outputs)} outputs")
    fn_name = spec.get("fn_name") or None
    if fn_name is not None and not isinstance(fn_name, str):
        raise FormatError(f"{NAME}: 'fn_name' must be a string")
    return inputs, outputs, fn_name


def build(row: Mapping[str, Any], code: str, language: str) -> Plan:
    inputs, outputs, fn_name = tests(row)
    source = with_header(HEADER, code)
    if fn_name:
        return Plan(call_program("apps", fn_name, source), {
            "language": "python", "checker": judges.checker("call_result"),
            "tests": [{"input": json.dumps(i),
                       "output": json.dumps({"harness": "apps", "expected": o})}
                      for i, o in zip(inputs, outputs)]})
    return Plan(source, {
        "language": "python", "checker": judges.checker("apps_stdio"),
        "tests": [{"input": _text(i, "input"), "output": _text(o, "output")}
                  for i, o in zip(inputs, outputs)]})


def _text(value: Any, what: str) -> str:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "\n".join(value)
    if isinstance(value, str):
        return value
    raise FormatError(f"{NAME}: a stdin test's {what} must be a string or a list of lines, "
                      f"got {type(value).__name__} (a call-based problem needs 'fn_name')")
