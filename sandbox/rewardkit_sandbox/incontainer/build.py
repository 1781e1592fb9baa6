"""Compile once, run many times: programs, appended-test variants, checkers, interactors.

The compiler runs as the sandbox user in a fresh build directory, under the compile
time limit and the file-size limit; what it produced is then copied by root into a
root-owned directory, where the program can run it but never change it. Checkers and
interactors are cached there by the hash of their source, across jobs.
"""

from __future__ import annotations

import os
import shutil

from child import ENV, UID
from languages import LANGUAGES, fill
from procs import BUILD_DIR, ROOT_DIR, as_sandbox, run_as, tail, write_files

JUDGES_DIR = f"{ROOT_DIR}/judges"
JUDGE_CACHE = 32  # compiled judges kept per container
PYJUDGE = "/opt/rk/pyjudge.py"


class Unsupported(Exception):
    """The image lacks what this language needs (its compiler or runtime)."""


def tool_env(language: str, compiling: bool = False) -> dict[str, str]:
    """The environment of a language's compiler (scratch space in the build directory)
    or of its programs."""
    extra = LANGUAGES[language].get("env", {})
    env = {**ENV, **{k: v.format(build=BUILD_DIR) for k, v in extra.items()}}
    if compiling:
        env.update(HOME=BUILD_DIR, TMPDIR=BUILD_DIR)
    return env


def build(language: str, files: dict[str, str], main: str, target: str,
          limits: dict) -> tuple[str, str]:
    """Compile `files` into the root-owned `target`; (status, compiler output) where the
    status is ``ok``, ``compile_error`` or ``compile_timeout``."""
    spec = LANGUAGES[language]
    if shutil.which(spec["tool"]) is None:
        raise Unsupported(f"the sandbox image has no {spec['tool']} for {language}")
    out = f"{BUILD_DIR}/out"
    if not as_sandbox(lambda: (write_files(BUILD_DIR, files), os.mkdir(out, 0o755))):
        return "compile_error", "could not write the sources (the sandbox's disk is full?)"
    status, output = "ok", ""
    if spec["compile"]:
        argv = fill(spec["compile"], out=out, build=BUILD_DIR, main=main)
        first = next(iter(files))  # the program's file, named in the compile command
        at = argv.index(first)
        others = [n for n in files if n != first and n.endswith(os.path.splitext(first)[1])]
        argv = argv[:at + 1] + others + argv[at + 1:]
        timeout = float(limits["compile_timeout"])
        code, raw = run_as(argv, UID, BUILD_DIR, tool_env(language, compiling=True), timeout,
                           int(limits["file_bytes"]))
        output = tail(raw, 8192)
        if code is None:
            return "compile_timeout", output + f"\n(the compiler ran past the {timeout:g} s limit)"
        if code != 0:
            killed = f"\n(compiler killed by signal {-code})" if code < 0 else ""
            return "compile_error", output + killed
    _publish(out, files, target)
    return status, output


def _publish(out: str, files: dict[str, str], target: str) -> None:
    """Root copies the build's output (links as links) and the sources into `target`."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(out, target, symlinks=True)
    for name in files:
        shutil.copyfile(os.path.join(BUILD_DIR, name), os.path.join(target, name),
                        follow_symlinks=False)
    for root, dirs, names in os.walk(target):
        for name in dirs + names:
            path = os.path.join(root, name)
            if not os.path.islink(path):
                os.chmod(path, 0o755)
    os.chmod(target, 0o755)


def run_argv(language: str, target: str, main: str, marked: bool) -> list[str] | None:
    """The command that runs a built program (None: Python, run in-process)."""
    spec = LANGUAGES[language]
    if spec["run"] is None:
        return None
    argv = fill(spec["run"], out=target, main=main)
    if language == "java" and marked:
        argv = argv[:-1] + ["RkLauncher", main]
    tool = shutil.which(argv[0]) if not argv[0].startswith("/") else argv[0]
    return [tool or argv[0]] + argv[1:]


def judge(program: dict, role: str, limits: dict) -> tuple[list[str] | None, str]:
    """(the command that runs a checker or interactor (`role`), '') once compiled and
    cached by its hash; (None, why) when it does not compile."""
    target = f"{JUDGES_DIR}/{program['digest']}"
    if program["language"] == "python":
        os.makedirs(JUDGES_DIR, 0o755, exist_ok=True)
        try:
            compile(program["source"], "judge.py", "exec")
        except (SyntaxError, ValueError) as exc:
            return None, f"{type(exc).__name__}: {exc}"
        if not os.path.exists(f"{target}/judge.py"):
            os.makedirs(target, 0o755, exist_ok=True)
            with open(f"{target}/judge.py", "w") as f:
                f.write(program["source"])
            os.chmod(f"{target}/judge.py", 0o644)
        return ["/usr/bin/python3", "-I", "-S", PYJUDGE, role, f"{target}/judge.py"], ""
    if not os.path.exists(f"{target}/solution"):
        os.makedirs(JUDGES_DIR, 0o755, exist_ok=True)
        _evict()
        status, output = build("cpp", {"solution.cpp": program["source"]}, "", target,
                               {**limits, "compile_timeout": max(60.0, limits["compile_timeout"])})
        if status != "ok":
            shutil.rmtree(target, ignore_errors=True)
            return None, output.strip()[-2000:] or status
    return [f"{target}/solution"], ""


def _evict() -> None:
    entries = sorted(os.scandir(JUDGES_DIR), key=lambda e: e.stat().st_mtime)
    for entry in entries[:max(0, len(entries) - JUDGE_CACHE + 1)]:
        shutil.rmtree(entry.path, ignore_errors=True)
