"""code_tests: run the completion's program against the reference tests in the sandbox.

The program is the last fenced code block in the tests' language (an unlabelled block
counts when no labelled one exists). The tests come from the sample's `reference`:

* the sandbox test format (a dict or its JSON string)::

    {"language": "python" | "cpp" | "c" | "java" | "javascript" | "go" | "rust",
     "tests": [{"input": "...", "output": "..."}, {"code": "assert solve(2) == 4"}],
     "checker": {...}, "interactor": {...}, "stderr_fails": false}

* or a dataset row in its native format, ``{"format": NAME, ...the row's fields...}``
  (apps/taco, livecodebench, humaneval, mbpp, codecontests, multipl-e, humaneval-x),
  judged as that dataset's harness judges (see `rewardkit_code.formats`); build it with
  `reference_from_row`.

The value is the pass rate, or 1.0/0.0 with ``mode="all_or_nothing"``. `info` holds
every test's outcome and detail, the first KiB of each test's stderr, the compiler output.

Policy:
  * no tests (no reference, or an empty list)  -> not_applicable: nothing to check against
  * a reference that cannot be judged (malformed suite, unknown format, missing field, a
    language or library the image lacks, a checker that does not compile) -> unverifiable
  * no code block in the completion            -> 0.0 (``no_code="zero"``, the default:
    the policy failed to write a program) or not_applicable (``no_code="not_applicable"``)
  * Docker unreachable, image missing, sandbox failure -> error with the reason, never 0.0

The reward is I/O-bound (``async def score``): programs run concurrently in the shared
warm pool of sandbox containers, while the event loop stays free.
"""

from __future__ import annotations

import asyncio
from typing import Any, Literal, Optional, Sequence

from pydantic import Field

from rewardkit import Reward, RewardParams, Sample, Score, extract, hookimpl
from rewardkit_code.formats import FormatError, is_native, plan, reference_from_row

__all__ = ["CodeTests", "CodeTestsParams", "reference_from_row"]
STDERR_KEPT = 1024  # bytes of each test's stderr kept in `info`


class CodeTestsParams(RewardParams):
    """`language`: the tests' language where the reference names none (default python);
    `mode`: pass_rate or all_or_nothing; `no_code`: zero or not_applicable; limits per
    test and per container; `pool_size` (default: CPU count) and `image` of the pool."""

    language: Optional[Literal["python", "cpp", "c", "java", "javascript", "go", "rust"]] = None
    mode: Literal["pass_rate", "all_or_nothing"] = "pass_rate"
    no_code: Literal["zero", "not_applicable"] = "zero"
    test_timeout: float = Field(5.0, gt=0, le=120)
    memory_mb: int = Field(512, ge=64, le=65536)
    pool_size: Optional[int] = Field(None, ge=1, le=256)
    image: Optional[str] = None


class CodeTests(Reward):
    """Pass rate of the completion's program on the reference tests (Docker sandbox)."""

    name = "code_tests"
    Params = CodeTestsParams
    cpu_bound = False  # the work happens in containers; we only wait on sockets
    per_node = True  # on Ray: one copy (and one sandbox pool) per node
    # Seconds per sample for the engine. The sandbox enforces its own deadlines (per test,
    # per compile, per job); this only guards against a hung pool, and it includes the
    # wait for a free container, which grows with the batch: the 60 s default cut real
    # batches short (150-test programs, compiled languages, a busy machine).
    timeout = 3600.0
    version = "2"  # 2: native dataset formats, seven languages

    async def score(self, samples: Sequence[Sample]) -> list[Score]:
        return list(await asyncio.gather(*(self._score(s) for s in samples)))

    async def _score(self, sample: Sample) -> Score:
        from rewardkit_sandbox import (
            ImageError, SandboxError, SpecError, TestSuite, UnverifiableSuite)

        p = self.params
        if sample.reference is None:
            return Score.not_applicable("the sample has no reference tests")
        info: dict[str, Any] = {}
        try:
            if is_native(sample.reference):
                info["format"] = sample.reference["format"]
                built = plan(sample.reference, sample.completion_text, p.language)
                suite = TestSuite.parse(built.suite, where=f"{info['format']} reference")
                program: str | None = built.program
            else:
                suite = TestSuite.parse(_with_language(sample.reference, p.language),
                                        where="reference")
                program = extract.last_code_block(sample.completion_text, suite.language)
        except FormatError as exc:
            return Score.unverifiable(f"the reference cannot be judged: {exc}")
        except SpecError as exc:
            return Score.unverifiable(f"the reference is not a valid test suite: {exc}")
        if not suite.tests:
            return Score.not_applicable("the reference has no tests")
        if program is None or not program.strip():
            reason = f"no {suite.language} code block in the completion"
            if p.no_code == "not_applicable":
                return Score.not_applicable(reason)
            return Score(0.0, info={"reason": reason, "language": suite.language, **info})
        try:
            pool = await asyncio.to_thread(_pool, p.pool_size, p.image, p.test_timeout,
                                           p.memory_mb)
            result = await pool.arun(program, suite)
        except UnverifiableSuite as exc:
            return Score.unverifiable(exc.reason, language=suite.language, **info)
        except (SandboxError, ImageError) as exc:
            return Score.error(f"sandbox: {exc}")
        if any(r.status.value == "error" for r in result.results):
            failed = next(r for r in result.results if r.status.value == "error")
            return Score.error(f"the judge failed: {failed.detail}", **_outcomes(result))
        passed = result.passed == len(result.results)
        value = result.pass_rate if p.mode == "pass_rate" else float(passed)
        return Score(value, info={"language": suite.language, **info, **_outcomes(result)})


def _outcomes(result: Any) -> dict[str, Any]:
    """What `info` reports of a program's run: per-test outcomes, details, stderr heads."""
    return {
        "passed": result.passed,
        "total": len(result.results),
        "tests": [r.status.value for r in result.results],
        "details": [r.detail for r in result.results],
        "stderr": [r.stderr.encode()[:STDERR_KEPT].decode("utf-8", "replace")
                   for r in result.results],
        "compile_output": result.compile_output,
        "notes": list(result.notes),
    }


def _with_language(reference: Any, language: str | None) -> Any:
    """The reference with `language` filled in when the reward's params name one."""
    if language is None:
        return reference
    if isinstance(reference, str):
        import json

        try:
            reference = json.loads(reference)
        except ValueError:
            return reference  # TestSuite.parse reports it
    if isinstance(reference, dict):
        return {**reference, "language": reference.get("language", language)}
    return reference


def _pool(size: int | None, image: str | None, test_timeout: float, memory_mb: int) -> Any:
    from rewardkit_sandbox import Limits, shared_pool

    return shared_pool(size, image, Limits(test_timeout=test_timeout, memory_mb=memory_mb))


@hookimpl
def register_rewards(register):
    register("code_tests", CodeTests)
