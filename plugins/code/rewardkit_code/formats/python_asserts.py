"""`humaneval` (``prompt``, ``test``, ``entry_point``) and `mbpp` (``test_list``,
``test_setup_code``, ``test_imports``): Python assertion tests run after the solution.

humaneval, as openai/human-eval ``execution.py``: the program is ``prompt + completion``
(a completion that restates the whole function simply redefines it); the test is the
row's ``test`` followed by ``check(<entry_point>)``; any exception fails it.

mbpp: the program is the completion; each ``test_list`` assertion is one test, run after
``test_imports`` and ``test_setup_code``. ``challenge_test_list`` is not used (nor is
it by the standard evaluation).
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from rewardkit_code.formats.base import FormatError, Plan, require, string_list


class HumanEval:
    NAME = "humaneval"
    FIELDS = ("prompt", "test", "entry_point")
    OPTIONAL = ()
    CONTINUATION = True

    @staticmethod
    def language(row: Mapping[str, Any], default: str | None) -> str:
        return "python"

    @classmethod
    def defines(cls, row: Mapping[str, Any], code: str, language: str) -> bool:
        entry = require(row, "entry_point", str, cls.NAME)
        return re.search(rf"^def\s+{re.escape(entry)}\s*\(", code, re.MULTILINE) is not None

    @classmethod
    def build(cls, row: Mapping[str, Any], code: str, language: str) -> Plan:
        prompt = require(row, "prompt", str, cls.NAME)
        test = require(row, "test", str, cls.NAME)
        entry = require(row, "entry_point", str, cls.NAME)
        return Plan(join_prompt(prompt, code), {
            "language": "python", "tests": [{"code": f"{test}\ncheck({entry})\n"}]})


def join_prompt(prompt: str, code: str) -> str:
    """``prompt + code``, with a newline between when the code starts a new definition."""
    first = next((line for line in code.split("\n") if line.strip()), "")
    if first[:1] not in (" ", "\t") and prompt and not prompt.endswith("\n"):
        return prompt + "\n" + code
    return prompt + code


class Mbpp:
    NAME = "mbpp"
    FIELDS = ("test_list",)
    OPTIONAL = ("test_setup_code", "test_imports")
    CONTINUATION = False

    @staticmethod
    def language(row: Mapping[str, Any], default: str | None) -> str:
        return "python"

    @classmethod
    def defines(cls, row: Mapping[str, Any], code: str, language: str) -> bool:
        """Whether `code` defines a function the assertions call."""
        called = set(re.findall(r"(\w+)\s*\(", " ".join(map(str, row.get("test_list") or []))))
        return any(re.search(rf"^def\s+{re.escape(n)}\s*\(", code, re.MULTILINE) for n in called)

    @classmethod
    def build(cls, row: Mapping[str, Any], code: str, language: str) -> Plan:
        asserts = string_list(require(row, "test_list", list, cls.NAME), "'test_list'",
                              cls.NAME)
        imports = string_list(row.get("test_imports") or [], "'test_imports'", cls.NAME)
        setup = row.get("test_setup_code") or ""
        if not isinstance(setup, str):
            raise FormatError(f"{cls.NAME}: 'test_setup_code' must be a string")
        before = "".join(f"{line}\n" for line in imports) + (f"{setup}\n" if setup else "")
        return Plan(code, {"language": "python",
                           "tests": [{"code": before + a} for a in asserts]})
