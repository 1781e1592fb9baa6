"""How appended test code is joined with the program (pure functions; no Docker needed)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

INCONTAINER = Path(__file__).parents[2] / "sandbox" / "rewardkit_sandbox" / "incontainer"
sys.path.insert(0, str(INCONTAINER))  # the runner's modules import each other flat

import harness  # noqa: E402
from languages import java_main_class  # noqa: E402
from source_scan import matching_brace  # noqa: E402


def test_program_alone_is_one_file_per_language():
    files, info = harness.sources("cpp", "int main(){}", None)
    assert files == {"solution.cpp": "int main(){}"} and info == {"main": "", "marked": False}
    files, info = harness.sources("java", "public class Sol { public static void main(String[] a) {} }", None)
    assert list(files) == ["Sol.java"] and info["main"] == "Sol"


def test_cpp_test_main_is_renamed_returns_0_and_marks_completion():
    files, info = harness.sources("cpp", "int f() { return 1; }",
                                  '#include <cassert>\nint main() {\n  const char* s = "}";\n'
                                  '  assert(f() == 1); /* } */\n}\nint g() { return 2; }')
    text = files["solution.cpp"]
    assert info["marked"] and "int rk_test_main()" in text
    assert "/* } */\nreturn 0;\n}\nint g()" in text  # the brace that closes main
    assert text.count("int main(") == 1 and "rk_test_main()" in text.split("int main(")[1]


@pytest.mark.parametrize("test", [
    "int main() {\n  char c = '}';\n}",
    "int main() { const s = `}\n{`; }",           # backtick strings (JS, Go)
    "int main() { let r: &'a str = x; { } }",     # a Rust lifetime before a brace
])
def test_the_runner_matches_braces_past_literals(test):
    assert harness.matching_brace is matching_brace  # the runner's one flat-imported scanner
    assert matching_brace(test, test.index("{")) == len(test) - 1


def test_cpp_main_left_open_in_a_comment_is_not_given_a_return():
    files, _ = harness.sources("cpp", "int f();", "int main() {\n  f(); /* }\n")
    assert "return 0;" not in files["solution.cpp"] and "int rk_test_main() {" in files["solution.cpp"]
    assert matching_brace("int main() { /* } }", 11) == -1


def test_c_main_with_arguments_gets_them():
    files, _ = harness.sources("c", "int f(void);", "int main(int argc, char** argv) { return 0; }")
    assert "rk_test_main(rk_argc, rk_argv)" in files["solution.c"]


def test_go_test_functions_run_through_testing():
    files, info = harness.sources(
        "go", "package humaneval\n\nfunc Add(a, b int) int { return a + b }",
        "package humaneval_test\nimport \"testing\"\nfunc TestAdd(t *testing.T) {}\n"
        "func TestMore(t *testing.T) {}")
    assert sorted(files) == ["rk_main.go", "rktest.go", "solution.go"]
    assert files["solution.go"].startswith("package main") and "package main" in files["rktest.go"]
    assert '{"TestAdd", TestAdd}, {"TestMore", TestMore}, {"RkCompleted"' in files["rk_main.go"]
    assert "testing.Main(" in files["rk_main.go"]
    assert info["marked"]


def test_go_program_without_package_clause_gets_one():
    files, _ = harness.sources("go", "func Add(a, b int) int { return a + b }",
                               "func main() { if Add(1, 2) != 3 { panic(1) } }")
    assert files["solution.go"].startswith("package main")
    assert "func rkTestMain()" in files["rktest.go"]


def test_rust_and_javascript_are_marked():
    files, info = harness.sources("rust", "fn f() -> i32 { 1 }", "fn main() { assert_eq!(f(), 1); }")
    assert "fn rk_test_main()" in files["solution.rs"] and info["marked"]
    files, info = harness.sources("javascript", "function f() {}", "f();")
    assert files["solution.js"].rstrip().endswith(");") and "writeSync(3" in files["solution.js"]


def test_java_launcher_starts_the_tests_main_class():
    files, info = harness.sources(
        "java", "class Solution { int f() { return 1; } }",
        "public class Main { public static void main(String[] a) { } }")
    assert sorted(files) == ["Main.java", "RkLauncher.java"] and info == {"main": "Main",
                                                                          "marked": True}


@pytest.mark.parametrize("source, main", [
    ("class A {}\npublic class B { public static void main(String[] a) {} }", "B"),
    ("class Main { public static void main(String[] a) {} }", "Main"),
    ("class Helper {}\nclass Prog { static void main(String[] a) {} }", "Prog"),
    ("public final class Solver { }", "Solver"),
    ("", "Main"),
])
def test_java_main_class(source, main):
    assert java_main_class(source) == main
