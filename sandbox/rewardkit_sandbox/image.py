"""The sandbox image: its definition, its content-hash tag, and two ways to build it.

* ``debootstrap`` (the default, no registry needed): a minimal Debian rootfs with the
  packages below and the sandbox user, imported with ``docker import`` as the base image
  (built once: it changes only with suite, packages or uid); the runner is then added on
  top with a two-line local ``docker build`` (no registry: the base is local).
* ``dockerfile`` (for users with a registry): ``docker build`` of the bundled Dockerfile.

Both give the tag ``rewardkit-sandbox:<hash>``, where the hash covers everything that
defines the image (suite, packages, uid, Dockerfile, runner source): an unchanged
definition is never rebuilt, a changed one gets a new tag.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any, Callable

from rewardkit_sandbox.incontainer.child import UID
from rewardkit_sandbox.incontainer.languages import NAMES

REPOSITORY = "rewardkit-sandbox"
SUITE = "bookworm"
# python3, not python3-minimal (that one lacks json); gcc comes with g++; the JDK is the
# headless one; golang-go and rustc are bookworm's own (1.19 and 1.63).
# golang-github-stretchr-testify-dev: the Go datasets' tests import testify.
PACKAGES = ("python3", "g++", "openjdk-17-jdk-headless", "nodejs", "golang-go",
            "golang-github-stretchr-testify-dev", "rustc")
# Downloaded packages are kept here between builds (debootstrap --cache-dir).
CACHE_DIR = os.environ.get("RK_SANDBOX_DEB_CACHE", "/var/cache/rewardkit-debootstrap")
DEFAULT_MIRROR = "http://deb.debian.org/debian"
RUNNER_DIR = "/opt/rk"
RUNNER_PATH = f"{RUNNER_DIR}/runner.py"
RUNNER_FILES = ("runner.py", "child.py", "judge.py", "procs.py", "build.py", "harness.py",
                "languages.py", "testrun.py", "interact.py", "pyjudge.py", "repl.py",
                "source_scan.py", "include/testlib.h")
LANGUAGES_LABEL = "rewardkit.sandbox.languages"
# Go compiles testify and its dependencies once, at image build, into the read-only
# GOPATH (Debian ships their sources): a Go test then compiles its own package and links.
GO_PACKAGES = ("github.com/stretchr/testify/assert", "github.com/stretchr/testify/require",
               "github.com/davecgh/go-spew/spew", "github.com/pmezard/go-difflib/difflib",
               "gopkg.in/yaml.v3")
WARM_RUN = ("RUN GOPATH=/usr/share/gocode GO111MODULE=off GOCACHE=/tmp/gocache go install "
            + " ".join(GO_PACKAGES) + " && rm -rf /tmp/gocache")
REPL_CMD = ("python3", "-I", "-S", f"{RUNNER_DIR}/repl.py")
KEEPER_CMD = ["python3", "-I", "-S", RUNNER_PATH, "keeper"]
HERE = Path(__file__).parent
INCONTAINER = HERE / "incontainer"
_SLIM = ("usr/share/doc", "usr/share/man", "usr/share/info", "usr/share/locale",
         "var/cache/apt/archives", "var/lib/apt/lists")


class ImageError(RuntimeError):
    """The sandbox image is missing or could not be built."""


def base_definition() -> dict[str, Any]:
    """What decides the base rootfs (Debian suite, packages, sandbox user)."""
    return {"suite": SUITE, "packages": list(PACKAGES), "uid": UID}


def definition() -> dict[str, Any]:
    """Everything that decides the image's content."""
    return {
        "base": base_definition(),
        "runner": {name: (INCONTAINER / name).read_text() for name in RUNNER_FILES},
        "dockerfile": (HERE / "Dockerfile").read_text(),
        "warm": WARM_RUN,
    }


def _digest(data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


def base_tag() -> str:
    """The debootstrapped rootfs; rebuilt only when suite, packages or uid change."""
    return f"{REPOSITORY}-base:{_digest(base_definition())}"


def image_tag() -> str:
    """The image the sandbox runs: base plus runner, tagged by the whole definition."""
    return f"{REPOSITORY}:{_digest(definition())}"


def image_languages(client: Any, tag: str) -> tuple[str, ...]:
    """The languages an image runs (its label; images from before the label: Python, C++)."""
    labels = client.images.get(tag).labels or {}
    return tuple(labels.get(LANGUAGES_LABEL, "python,cpp").split(","))


def image_exists(client: Any, tag: str) -> bool:
    import docker

    try:
        client.images.get(tag)
        return True
    except docker.errors.ImageNotFound:
        return False


def ensure_image(client: Any, build: bool = False, log: Callable[[str], None] = lambda _: None,
                 **options: Any) -> str:
    """The current image's tag; built first when missing and `build` is set."""
    tag = image_tag()
    if image_exists(client, tag):
        return tag
    if not build:
        raise ImageError(f"sandbox image {tag} is not built; run `rewardkit sandbox build` "
                         "(or pass build=True)")
    return build_image(client, log=log, **options)


def build_image(client: Any, method: str = "debootstrap", mirror: str | None = None,
                force: bool = False, log: Callable[[str], None] = lambda _: None) -> str:
    """Build the image (unless an identical one exists and not `force`); returns its tag."""
    tag = image_tag()
    if not force and image_exists(client, tag):
        log(f"{tag} is up to date")
        return tag
    if method == "debootstrap":
        _build_debootstrap(client, tag, mirror or os.environ.get("RK_SANDBOX_MIRROR")
                           or DEFAULT_MIRROR, log)
    elif method == "dockerfile":
        _build_dockerfile(client, tag, log)
    else:
        raise ValueError(f"unknown build method {method!r}; use 'debootstrap' or 'dockerfile'")
    log(f"built {tag}")
    return tag


def _build_debootstrap(client: Any, tag: str, mirror: str, log: Callable[[str], None]) -> None:
    base = base_tag()
    if not image_exists(client, base):
        _debootstrap_base(client, base, mirror, log)
    with tempfile.TemporaryDirectory(prefix="rk-sandbox-ctx-") as ctx:
        _copy_runner(Path(ctx))
        (Path(ctx) / "Dockerfile").write_text(
            f"FROM {base}\n{WARM_RUN}\nCOPY rk/ {RUNNER_DIR}/\n"
            f"RUN chmod -R a+rX,go-w {RUNNER_DIR}\n"
            f"LABEL {LANGUAGES_LABEL}={','.join(NAMES)}\nCMD {json.dumps(KEEPER_CMD)}\n")
        log(f"adding the runner to {base}")
        _docker_build(client, ctx, tag)


def _debootstrap_base(client: Any, tag: str, mirror: str, log: Callable[[str], None]) -> None:
    if shutil.which("debootstrap") is None:
        raise ImageError("debootstrap is not installed; `apt-get install debootstrap`, or "
                         "build with --method dockerfile where a registry is reachable")
    if os.geteuid() != 0:
        raise ImageError("debootstrap needs root; run `sudo rewardkit sandbox build`")
    with tempfile.TemporaryDirectory(prefix="rk-sandbox-") as tmp:
        rootfs = Path(tmp) / "rootfs"
        log(f"debootstrap {SUITE} with {', '.join(PACKAGES)} from {mirror} (a few minutes)")
        os.makedirs(CACHE_DIR, exist_ok=True)
        proc = subprocess.run(
            ["debootstrap", "--variant=minbase", f"--cache-dir={CACHE_DIR}",
             f"--include={','.join(PACKAGES)}", SUITE, str(rootfs), mirror],
            capture_output=True, text=True)
        if proc.returncode != 0:
            raise ImageError(f"debootstrap failed (exit {proc.returncode}): "
                             f"{(proc.stderr or proc.stdout)[-2000:]}")
        _add_user(rootfs)
        archive = Path(tmp) / "rootfs.tar"
        log("packing and importing the rootfs")
        subprocess.run(["tar", "-C", str(rootfs), "-cf", str(archive), "."], check=True)
        repository, version = tag.split(":")
        client.api.import_image_from_file(
            str(archive), repository=repository, tag=version,
            changes=["WORKDIR /tmp", "ENV LANG=C.UTF-8 PATH=/usr/local/bin:/usr/bin:/bin"])
    if not image_exists(client, tag):
        raise ImageError(f"docker import did not produce {tag}")


def _add_user(rootfs: Path) -> None:
    """Add the sandbox user to a debootstrapped rootfs; drop caches and docs."""
    uid = UID
    with open(rootfs / "etc/passwd", "a") as f:
        f.write(f"sandbox:x:{uid}:{uid}:sandbox:/tmp/sb:/usr/sbin/nologin\n")
    with open(rootfs / "etc/group", "a") as f:
        f.write(f"sandbox:x:{uid}:\n")
    for rel in _SLIM:
        path = rootfs / rel
        if path.is_dir():
            shutil.rmtree(path)
            path.mkdir(parents=True)


def _build_dockerfile(client: Any, tag: str, log: Callable[[str], None]) -> None:
    with tempfile.TemporaryDirectory(prefix="rk-sandbox-ctx-") as ctx:
        shutil.copyfile(HERE / "Dockerfile", Path(ctx) / "Dockerfile")
        _copy_runner(Path(ctx))
        log(f"docker build of {HERE / 'Dockerfile'}")
        _docker_build(client, ctx, tag, buildargs={"UID": str(UID)})


def _copy_runner(context: Path) -> None:
    for name in RUNNER_FILES:
        (context / "rk" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(INCONTAINER / name, context / "rk" / name)


def _docker_build(client: Any, context: str, tag: str, **options: Any) -> None:
    import docker

    try:
        client.images.build(path=context, tag=tag, rm=True, **options)
    except docker.errors.BuildError as exc:
        lines = [str(c.get("stream") or c.get("error") or "") for c in exc.build_log]
        raise ImageError(f"docker build failed: {exc.msg}\n{''.join(lines)[-2000:]}") from None
    except docker.errors.APIError as exc:
        raise ImageError(f"docker build failed: {exc}") from None
