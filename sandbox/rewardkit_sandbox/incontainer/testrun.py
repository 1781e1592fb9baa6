"""One test, run by the root runner: a fresh tmp, the program forked by the zygote, its
output captured and judged (comparison, completion mark, checker), or an interactive
session with an interactor. Standard library only.

Every test starts clean: the writable mounts are wiped and ``/tmp/run`` made anew (the
program's cwd and HOME), and no process of an earlier test is left (the runner killed
them). Stdout is capped (past the cap: ``output_limit``); stderr is drained to the end
and dropped, its first and last KiB kept.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import time

from child import ENV, JUDGE_UID
from harness import DONE, NONCE_ENV
from judge import compare_output, judge_checks
from procs import (
    RUN_DIR, Capped, as_sandbox, fresh_dir, kill_sandbox, memory_limit_hits, run_as)

MEMORY_WORDS = (b"MemoryError", b"std::bad_alloc", b"java.lang.OutOfMemoryError",
                b"JavaScript heap out of memory", b"runtime: out of memory",
                b"fatal error: out of memory", b"memory allocation of")
# testlib's exit statuses; 3 (fail) and anything else is the judge's own failure.
CHECKER_VERDICTS = {0: ("pass", ""), 1: ("fail", "wrong answer"),
                    2: ("fail", "presentation error"), 4: ("fail", "wrong output format"),
                    7: ("fail", "partial points"), 8: ("fail", "unexpected end of output")}


def _memfd(data: bytes) -> int:
    fd = os.memfd_create("rk", 0)
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


def _send(zygote, command: dict, fds: list[int]) -> bool:  # noqa: ANN001
    import socket

    try:
        socket.send_fds(zygote.sock, [json.dumps(command).encode()], fds)
        return True
    except OSError:
        return False


def run_test(zygote, test: dict, limits: dict, run: dict) -> dict:  # noqa: ANN001
    """Run one stdin/stdout or appended-code test; the result line for the host."""
    timeout = float(limits["test_timeout"]) + float(run.get("extra", 0.0))
    cap = int(limits["output_bytes"])
    as_sandbox(lambda: fresh_dir(RUN_DIR))
    nonce = os.urandom(12).hex()
    stdin_r, stdin_w = os.pipe()
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    rep_r, rep_w = os.pipe()
    os.fchmod(rep_w, 0o622)  # the program's user may reopen fd 3 as /dev/fd/3 (Java does)
    env = {**run.get("env", ENV), **({NONCE_ENV: nonce} if run.get("marked") else {})}
    command = {"kind": test["kind"], "cpu": timeout, "file_bytes": limits["file_bytes"],
               "code": test.get("code"), "argv": run.get("argv"), "env": env}
    oom_before, start = memory_limit_hits(), time.monotonic()
    sent = _send(zygote, command, [stdin_r, out_w, err_w, rep_w])
    for fd in (stdin_r, out_w, err_w, rep_w):
        os.close(fd)
    if not sent:
        for fd in (stdin_w, out_r, err_r, rep_r):
            os.close(fd)
        return {"status": "runtime_error", "detail": "the test supervisor is gone"}
    out, err, report = bytearray(), Capped(), bytearray()
    status_msg, verdict, detail = _pump(
        zygote, start + timeout, (test.get("input") or "").encode(), stdin_w,
        {out_r: out, err_r: err, rep_r: report}, cap, (out_r, rep_r))
    seconds = time.monotonic() - start
    result = {"seconds": round(seconds, 4), "stderr": err.text()}
    verdict, detail = _exit_verdict(result, status_msg, verdict, detail, seconds, timeout,
                                    memory_limit_hits() > oom_before >= 0, err)
    if verdict is None:
        if test["kind"] == "io" and test.get("checker_argv"):
            verdict, detail = run_checker(test, bytes(out), limits, zygote.pid)
        elif test["kind"] == "io":
            ok, detail = compare_output(bytes(out), test["output"], test.get("compare", "tokens"),
                                        float(test.get("tolerance", 1e-6)))
            verdict = "pass" if ok else "fail"
        elif run.get("argv") is None:
            ok, detail = judge_checks(bytes(report), test["checks"])
            verdict = "pass" if ok else "fail"
        elif run.get("marked") and f"{DONE} {nonce}\n".encode() not in bytes(report):
            verdict, detail = "fail", "the test code did not run to its end"
        else:
            verdict = "pass"
    if verdict == "pass" and run.get("stderr_fails") and err.total:
        verdict, detail = "fail", "wrote to stderr (stderr_fails is set)"
    result.update(status=verdict, detail=detail)
    return result


def _pump(zygote, deadline: float, stdin_data: bytes, stdin_w: int, sinks: dict,  # noqa: ANN001
          cap: int, capped: tuple[int, ...], interactor: subprocess.Popen | None = None
          ) -> tuple[dict, str | None, str]:
    """Feed stdin, drain every output into its sink (those in `capped` up to `cap`
    bytes: past it, ``output_limit``), until the program's status is in
    (and the interactor, if any, has exited) or the deadline; then kill what is left."""
    if not stdin_data:
        if stdin_w >= 0:
            os.close(stdin_w)
        stdin_w = -1
    else:
        os.set_blocking(stdin_w, False)
    open_fds, status_msg, verdict, detail = set(sinks), None, None, ""
    while status_msg is None or (interactor is not None and interactor.poll() is None):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            verdict, detail = "timeout", "ran past its time limit"
            break
        if interactor is not None and interactor.poll() not in (None, 0) and status_msg is None:
            break  # the interactor gave its verdict; the program is killed below
        writers = [stdin_w] if stdin_w >= 0 else []
        wait = min(remaining, 0.05) if interactor is not None else remaining
        watched = list(open_fds) + ([zygote.sock] if status_msg is None else [])
        readable, writable, _ = select.select(watched, writers, [], wait)
        if writable:
            try:
                stdin_data = stdin_data[os.write(stdin_w, stdin_data[:65536]):]
            except (BrokenPipeError, BlockingIOError) as exc:
                if isinstance(exc, BrokenPipeError):
                    stdin_data = b""
            if not stdin_data:
                os.close(stdin_w)
                stdin_w = -1
        for fd in readable:
            if fd is zygote.sock:
                msg = zygote.receive(0)
                if msg is None:
                    status_msg = {"gone": True}
                elif "status" in msg:
                    status_msg = msg
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                open_fds.discard(fd)
                continue
            _add(sinks[fd], chunk)
            if fd in capped and len(sinks[fd]) > cap:
                verdict, detail = "output_limit", f"wrote more than {cap} bytes"
        if verdict:
            break
    kill_sandbox(spare=zygote.pid)
    if interactor is not None:
        interactor.wait()
    if status_msg is None:  # killed above: collect the zygote's report on the child
        status_msg = zygote.receive(0.5) or {"gone": True}
    if status_msg.get("gone"):
        zygote.lost = True  # stopped or killed by the program: the job starts a new one
    for fd in open_fds:  # drain what the program wrote before it ended
        os.set_blocking(fd, False)
        try:
            while (fd not in capped or len(sinks[fd]) <= cap) and (chunk := os.read(fd, 65536)):
                _add(sinks[fd], chunk)
        except BlockingIOError:
            pass
    for fd in list(sinks) + ([stdin_w] if stdin_w >= 0 else []):
        os.close(fd)
    return status_msg, verdict, detail


def _add(sink, chunk: bytes) -> None:  # noqa: ANN001
    if isinstance(sink, Capped):
        sink.add(chunk)
    else:
        sink += chunk


def _exit_verdict(result: dict, status_msg: dict, verdict: str | None, detail: str,
                  seconds: float, timeout: float, oom: bool, err: Capped
                  ) -> tuple[str | None, str]:
    """The verdict from how the program ended (None: it exited 0, judge its output).
    `oom`: the container hit its memory limit during the test; a program that then
    failed, or stalled at the limit past its deadline, ran out of memory."""
    if verdict == "timeout" and oom:
        verdict, detail = "memory_limit", "ran out of memory (stalled at the memory limit)"
    if verdict is None and status_msg.get("gone"):
        verdict, detail = "runtime_error", "the program killed its test supervisor"
    wait_status = status_msg.get("status")
    if wait_status is not None:
        if os.WIFEXITED(wait_status):
            result["exit_code"] = os.WEXITSTATUS(wait_status)
        elif os.WIFSIGNALED(wait_status):
            result["exit_code"] = -os.WTERMSIG(wait_status)
    code = result.get("exit_code")
    kept = bytes(err.head) + bytes(err.tail_bytes)  # the runtime may say it first or last
    memory_words = any(w in kept for w in MEMORY_WORDS)
    if verdict is None and code is not None and code != 0:
        if oom or memory_words:
            verdict, detail = "memory_limit", "ran out of memory"
        elif code in (-signal.SIGXCPU, -signal.SIGKILL) and seconds >= timeout * 0.5:
            verdict, detail = "timeout", f"used more than {timeout:g} s of CPU"
        elif code < 0:
            verdict, detail = "runtime_error", f"killed by signal {signal.Signals(-code).name}"
        else:
            verdict, detail = "runtime_error", f"exited with code {code}"
    if verdict is None and code is None:
        verdict = "runtime_error"
    return verdict, detail


def run_checker(test: dict, output: bytes, limits: dict, spare: int) -> tuple[str, str]:
    """testlib convention: `checker input output answer`, judged by its exit status."""
    fds = [_memfd(data) for data in ((test.get("input") or "").encode(), output,
                                     (test.get("output") or "").encode())]
    try:
        argv = test["checker_argv"] + [f"/dev/fd/{fd}" for fd in fds]
        timeout = max(5.0, 2 * float(limits["test_timeout"]))
        code, message = run_as(argv, JUDGE_UID, "/", ENV, timeout, int(limits["file_bytes"]),
                               pass_fds=tuple(fds), spare=spare)
    finally:
        for fd in fds:
            os.close(fd)
    text = message.decode("utf-8", "replace").strip()[:1024]
    if code in CHECKER_VERDICTS:
        verdict, what = CHECKER_VERDICTS[code]
        return verdict, f"checker: {text or what}" if verdict != "pass" else text
    why = "ran past its time limit" if code is None else f"exited with status {code}"
    return "error", f"the checker failed ({why}): {text}"
