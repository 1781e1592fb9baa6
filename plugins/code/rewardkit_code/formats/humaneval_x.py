"""`humaneval-x`: ``prompt``, ``declaration`` and ``test``, with a ``language`` (or the
``task_id`` prefix: ``CPP/0``, ``Java/0``, ``JavaScript/0``, ``Go/0``, ``Rust/0``,
``Python/0``). Go rows also use ``import`` and ``test_setup``.

As CodeGeeX's ``evaluate_humaneval_x.py`` and ``execution.py``: the program is the
prompt followed by the completion and the test (Python: after CodeGeeX's import
helper, the completion cut at its first unindented line; C++: missing standard
includes first; Go: the prompt's import block replaced by the test setup's imports
plus those helper packages the completion uses; Rust: the declaration, then prompt,
completion and tests). Pass: exit 0 (``go test``/``cargo test`` passing); JavaScript
also fails on any stderr output (``console.assert`` only prints). A completion that
restates the function (a whole program) is used whole with the declaration's
includes/imports, its own ``main`` removed.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from rewardkit_code.formats import native_tests, splice
from rewardkit_code.formats.base import FormatError, Plan, require, sandbox_language
from rewardkit_code.formats.python_asserts import join_prompt

NAME = "humaneval-x"
FIELDS = ("prompt", "declaration", "test")
OPTIONAL = ("task_id", "language", "import", "test_setup")
CONTINUATION = True

PYTHON_HELPER = (
    "import math\nimport re\nimport sys\nimport copy\nimport datetime\nimport itertools\n"
    "import collections\nimport heapq\nimport statistics\nimport functools\nimport hashlib\n"
    "try:\n    import numpy\n    import numpy as np\nexcept ImportError:\n    pass\n"
    "import string\nfrom typing import *\nfrom collections import *\n")
CPP_HELPER = ("#include<stdlib.h>", "#include<algorithm>", "#include<math.h>",
              "#include<stdio.h>", "#include<vector>", "#include<string>",
              "#include<climits>", "#include<cstring>", "#include<iostream>")
GO_HELPER = ("math", "strings", "fmt", "strconv", "time", "bytes", "regexp", "sort",
             "math/rand", "crypto/md5")
# The declaration's external crates (cargo gives them to the harness; the image has none),
# and what marks a use of each.
RUST_CRATES = {"use rand::Rng;": r"\brand::|\bRng\b", "use regex::Regex;": r"\bRegex\b",
               "use md5;": r"\bmd5::"}


def language(row: Mapping[str, Any], default: str | None) -> str:
    name = row.get("language")
    if not name and isinstance(row.get("task_id"), str) and "/" in row["task_id"]:
        name = row["task_id"].split("/")[0]
    if not name:
        raise FormatError(f"{NAME}: the reference has no 'language' and no 'task_id' "
                          "such as 'CPP/0' to read it from")
    return sandbox_language(name, NAME)


def defines(row: Mapping[str, Any], code: str, language: str) -> bool:
    """Whether `code` defines the problem's function (a whole program, not a body)."""
    declaration = require(row, "declaration", str, NAME)
    entry = splice.entry_name(splice.last_line(declaration))
    if entry is None:
        raise FormatError(f"{NAME}: no function signature at the end of 'declaration'")
    return splice.definition(code, splice.definition_pattern(language, entry)) >= 0


def build(row: Mapping[str, Any], code: str, language: str) -> Plan:
    prompt = require(row, "prompt", str, NAME)
    declaration = require(row, "declaration", str, NAME)
    test = require(row, "test", str, NAME)
    full = defines(row, code, language)
    build_language = _BUILDERS.get(language)
    if build_language is None:
        raise FormatError(f"{NAME}: HumanEval-X has no {language} problems")
    return build_language(row, prompt, declaration, test, code, full)


def _python(row: Mapping[str, Any], prompt: str, declaration: str, test: str, code: str,
            full: bool) -> Plan:
    body = join_prompt(prompt, code) if full else prompt + splice.python_body(code)
    return Plan(PYTHON_HELPER + body, {"language": "python", "tests": [{"code": test}]})


def _cpp(row: Mapping[str, Any], prompt: str, declaration: str, test: str, code: str,
            full: bool) -> Plan:
    if full:
        includes, helpers = splice.split_includes(splice.prompt_head(declaration))
        body = includes + splice.with_prompt_helpers(
            helpers, splice.without_main(code, "cpp"), "cpp")
    else:
        body = prompt + code
    if "openssl" in body + test:
        raise FormatError(f"{NAME}: this problem needs OpenSSL, which the sandbox image "
                          "does not have")
    helper = "".join(f"{line}\n" for line in CPP_HELPER if line not in body)
    return Plan(helper + "\n" + body, {"language": "cpp", "tests": [{"code": test}]})


def _java(row: Mapping[str, Any], prompt: str, declaration: str, test: str, code: str,
            full: bool) -> Plan:
    if full and not re.search(r"\bclass\s+\w+", code):
        # the method alone: inside the prompt's class, which it then closes
        head = prompt[:prompt.rstrip().rfind("\n") + 1]
        return Plan(head + code.rstrip() + "\n}\n", {"language": "java",
                                                      "tests": [{"code": test}]})
    if full:
        code = splice.remove_function(code, r"^(?:public\s+)?class\s+Main\b")
        code = splice.without_main(code, "java")
        code = re.sub(r"\bpublic\s+(final\s+)?class\s+Solution\b", "class Solution", code)
        imports = [line for line in declaration.split("\n")
                   if line.startswith("import ") and line not in code]
        program = "".join(f"{line}\n" for line in imports) + code
    else:
        program = prompt + code
    return Plan(program, {"language": "java", "tests": [{"code": test}]})


def _javascript(row: Mapping[str, Any], prompt: str, declaration: str, test: str, code: str,
            full: bool) -> Plan:
    program = (splice.with_prompt_helpers(splice.prompt_head(prompt), code, "javascript")
               if full else prompt + code)
    return Plan(program, {"language": "javascript", "stderr_fails": True,
                          "tests": [{"code": test}]})


def _go(row: Mapping[str, Any], prompt: str, declaration: str, test: str, code: str,
            full: bool) -> Plan:
    setup, _ = native_tests.go_split(str(row.get("test_setup") or ""))
    if full:
        own, body = native_tests.go_split(code)
        head = native_tests.go_split(splice.prompt_head(prompt))[1]
        body = splice.with_prompt_helpers(head, native_tests.go_without_main_and_tests(body),
                                          "go")
    else:
        own, body = [], native_tests.go_split(
            prompt.replace(str(row.get("import") or ""), "") + code)[1]
    helpers = [f'"{p}"' for p in GO_HELPER]  # imported where used, as the harness does
    program, test_code = native_tests.go_program(setup + own + helpers, body, test)
    return Plan(program, {"language": "go", "tests": [{"code": test_code}]})


def _rust(row: Mapping[str, Any], prompt: str, declaration: str, test: str, code: str,
            full: bool) -> Plan:
    for line, used in RUST_CRATES.items():
        declaration, code = declaration.replace(line + "\n", ""), code.replace(line, "")
        if re.search(used, code):
            raise FormatError(f"{NAME}: the completion uses a crate ({line}) that the "
                              "sandbox image does not have")
    body = splice.without_main(code, "rust") if full else declaration + prompt + code
    return Plan(body, {"language": "rust",
                       "tests": [{"code": native_tests.rust_tests_as_main(test)}]})


_BUILDERS = {"python": _python, "cpp": _cpp, "java": _java, "javascript": _javascript,
             "go": _go, "rust": _rust}
