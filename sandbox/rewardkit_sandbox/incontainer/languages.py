"""The languages the sandbox runs: file names, compile and run commands, per-language defaults.

Standard library only: shipped in the image with the runner and imported by the host
(the test format's list of languages comes from here). A build runs in a fresh
directory holding the source; ``{out}`` is where it writes what runs (the source is
copied there too), later copied to a root-owned directory the program cannot change;
``{build}`` is the build directory; ``{main}`` is Java's main class.

Per-language defaults (documented in the sandbox README's table):

* ``compile_seconds``: the compile step's wall-clock limit (at most the pool's
  ``compile_timeout``); rustc and javac are slow to start.
* ``extra_seconds``: added to every test's time limit for the runtime's own start-up
  (JVM, Node), as judges do for these languages.
* the run flags: the JVM's heap and stack, Node's heap, Go's soft memory limit, so the
  runtime fails with its own out-of-memory error inside the container's limit.
"""

from __future__ import annotations

import re

LANGUAGES: dict[str, dict] = {
    "python": {"source": "solution.py", "tool": "python3", "compile": None,
               "run": None, "compile_seconds": 10.0, "extra_seconds": 0.0},
    "cpp": {"source": "solution.cpp", "tool": "g++",
            "compile": ["g++", "-std=gnu++17", "-O2", "-pipe", "-I/opt/rk/include",
                        "-o", "{out}/solution", "solution.cpp"],
            "run": ["{out}/solution"], "compile_seconds": 30.0, "extra_seconds": 0.0},
    "c": {"source": "solution.c", "tool": "gcc",
          "compile": ["gcc", "-std=gnu11", "-O2", "-pipe", "-o", "{out}/solution",
                      "solution.c", "-lm"],
          "run": ["{out}/solution"], "compile_seconds": 20.0, "extra_seconds": 0.0},
    "java": {"source": "{main}.java", "tool": "javac",
             "compile": ["javac", "-J-Xmx256m", "-J-XX:+UseSerialGC", "-J-XX:-UsePerfData",
                         "-J-XX:TieredStopAtLevel=1", "-encoding", "UTF-8", "-nowarn",
                         "-d", "{out}", "{main}.java"],
             "run": ["java", "-ea", "-Xmx256m", "-Xss64m", "-XX:+UseSerialGC", "-XX:-UsePerfData",
                     "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", "{out}", "{main}"],
             "compile_seconds": 30.0, "extra_seconds": 1.0},
    "javascript": {"source": "solution.js", "tool": "node",
                   "compile": ["node", "--check", "solution.js"],
                   "run": ["node", "--max-old-space-size=256", "--stack-size=16000",
                           "{out}/solution.js"],
                   "compile_seconds": 10.0, "extra_seconds": 0.3},
    "go": {"source": "solution.go", "tool": "go",
           "compile": ["go", "build", "-o", "{out}/solution", "solution.go"],
           "run": ["{out}/solution"], "compile_seconds": 40.0, "extra_seconds": 0.0,
           "env": {"GOCACHE": "{build}/.gocache", "GOPATH": "{build}/.gopath:/usr/share/gocode",
                   "GO111MODULE": "off", "GOFLAGS": "", "GOMAXPROCS": "1",
                   "GOMEMLIMIT": "300MiB"}},
    "rust": {"source": "solution.rs", "tool": "rustc",
             "compile": ["rustc", "-O", "--edition", "2021", "-C", "debuginfo=0",
                         "-o", "{out}/solution", "solution.rs"],
             "run": ["{out}/solution"], "compile_seconds": 40.0, "extra_seconds": 0.0},
}
NAMES = tuple(LANGUAGES)
JUDGE_LANGUAGES = ("cpp", "python")  # what a checker or an interactor may be written in

_PUBLIC_CLASS = re.compile(r"^\s*public\s+(?:(?:final|abstract)\s+)*class\s+(\w+)", re.M)
_CLASS = re.compile(r"\bclass\s+(\w+)")
_MAIN = re.compile(r"\bstatic\s+(?:final\s+)?void\s+main\s*\(")


def java_main_class(source: str) -> str:
    """The class Java must start: the public class (javac names the file after it), else
    the class declaring ``main``, else ``Main``."""
    public = _PUBLIC_CLASS.findall(source)
    main = _MAIN.search(source)
    if main:
        before = _CLASS.findall(source[:main.start()])
        if before and (not public or before[-1] in public):
            return before[-1]
    return public[0] if public else "Main"


def fill(words: list[str], **values: str) -> list[str]:
    return [w.format(**values) for w in words]
