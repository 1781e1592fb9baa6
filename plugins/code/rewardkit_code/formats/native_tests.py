"""Turning a dataset's test files into programs the sandbox runs (exit 0 = pass).

* Go ``go test`` files become a ``package main`` test file whose ``Test*`` functions the
  sandbox runs; testify's ``assert.New(t).Equal`` (the only testify call HumanEval-X
  uses) is replaced by an equivalent on ``reflect.DeepEqual``.
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
    """(the program file, the test file): each ``package main`` with those of `imports`
    it uses (Go rejects unused imports). The sandbox runs the test file's ``Test*``
    functions, as ``go test`` does; testify's ``assert.New(t)`` becomes ``rkAssertNew(t)``."""
    if "assert.New(" in test:
        test = test.replace("assert.New(", "rkAssertNew(") + GO_ASSERT_SHIM
    candidates = list(dict.fromkeys(
        [s for s in imports if "testify" not in s] + ['"testing"', '"reflect"', '"fmt"']))
    return _go_file(candidates, body), _go_file(candidates, test)


def _go_file(candidates: list[str], body: str) -> str:
    used = [spec for spec in candidates if re.search(rf"\b{_go_name(spec)}\.", body)]
    block = "import (\n" + "".join(f"\t{s}\n" for s in used) + ")\n\n" if used else ""
    return "package main\n\n" + block + body.strip("\n") + "\n"


def _go_name(spec: str) -> str:
    """The name an import spec binds: its alias, else its path's last element."""
    alias, _, path = spec.rpartition(" ")
    return re.escape(alias.strip() or path.strip('"').split("/")[-1])


def rust_tests_as_main(test: str) -> str:
    """A ``#[cfg(test)] mod`` made callable, plus a ``main`` that runs its tests (none
    when the module is commented out, as HumanEval-X's Rust/32 is)."""
    test = re.sub(r"/\*.*?\*/", "", test, flags=re.DOTALL)
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
