"""`multipl-e`: ``prompt``, ``tests``, ``stop_tokens`` and ``language`` (MultiPL-E's
names: ``py``, ``cpp``, ``java``, ``js``, ``go_test.go``, ``rs``).

As MultiPL-E's evaluator: the program is ``prompt + completion + "\\n" + tests`` with
the completion cut at its first stop token (how MultiPL-E generates), and it passes
when it exits 0 (Go: ``go test`` passes). A completion that restates the function (a
chat answer: the whole program in a code block) is fitted to the same shape: its own
``main`` (and Go ``Test*`` functions) removed, the function moved last, left open where
the tests begin by closing it (C++, Java, Rust), and the prompt's includes/imports kept.
Java ``assert`` statements are checked as ``java -ea`` checks them.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from rewardkit_code.formats import native_tests, splice
from rewardkit_code.formats.base import FormatError, Plan, require, sandbox_language
from rewardkit_code.formats.python_asserts import join_prompt

NAME = "multipl-e"
FIELDS = ("prompt", "tests", "language")
OPTIONAL = ("stop_tokens", "name")
CONTINUATION = True
_TUPLES = re.compile(r"\b(Unit|Pair|Triplet|Quartet|Quintet|Sextet|Septet|Octet|Ennead|"
                     r"Decade)\s*<")


def language(row: Mapping[str, Any], default: str | None) -> str:
    return sandbox_language(require(row, "language", str, NAME), NAME)


def entry(row: Mapping[str, Any]) -> str:
    name = splice.entry_name(splice.last_line(require(row, "prompt", str, NAME)))
    if name is None:
        raise FormatError(f"{NAME}: no function signature at the end of 'prompt'")
    return name


def defines(row: Mapping[str, Any], code: str, language: str) -> bool:
    return splice.definition(code, splice.definition_pattern(language, entry(row))) >= 0


def build(row: Mapping[str, Any], code: str, language: str) -> Plan:
    prompt = require(row, "prompt", str, NAME)
    tests = require(row, "tests", str, NAME)
    stops = row.get("stop_tokens") or []
    if not isinstance(stops, list) or not all(isinstance(s, str) for s in stops):
        raise FormatError(f"{NAME}: 'stop_tokens' must be a list of strings")
    full = defines(row, code, language)
    if language == "python":
        program = join_prompt(prompt, code) if full else prompt + splice.cut_at(code, stops)
        return Plan(program, {"language": "python", "tests": [{"code": tests}]})
    if language == "go":
        return _go(prompt, code, tests, stops, full)
    if not full:
        program = prompt + splice.cut_at(code, stops)
    elif language == "javascript":
        program = splice.with_prompt_helpers(splice.prompt_head(prompt), code, language)
    else:
        program = _fitted(prompt, code, language, entry(row))
    if language == "java":
        tests = native_tests.java_enable_asserts(tests)
        if _TUPLES.search(program + tests):
            raise FormatError(f"{NAME}: this Java problem uses org.javatuples, which the "
                              "sandbox image does not have")
        program = program.replace("import org.javatuples.*;\n", "")
    return Plan(program, {"language": language, "tests": [{"code": tests}]})


def _fitted(prompt: str, code: str, language: str, entry: str) -> str:
    """A whole-program completion in the shape ``prompt + completion`` has."""
    code = splice.without_main(code, language)
    start = splice.definition(code, splice.definition_pattern(language, entry))
    if language == "java" and not re.search(r"\bclass\s+\w+", code):
        # the method alone: it goes where the prompt's signature is, left open
        head = prompt[:prompt.rstrip().rfind("\n") + 1]
        return head + code[:code.rfind("}")].rstrip() + "\n"
    if language == "java":
        start = code.rfind("\n", 0, start) + 1
        end = code.rfind("}")  # the class's closing brace: the tests close the class
        code = code[:end] if end > start else code
    moved = splice.function_last(code, start)
    if moved is None:
        return prompt + code
    rest, function = moved
    rest = splice.with_prompt_helpers(splice.split_includes(splice.prompt_head(prompt))[1],
                                      rest, language)
    preamble = [line for line in prompt.split("\n")
                if line.startswith(("#include", "import ", "using ")) and line not in rest]
    return "\n".join(preamble) + "\n" + rest.rstrip() + "\n" + function.rstrip() + "\n"


def _go(prompt: str, code: str, tests: str, stops: list[str], full: bool) -> Plan:
    imports, body = native_tests.go_split(prompt)
    if full:
        extra, own = native_tests.go_split(code)
        head = native_tests.go_split(splice.prompt_head(prompt))[1]
        imports = imports + extra
        body = splice.with_prompt_helpers(head, native_tests.go_without_main_and_tests(own),
                                          "go")
    else:
        body = body + splice.cut_at(code, stops)
    program, test_code = native_tests.go_program(imports, body, tests)
    return Plan(program, {"language": "go", "tests": [{"code": test_code}]})
