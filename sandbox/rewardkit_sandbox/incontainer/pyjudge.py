"""Python checkers and interactors, run by the runner as the judge user (standard library).

``pyjudge.py check FILE INPUT OUTPUT ANSWER``: FILE defines ``check(input, output,
answer)`` (the three files' text) returning a bool or ``(bool, message)``; exit 0 when
it accepts, 1 when it rejects, 3 when it raises (a judge failure, not the program's).

``pyjudge.py interact FILE INPUT OUTPUT ANSWER``: FILE is a script run as ``__main__``
with those paths in ``sys.argv[1:]`` (stdout line-buffered), talking to the program over
stdin/stdout; its exit status is the verdict (testlib's: 0 accepted, 1 wrong answer,
2 presentation, 3 fail).
"""

from __future__ import annotations

import sys
import traceback


def _read(path: str) -> str:
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def check(path: str, paths: list[str]) -> int:
    namespace: dict = {"__name__": "checker"}
    try:
        exec(compile(_read(path), "checker.py", "exec"), namespace)
        verdict = namespace["check"](*(_read(p) for p in paths))
    except BaseException:  # noqa: BLE001 - the checker's own failure
        traceback.print_exc()
        return 3
    message = ""
    if isinstance(verdict, tuple) and len(verdict) == 2:
        verdict, message = verdict
    if not isinstance(verdict, bool):
        print(f"check() returned {type(verdict).__name__}, not a bool", file=sys.stderr)
        return 3
    if message:
        print(message, file=sys.stderr)
    return 0 if verdict else 1


def interact(path: str, paths: list[str]) -> int:
    sys.argv = [path, *paths]
    sys.stdout.reconfigure(line_buffering=True)  # every line reaches the program at once
    try:
        exec(compile(_read(path), path, "exec"), {"__name__": "__main__"})
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 3)
    except BrokenPipeError:
        print("the program closed its input early", file=sys.stderr)
        return 1
    except BaseException:  # noqa: BLE001 - the interactor's own failure
        traceback.print_exc()
        return 3
    return 0


if __name__ == "__main__":
    role, file, *rest = sys.argv[1:]
    status = (check if role == "check" else interact)(file, rest)
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        pass
    sys.exit(status)
