"""The test format and the results: what goes into the sandbox and what comes out.

A test suite, the same in a ``--tests`` file and in a sample's ``reference``::

    {"language": "python" | "cpp" | "c" | "java" | "javascript" | "go" | "rust",
     "tests": [{"input": "1 2\\n", "output": "3\\n", "compare": "tokens"},   # stdin/stdout
               {"code": "assert solve(2) == 4"}],            # test code in the language
     "checker": {"language": "cpp" | "python", "source": "..."},     # optional
     "interactor": {"language": "cpp" | "python", "source": "..."},  # optional
     "stderr_fails": false}                                          # optional

Comparison modes for stdin/stdout tests: ``tokens`` (the default, what judges accept:
whitespace-separated tokens equal, so answers one per line match answers on one line;
where the expected token is a real number such as ``0.5`` or ``1e-3``, a number within
``tolerance`` (absolute or relative, default 1e-6) also matches), ``lines`` (line ends
normalised, trailing spaces and trailing blank lines ignored), ``exact`` (byte for
byte), ``whitespace`` (tokens, no tolerance) and ``numeric`` (every number within
``tolerance``).

A ``code`` test is appended by the host after the program, as one script or compilation
unit, and passes when it exits 0 (Python: assertions are checked by the runner, see
``checks.py``). A ``checker`` (testlib convention: ``checker input output answer``, exit
0 accepted, 1 wrong, 2 presentation, 3 judge failure; or a Python ``check(input, output,
answer)`` returning a bool or ``(bool, message)``) replaces the comparison, for the
suite or one test. With an ``interactor``, each test's ``input`` is the interactor's input
file (``output``, if given, its answer file); it talks to the program over
stdin/stdout, and its exit code gives the verdict.
"""

from __future__ import annotations

import enum
import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Mapping

from rewardkit_sandbox.incontainer.languages import JUDGE_LANGUAGES, NAMES

LANGUAGES = NAMES
COMPARE_MODES = ("tokens", "lines", "exact", "whitespace", "numeric")
DEFAULT_COMPARE = "tokens"
_SUITE_KEYS = {"language", "tests", "checker", "interactor", "stderr_fails"}
_TEST_KEYS = {"input", "output", "code", "compare", "tolerance", "checker"}


class SpecError(ValueError):
    """A test suite or program that does not follow the documented format."""


class UnverifiableSuite(SpecError):
    """A valid suite this sandbox cannot judge (a language the image lacks, a checker or
    interactor that does not compile): the reward is `unverifiable`, never 0.0."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Outcome(str, enum.Enum):
    """What happened to one test. ``error``: the judge failed (a checker or interactor
    crashed or reported its own failure), which says nothing about the program."""

    PASS = "pass"
    FAIL = "fail"
    TIMEOUT = "timeout"
    RUNTIME_ERROR = "runtime_error"
    COMPILE_ERROR = "compile_error"
    COMPILE_TIMEOUT = "compile_timeout"
    MEMORY_LIMIT = "memory_limit"
    OUTPUT_LIMIT = "output_limit"
    ERROR = "error"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class JudgeProgram:
    """A checker or an interactor: its language and source (compiled once per source)."""

    language: str
    source: str

    @property
    def digest(self) -> str:
        return hashlib.sha256(f"{self.language}\0{self.source}".encode()).hexdigest()[:24]

    def to_job(self) -> dict[str, str]:
        return {"language": self.language, "source": self.source, "digest": self.digest}


@dataclass(frozen=True)
class TestCase:
    """One test: stdin/stdout (`input`, `output`, `compare`, optional `checker`) or test
    code appended to the program (`code`)."""

    __test__ = False  # not a pytest class

    input: str | None = None
    output: str | None = None
    code: str | None = None
    compare: str = DEFAULT_COMPARE
    tolerance: float = 1e-6
    checker: JudgeProgram | None = None

    @property
    def kind(self) -> str:
        return "code" if self.code is not None else "io"


@dataclass(frozen=True)
class TestSuite:
    """A language, its tests, and how they are judged."""

    __test__ = False

    language: str
    tests: tuple[TestCase, ...]
    checker: JudgeProgram | None = None
    interactor: JudgeProgram | None = None
    stderr_fails: bool = False

    @classmethod
    def parse(cls, data: Any, where: str = "tests") -> "TestSuite":
        """Validate `data` (a dict in the documented format) into a suite."""
        if isinstance(data, str):
            try:
                data = json.loads(data)
            except json.JSONDecodeError as exc:
                raise SpecError(f"{where}: not valid JSON ({exc})") from None
        if not isinstance(data, Mapping):
            raise SpecError(f"{where}: expected an object with 'language' and 'tests', "
                            f"got {type(data).__name__}")
        unknown = set(data) - _SUITE_KEYS
        if unknown:
            raise SpecError(f"{where}: unknown keys {sorted(unknown)} "
                            f"(allowed: {', '.join(sorted(_SUITE_KEYS))})")
        language = data.get("language", "python")
        if language not in LANGUAGES:
            raise SpecError(f"{where}: language must be one of {', '.join(LANGUAGES)}, "
                            f"got {language!r}")
        tests = data.get("tests")
        if not isinstance(tests, list):
            raise SpecError(f"{where}: 'tests' must be a list of test objects")
        stderr_fails = data.get("stderr_fails", False)
        if not isinstance(stderr_fails, bool):
            raise SpecError(f"{where}: 'stderr_fails' must be true or false")
        checker = _judge_program(data.get("checker"), f"{where}.checker")
        interactor = _judge_program(data.get("interactor"), f"{where}.interactor")
        if checker is not None and interactor is not None:
            raise SpecError(f"{where}: give a 'checker' or an 'interactor', not both (the "
                            "interactor gives the verdict)")
        parsed = tuple(_parse_test(t, f"{where}.tests[{i}]", language)
                       for i, t in enumerate(tests))
        for i, test in enumerate(parsed):
            if interactor is not None and (test.kind != "io" or test.checker is not None):
                raise SpecError(f"{where}.tests[{i}]: with an 'interactor', a test is "
                                "its 'input' (and optional 'output', the answer file)")
            if test.kind == "io" and test.output is None and not (
                    interactor or checker or test.checker):
                raise SpecError(f"{where}.tests[{i}]: a stdin/stdout test needs 'output' "
                                "(only a checker or an interactor can do without)")
        return cls(language, parsed, checker, interactor, stderr_fails)

    @classmethod
    def load(cls, path: str | Path) -> "TestSuite":
        path = Path(path)
        try:
            text = path.read_text()
        except OSError as exc:
            raise SpecError(f"cannot read tests file {path}: {exc.strerror}") from None
        return cls.parse(text, where=str(path))


def _judge_program(raw: Any, where: str) -> JudgeProgram | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping) or set(raw) - {"language", "source"}:
        raise SpecError(f"{where}: expected {{'language': 'cpp' | 'python', 'source': ...}}")
    language, source = raw.get("language", "cpp"), raw.get("source")
    if language not in JUDGE_LANGUAGES:
        raise SpecError(f"{where}: language must be one of {', '.join(JUDGE_LANGUAGES)}, "
                        f"got {language!r}")
    if not isinstance(source, str) or not source.strip():
        raise SpecError(f"{where}: 'source' must be a non-empty string")
    return JudgeProgram(language, source)


def _parse_test(raw: Any, where: str, language: str) -> TestCase:
    if not isinstance(raw, Mapping):
        raise SpecError(f"{where}: a test must be an object, got {type(raw).__name__}")
    unknown = set(raw) - _TEST_KEYS
    if unknown:
        raise SpecError(f"{where}: unknown keys {sorted(unknown)} (a test has 'input' and "
                        "'output' (optional 'compare', 'tolerance', 'checker'), or 'code')")
    if "code" in raw:
        if set(raw) != {"code"}:
            raise SpecError(f"{where}: a test has either 'code' or 'input'/'output', not both")
        if not isinstance(raw["code"], str) or not raw["code"].strip():
            raise SpecError(f"{where}: 'code' must be a non-empty string")
        return TestCase(code=raw["code"])
    if "output" not in raw and "input" not in raw:
        raise SpecError(f"{where}: a stdin/stdout test needs 'output' (and usually 'input')")
    stdin, stdout = raw.get("input", ""), raw.get("output")
    if not isinstance(stdin, str) or not isinstance(stdout, (str, type(None))):
        raise SpecError(f"{where}: 'input' and 'output' must be strings")
    compare = raw.get("compare", DEFAULT_COMPARE)
    if compare not in COMPARE_MODES:
        raise SpecError(f"{where}: compare must be one of {', '.join(COMPARE_MODES)}, "
                        f"got {compare!r}")
    tolerance = raw.get("tolerance", 1e-6)
    if not isinstance(tolerance, (int, float)) or isinstance(tolerance, bool) or tolerance < 0:
        raise SpecError(f"{where}: tolerance must be a number >= 0, got {tolerance!r}")
    return TestCase(input=stdin, output=stdout, compare=compare, tolerance=float(tolerance),
                    checker=_judge_program(raw.get("checker"), f"{where}.checker"))


@dataclass(frozen=True)
class TestResult:
    """The outcome of one test, with what explains it (stderr tail, exit code, detail)."""

    __test__ = False

    status: Outcome
    seconds: float = 0.0
    detail: str = ""
    exit_code: int | None = None
    stderr: str = ""

    @property
    def passed(self) -> bool:
        return self.status is Outcome.PASS


@dataclass(frozen=True)
class ProgramResult:
    """All of one program's test results, plus compiler output and sandbox notes."""

    results: tuple[TestResult, ...]
    compile_output: str = ""
    seconds: float = 0.0
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def passed(self) -> int:
        return sum(r.passed for r in self.results)

    @property
    def pass_rate(self) -> float:
        return self.passed / len(self.results) if self.results else 0.0

    @property
    def compiled(self) -> bool:
        return not any(r.status in (Outcome.COMPILE_ERROR, Outcome.COMPILE_TIMEOUT)
                       for r in self.results)

    def to_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "total": len(self.results),
            "pass_rate": self.pass_rate,
            "compile_output": self.compile_output,
            "seconds": round(self.seconds, 4),
            "notes": list(self.notes),
            "results": [{**asdict(r), "status": r.status.value} for r in self.results],
        }
