"""Turning a dataset's test files into programs the sandbox runs (exit 0 = pass).

* Go ``go test`` files become ``package main`` with a ``main`` that runs the dataset's
  ``Test*`` functions through ``testing.Main``; testify's ``assert.New(t).Equal`` (the
  only testify call HumanEval-X uses) is replaced by an equivalent on ``reflect.DeepEqual``.
* Rust ``#[cfg(test)] mod tests`` become public functions that a ``main`` calls.
* Java ``assert(...)`` statements in test code become explicit ``AssertionError`` throws,
  which is what ``java -ea`` (as MultiPL-E runs them) makes of them.
"""

from __future__ import annotations

import re

from rewardkit_code.formats import splice

_GO_IMPORT_BLOCK = re.compile(r"^import\s*\((.*?)\)\s*$", re.MULTILINE | re.DOTALL)
_GO_IMPORT_LINE = re.compile(r"^import\s+((?:\w+\s+)?\"[^\"]+\")\s*$", re.MULTILINE)
_GO_PACKAGE = re.compile(r"^package\s+\w+\s*$", re.MULTILINE)
_GO_TEST = re.compile(r"^func\s+(Test\w*)\s*\(\s*\w+\s+\*testing\.T\s*\)", re.MULTILINE)

GO_ASSERT_SHIM = """
type rkAssertions struct{ t *testing.T }

func rkAssertNew(t *testing.T) *rkAssertions { return &rkAssertions{t} }

func (a *rkAssertions) Equal(expected, actual interface{}, msg ...interface{}) bool {
	if reflect.DeepEqual(expected, actual) {
		return true
	}
	a.t.Errorf("Not equal: expected %#v, actual %#v", expected, actual)
	return false
}
"""


def go_split(code: str) -> tuple[list[str], str]:
    """(import specs, the code without its package clause and imports)."""
    specs = []
    for block in _GO_IMPORT_BLOCK.finditer(code):
        specs += [line.strip() for line in block.group(1).split("\n")
                  if line.strip() and not line.strip().startswith("//")]
    specs += [m.group(1) for m in _GO_IMPORT_LINE.finditer(code)]
    body = _GO_IMPORT_LINE.sub("", _GO_IMPORT_BLOCK.sub("", _GO_PACKAGE.sub("", code)))
    return specs, body


def go_without_main_and_tests(code: str) -> str:
    """A solution's code without its own ``main`` and ``Test*`` functions."""
    code = splice.remove_function(code, r"^func\s+main\s*\(\s*\)")
    while True:
        shorter = splice.remove_function(code, _GO_TEST.pattern)
        if shorter == code:
            return code
        code = shorter


def go_program(imports: list[str], body: str, test: str) -> tuple[str, str]:
    """(a ``package main`` program with `imports` and `body`, test code that runs the
    ``Test*`` functions of `test` from ``main``)."""
    names = _GO_TEST.findall(test)
    shim = ""
    if "assert.New(" in test:
        test = test.replace("assert.New(", "rkAssertNew(")
        shim = GO_ASSERT_SHIM
        imports = [*imports, '"reflect"']
    imports = [s for s in imports if "testify" not in s]
    unique = list(dict.fromkeys(['"testing"', *imports]))
    main = ("\nfunc main() {\n\ttesting.Main(func(pattern, name string) (bool, error) "
            "{ return true, nil },\n\t\t[]testing.InternalTest{"
            + ", ".join(f'{{Name: "{n}", F: {n}}}' for n in names) + "}, nil, nil)\n}\n")
    program = ("package main\n\nimport (\n" + "".join(f"\t{s}\n" for s in unique) + ")\n\n"
               + body.strip("\n") + "\n")
    return program, "\n" + test.strip("\n") + "\n" + shim + main


def rust_tests_as_main(test: str) -> str:
    """A ``#[cfg(test)] mod`` made callable, plus a ``main`` that runs its tests."""
    module = re.search(r"\bmod\s+(\w+)\s*\{", test)
    names = re.findall(r"#\[test\]\s*fn\s+(\w+)", test)
    body = re.sub(r"#\[cfg\(test\)\]", "", test)
    body = re.sub(r"#\[test\]\s*fn\s+(\w+)", r"pub fn \1", body)
    prefix = f"{module.group(1)}::" if module else ""
    calls = "".join(f"    {prefix}{n}();\n" for n in names)
    return body + "\n\nfn main() {\n" + calls + "}\n"


_JAVA_ASSERT = re.compile(r"^(\s*)assert\s*(\(.*\))\s*;\s*$", re.MULTILINE)


def java_enable_asserts(test: str) -> str:
    """``assert(x);`` statements as throws, so they hold without ``java -ea``."""
    return _JAVA_ASSERT.sub(r"\1if (!(\2)) throw new AssertionError();", test)
