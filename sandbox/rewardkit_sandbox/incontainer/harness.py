"""Appended test code: the program and a test joined as one unit, plus the runner's wrapper.

The test code follows the program in one file (one compilation unit or script), as the
datasets' own harnesses do. A pass needs exit status 0 *and* the wrapper's completion
mark: the test's ``main`` is renamed and called by a ``main`` the runner adds (for Java
a launcher class, for Go a second file, for JavaScript a trailing statement), which
writes ``RK-DONE <nonce>`` to fd 3 after the test returned. So a program that ends the
process early with status 0 (``exit(0)`` in the function under test, in a static
initialiser or in an ``atexit`` handler) does not pass. The nonce is fresh per test and
never in the files the program sees before it runs.
"""

from __future__ import annotations

import re

from languages import LANGUAGES, java_main_class
from source_scan import matching_brace

DONE = "RK-DONE"
NONCE_ENV = "RK_DONE_NONCE"
_C_MAIN = re.compile(r"\b(int|signed|auto)(\s+)main\s*\(([^)]*)\)")
_GO_MAIN = re.compile(r"\bfunc\s+main\s*\(\s*\)")
_RUST_MAIN = re.compile(r"\bfn\s+main\s*\(\s*\)")
_GO_PACKAGE = re.compile(r"^[ \t]*package[ \t]+\w+[ \t]*$", re.M)
_GO_TEST = re.compile(r"\bfunc\s+(Test\w*)\s*\(\s*\w+\s+\*testing\.T\s*\)")

_C_CALL = """
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
int main(int rk_argc, char** rk_argv) {
    int rk_status = rk_test_main(%s);
    if (rk_status == 0) {
        const char* rk_nonce = getenv("%s");
        char rk_mark[160];
        int n = snprintf(rk_mark, sizeof rk_mark, "%s %%s\\n", rk_nonce ? rk_nonce : "");
        if (write(3, rk_mark, n) != n) return 1;
    }
    return rk_status;
}
"""
_JAVA_LAUNCHER = """
public class RkLauncher {
    public static void main(String[] args) throws Throwable {
        try {
            Class.forName(args[0]).getMethod("main", String[].class)
                .invoke(null, (Object) new String[0]);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
        try (java.io.FileOutputStream out = new java.io.FileOutputStream("/dev/fd/3")) {
            out.write(("%s " + System.getenv("%s") + "\\n").getBytes());
        }
    }
}
"""
_GO_MAIN_FILE = """package main

import "os"

func rkMark() {
	f := os.NewFile(3, "rk")
	f.WriteString("%s " + os.Getenv("%s") + "\\n")
	f.Close()
}

func main() {
	%s
}
"""
_GO_RUN_MAIN = "rkTestMain()\n\trkMark()"
# testing.Main runs the tests in order, then exits (status 1 when one failed); the mark
# is written by a last test, so a program that exits 0 in the middle never writes it.
_GO_RUN_TESTS = """testing.Main(func(pat, str string) (bool, error) { return true, nil },
		[]testing.InternalTest{%s, {"RkCompleted", func(*testing.T) { rkMark() }}}, nil, nil)"""
_RUST_CALL = """
fn main() {
    rk_test_main();
    use std::io::Write;
    use std::os::unix::io::FromRawFd;
    let nonce = std::env::var("%s").unwrap_or_default();
    let mut f = unsafe { std::fs::File::from_raw_fd(3) };
    f.write_all(format!("%s {}\\n", nonce).as_bytes()).unwrap();
}
"""
_JS_TRAILER = ('\n;require("fs").writeSync(3, "%s " + (process.env.%s || "") + "\\n");\n')


def sources(language: str, program: str, test: str | None) -> tuple[dict[str, str], dict]:
    """(files to compile, how to run them) for `program`, with `test` code appended.

    The run info has ``main`` (Java's class to start, when it applies) and ``marked``
    (whether a pass needs the completion mark)."""
    spec = LANGUAGES[language]
    if test is None:
        main = java_main_class(program) if language == "java" else ""
        return {spec["source"].format(main=main): program}, {"main": main, "marked": False}
    text, extra, marked = program.rstrip() + "\n\n" + test.rstrip() + "\n", {}, False
    joined = program.rstrip() + "\n\n"
    if language in ("c", "cpp") and (match := _C_MAIN.search(test)):
        args = "rk_argc, rk_argv" if match.group(3).strip() not in ("", "void") else ""
        test = _return_zero_at_end(_C_MAIN.sub(
            lambda m: f"{m.group(1)}{m.group(2)}rk_test_main({m.group(3)})", test, count=1))
        text, marked = joined + test + _C_CALL % (args, NONCE_ENV, DONE), True
    elif language == "go":
        return _go(program, test)
    elif language == "rust" and _RUST_MAIN.search(test):
        text = joined + _RUST_MAIN.sub("fn rk_test_main()", test) + _RUST_CALL % (NONCE_ENV, DONE)
        marked = True
    elif language == "javascript":
        text, marked = text + _JS_TRAILER % (DONE, NONCE_ENV), True
    main = java_main_class(text) if language == "java" else ""
    if language == "java":
        extra, marked = {"RkLauncher.java": _JAVA_LAUNCHER % (DONE, NONCE_ENV)}, True
    return {spec["source"].format(main=main): text, **extra}, {"main": main, "marked": marked}


def _go_package_main(text: str) -> str:
    if _GO_PACKAGE.search(text):
        return _GO_PACKAGE.sub("package main", text, count=1)
    return "package main\n\n" + text


def _go(program: str, test: str) -> tuple[dict[str, str], dict]:
    """Go: the program and the test in two files of package main (each keeps its own
    imports; not named ``*_test.go``, which `go build` skips); a third file holds main.
    A test with ``func main()`` is called; one with ``func TestX(t *testing.T)``
    functions (as for ``go test``) runs them all through ``testing.Main``."""
    tests = _GO_TEST.findall(test)
    if _GO_MAIN.search(test):
        test, call = _GO_MAIN.sub("func rkTestMain()", test), _GO_RUN_MAIN
        main_file = _GO_MAIN_FILE % (DONE, NONCE_ENV, call)
    elif tests:
        call = _GO_RUN_TESTS % ", ".join(f'{{"{t}", {t}}}' for t in tests)
        header = 'package main\n\nimport (\n\t"os"\n\t"testing"\n)\n'
        main_file = header + _GO_MAIN_FILE.split("\n", 3)[3] % (DONE, NONCE_ENV, call)
    else:
        return {"solution.go": _go_package_main(program),
                "rktest.go": _go_package_main(test)}, {"main": "", "marked": False}
    return {"solution.go": _go_package_main(program), "rktest.go": _go_package_main(test),
            "rk_main.go": main_file}, {"main": "", "marked": True}


def _return_zero_at_end(test: str) -> str:
    """`main` returns 0 when it falls off its end; the renamed function must too."""
    start = test.find("rk_test_main(")
    brace = test.find("{", start)
    end = matching_brace(test, brace) if brace >= 0 else -1
    return test if end < 0 else test[:end] + "return 0;\n" + test[end:]
