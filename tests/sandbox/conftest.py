"""Docker fixtures for the sandbox tests.

Tests marked ``docker`` need a reachable daemon and the built image. Outside CI they
skip, saying why; with ``CI=true`` they fail instead, so CI never passes by skipping.
"""

from __future__ import annotations

import os

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: Docker tests must run, not skip; see .ci/docker.sh)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def docker_client():
    from rewardkit_sandbox import SandboxError, docker_client as connect

    try:
        return connect(timeout=30)
    except SandboxError as exc:
        _unavailable(f"no Docker daemon: {exc}")


@pytest.fixture(scope="session")
def sandbox_image(docker_client):
    from rewardkit_sandbox import ImageError, ensure_image
    from rewardkit_sandbox.image import base_tag, image_exists

    try:  # with the debootstrapped base present, adding the runner takes seconds
        return ensure_image(docker_client, build=image_exists(docker_client, base_tag()))
    except ImageError as exc:
        _unavailable(str(exc))


@pytest.fixture(scope="session")
def pool(docker_client, sandbox_image):
    """A warm pool of two containers shared by the correctness, language and pool tests
    (generous limits: a JVM or Node start and a rustc run take seconds on a loaded machine)."""
    from rewardkit_sandbox import Limits, SandboxPool

    with SandboxPool(size=2, image=sandbox_image, client=docker_client,
                     limits=Limits(test_timeout=10.0, compile_timeout=90.0)) as p:
        yield p


@pytest.fixture(scope="session")
def hostile_pool(docker_client, sandbox_image):
    """One container with short limits, so every adversarial program hits the same one."""
    from rewardkit_sandbox import Limits, SandboxPool

    limits = Limits(test_timeout=1.5, compile_timeout=6.0, memory_mb=256,
                    output_bytes=1 << 20, tmpfs_mb=32)
    with SandboxPool(size=1, image=sandbox_image, client=docker_client, limits=limits) as p:
        yield p


@pytest.fixture(scope="session")
def polyglot_hostile_pool(docker_client, sandbox_image):
    """One container for the hostile programs in every language: short test limits, a
    compile limit that slow compilers (rustc, go) meet on a loaded machine."""
    from rewardkit_sandbox import Limits, SandboxPool

    limits = Limits(test_timeout=4.0, compile_timeout=90.0, memory_mb=384,
                    output_bytes=1 << 20, tmpfs_mb=32)
    with SandboxPool(size=1, image=sandbox_image, client=docker_client, limits=limits) as p:
        yield p
