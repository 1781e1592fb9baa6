"""One interactive test: the interactor and the program, each other's stdin and stdout.

The interactor (testlib convention: ``interactor input output answer``) runs as the
judge user, so the program can neither read its memory nor signal it; its input and
answer files are passed as inherited file descriptors (``/dev/fd/N``), never as files
the program could open. Both run under the test's time limit; the interactor's exit
status gives the verdict once the program ended normally.
"""

from __future__ import annotations

import os
import subprocess
import time

from child import ENV, JUDGE_UID
from procs import RUN_DIR, Capped, as_sandbox, fresh_dir, memory_limit_hits
from testrun import CHECKER_VERDICTS, _exit_verdict, _memfd, _pump, _send


def run_interactive(zygote, test: dict, limits: dict, run: dict,  # noqa: ANN001
                    interactor: list[str]) -> dict:
    timeout = float(limits["test_timeout"]) + float(run.get("extra", 0.0))
    as_sandbox(lambda: fresh_dir(RUN_DIR))
    to_prog_r, to_prog_w = os.pipe()
    from_prog_r, from_prog_w = os.pipe()
    err_r, err_w = os.pipe()
    ierr_r, ierr_w = os.pipe()
    files = [_memfd((test.get(key) or "").encode()) for key in ("input", "output")]
    command = {"kind": "io", "cpu": timeout, "file_bytes": limits["file_bytes"], "code": None,
               "argv": run.get("argv"), "env": run.get("env", ENV)}
    oom_before, start = memory_limit_hits(), time.monotonic()
    try:
        judge = subprocess.Popen(
            interactor + [f"/dev/fd/{files[0]}", "/dev/null", f"/dev/fd/{files[1]}"],
            stdin=from_prog_r, stdout=to_prog_w, stderr=ierr_w, pass_fds=tuple(files),
            user=JUDGE_UID, group=JUDGE_UID, extra_groups=[], cwd="/", env=ENV,
            start_new_session=True)
    except OSError as exc:
        judge = None
        failure = f"the interactor did not start: {exc}"
    for fd in (from_prog_r, ierr_w, *files):
        os.close(fd)
    sent = judge is not None and _send(zygote, command, [to_prog_r, from_prog_w, err_w])
    for fd in (to_prog_r, from_prog_w, to_prog_w, err_w):
        os.close(fd)
    if not sent:
        os.close(err_r)
        os.close(ierr_r)
        if judge is None:
            return {"status": "error", "detail": failure}
        judge.kill()
        judge.wait()
        return {"status": "runtime_error", "detail": "the test supervisor is gone"}
    err, ierr = Capped(), Capped()
    status_msg, verdict, detail = _pump(zygote, start + timeout, b"", -1,
                                        {err_r: err, ierr_r: ierr}, 0, (), interactor=judge)
    seconds = time.monotonic() - start
    result = {"seconds": round(seconds, 4), "stderr": err.text()}
    said = ierr.text().strip()[:1024]
    code = judge.returncode
    if verdict is None and code in CHECKER_VERDICTS and code != 0:  # the interactor's first
        verdict, detail = "fail", f"interactor: {said or CHECKER_VERDICTS[code][1]}"
    verdict, detail = _exit_verdict(result, status_msg, verdict, detail, seconds, timeout,
                                    memory_limit_hits() > oom_before >= 0, err)
    if verdict is None:
        if code == 0:
            verdict, detail = "pass", said
        else:
            why = "was killed" if code is None or code < 0 else f"exited with status {code}"
            verdict, detail = "error", f"the interactor failed ({why}): {said}"
    result.update(status=verdict, detail=detail)
    return result
