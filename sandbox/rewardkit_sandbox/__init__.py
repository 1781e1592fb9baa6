"""rewardkit-sandbox: run untrusted programs (Python, C++, C, Java, JavaScript, Go, Rust)
against tests in Docker.

>>> from rewardkit_sandbox import SandboxPool                          # doctest: +SKIP
>>> with SandboxPool() as pool:                                        # doctest: +SKIP
...     pool.run("print(input()[::-1])", {"tests": [{"input": "abc", "output": "cba"}]})

Usable without rewardkit's CLI; with it, `rewardkit sandbox build | check | run`.
Importing this package imports no docker SDK: that happens when a pool starts.
"""

from __future__ import annotations

from rewardkit_sandbox.container import Limits, SandboxError
from rewardkit_sandbox.image import ImageError, build_image, ensure_image, image_tag
from rewardkit_sandbox.pool import SandboxPool, docker_client, remove_leaked, shared_pool
from rewardkit_sandbox.spec import (
    JudgeProgram, Outcome, ProgramResult, SpecError, TestCase, TestResult, TestSuite,
    UnverifiableSuite)

__all__ = [
    "Limits", "SandboxError", "ImageError", "build_image", "ensure_image", "image_tag",
    "SandboxPool", "docker_client", "remove_leaked", "shared_pool", "Outcome",
    "ProgramResult", "SpecError", "TestCase", "TestResult", "TestSuite", "JudgeProgram",
    "UnverifiableSuite",
]
