"""The test format and the results: what goes into the sandbox and what comes out.

A test suite, the same in a ``--tests`` file and in a sample's ``reference``::

    {"language": "python" | "cpp",
     "tests": [{"input": "1 2\\n", "output": "3\\n", "compare": "lines"},   # stdin/stdout
               {"code": "assert solve(2) == 4"}]}                        # Python assertion

Comparison modes for stdin/stdout tests: ``exact`` (byte for byte), ``lines`` (the
default: line ends normalised, trailing spaces and trailing blank lines ignored),
``whitespace`` (any run of whitespace is one separator) and ``numeric`` (tokens; numbers
equal within ``tolerance``, absolute or relative, default 1e-6).
"""

from __future__ import annotations

import enum
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Mapping

LANGUAGES = ("python", "cpp")
COMPARE_MODES = ("exact", "lines", "whitespace", "numeric")


class SpecError(ValueError):
    """A test suite or program that does not follow the documented format."""


class Outcome(str, enum.Enum):
    """What happened to one test."""

    PASS = "pass"
    FAIL = "fail"
    TIMEOUT = "timeout"
    RUNTIME_ERROR = "runtime_error"
    COMPILE_ERROR = "compile_error"
    MEMORY_LIMIT = "memory_limit"
    OUTPUT_LIMIT = "output_limit"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class TestCase:
    """One test: stdin/stdout (`input`, `output`, `compare`) or a Python assertion (`code`)."""

    __test__ = False  # not a pytest class

    input: str | None = None
    output: str | None = None
    code: str | None = None
    compare: str = "lines"
    tolerance: float = 1e-6

    @property
    def kind(self) -> str:
        return "code" if self.code is not None else "io"


@dataclass(frozen=True)
class TestSuite:
    """A language and its tests."""

    __test__ = False

    language: str
    tests: tuple[TestCase, ...]

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
        unknown = set(data) - {"language", "tests"}
        if unknown:
            raise SpecError(f"{where}: unknown keys {sorted(unknown)} "
                            "(allowed: 'language', 'tests')")
        language = data.get("language", "python")
        if language not in LANGUAGES:
            raise SpecError(f"{where}: language must be one of {', '.join(LANGUAGES)}, "
                            f"got {language!r}")
        tests = data.get("tests")
        if not isinstance(tests, list):
            raise SpecError(f"{where}: 'tests' must be a list of test objects")
        return cls(language, tuple(_parse_test(t, f"{where}.tests[{i}]", language)
                                   for i, t in enumerate(tests)))

    @classmethod
    def load(cls, path: str | Path) -> "TestSuite":
        path = Path(path)
        try:
            text = path.read_text()
        except OSError as exc:
            raise SpecError(f"cannot read tests file {path}: {exc.strerror}") from None
        return cls.parse(text, where=str(path))


def _parse_test(raw: Any, where: str, language: str) -> TestCase:
    if not isinstance(raw, Mapping):
        raise SpecError(f"{where}: a test must be an object, got {type(raw).__name__}")
    unknown = set(raw) - {"input", "output", "code", "compare", "tolerance"}
    if unknown:
        raise SpecError(f"{where}: unknown keys {sorted(unknown)} (a test has 'input' and "
                        "'output' (optional 'compare', 'tolerance'), or 'code')")
    if "code" in raw:
        if "input" in raw or "output" in raw:
            raise SpecError(f"{where}: a test has either 'code' or 'input'/'output', not both")
        if language != "python":
            raise SpecError(f"{where}: 'code' (assertion) tests need language 'python'")
        if not isinstance(raw["code"], str) or not raw["code"].strip():
            raise SpecError(f"{where}: 'code' must be a non-empty string")
        return TestCase(code=raw["code"])
    if "output" not in raw:
        raise SpecError(f"{where}: a stdin/stdout test needs 'output' (and usually 'input')")
    stdin, stdout = raw.get("input", ""), raw["output"]
    if not isinstance(stdin, str) or not isinstance(stdout, str):
        raise SpecError(f"{where}: 'input' and 'output' must be strings")
    compare = raw.get("compare", "lines")
    if compare not in COMPARE_MODES:
        raise SpecError(f"{where}: compare must be one of {', '.join(COMPARE_MODES)}, "
                        f"got {compare!r}")
    tolerance = raw.get("tolerance", 1e-6)
    if not isinstance(tolerance, (int, float)) or tolerance < 0:
        raise SpecError(f"{where}: tolerance must be a number >= 0, got {tolerance!r}")
    return TestCase(input=stdin, output=stdout, compare=compare, tolerance=float(tolerance))


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
        return not any(r.status is Outcome.COMPILE_ERROR for r in self.results)

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
