"""Image building: the failure paths, each with an error that says what to do."""

from __future__ import annotations

import subprocess

import pytest

from rewardkit_sandbox import ImageError, image
from rewardkit_sandbox.image import build_image


class NoImages:
    """A Docker client stand-in that has no images."""

    class images:  # noqa: N801 - mimics the SDK's attribute
        @staticmethod
        def get(tag):
            import docker

            raise docker.errors.ImageNotFound(tag)


def test_unknown_method_is_rejected():
    with pytest.raises(ValueError, match="use 'debootstrap' or 'dockerfile'"):
        build_image(NoImages(), method="nix")


def test_missing_debootstrap_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(image.shutil, "which", lambda name: None)
    with pytest.raises(ImageError, match="apt-get install debootstrap"):
        build_image(NoImages())


def test_debootstrap_needs_root(monkeypatch):
    monkeypatch.setattr(image.shutil, "which", lambda name: "/usr/sbin/debootstrap")
    monkeypatch.setattr(image.os, "geteuid", lambda: 1000)
    with pytest.raises(ImageError, match="needs root"):
        build_image(NoImages())


def test_failed_debootstrap_reports_its_output(monkeypatch):
    monkeypatch.setattr(image.shutil, "which", lambda name: "/usr/sbin/debootstrap")
    monkeypatch.setattr(image.os, "geteuid", lambda: 0)
    monkeypatch.setattr(image.subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(
        a, 1, stdout="", stderr="E: Failed getting release file http://mirror/dists"))
    with pytest.raises(ImageError, match="debootstrap failed .exit 1.: E: Failed getting"):
        build_image(NoImages(), mirror="http://mirror")


def test_missing_image_says_how_to_build_it():
    with pytest.raises(ImageError, match="rewardkit sandbox build"):
        image.ensure_image(NoImages())


def test_image_tag_is_a_content_hash_of_the_definition(monkeypatch):
    tag, base = image.image_tag(), image.base_tag()
    assert tag.startswith("rewardkit-sandbox:") and tag == image.image_tag()
    monkeypatch.setattr(image, "PACKAGES", ("python3", "g++", "ruby"))
    assert image.base_tag() != base and image.image_tag() != tag


def test_runner_changes_retag_the_image_but_not_the_base(monkeypatch):
    tag, base = image.image_tag(), image.base_tag()
    original = image.definition()
    monkeypatch.setattr(image, "definition",
                        lambda: {**original, "runner": {"runner.py": "changed"}})
    assert image.image_tag() != tag and image.base_tag() == base


def test_dockerfile_route_installs_the_same_packages():
    text = (image.HERE / "Dockerfile").read_text()
    for package in image.PACKAGES:
        assert package in text
    assert "COPY rk/ /opt/rk/" in text and "keeper" in text
