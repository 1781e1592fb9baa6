"""Docker availability for the code_tests end-to-end test (same policy as tests/sandbox)."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="session")
def sandbox_ready():
    from rewardkit_sandbox import ImageError, SandboxError, docker_client, ensure_image
    from rewardkit_sandbox.image import base_tag, image_exists

    try:
        client = docker_client(timeout=30)
        return ensure_image(client, build=image_exists(client, base_tag()))
    except (SandboxError, ImageError) as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{exc} (CI=true: Docker tests must run, not skip)")
        pytest.skip(str(exc))
