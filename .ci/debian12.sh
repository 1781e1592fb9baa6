#!/usr/bin/env bash
# The README's two commands on a stock Debian 12 system Python (PEP 668 "externally
# managed", no python3-venv, no pip): a container from a debootstrapped bookworm with only
# python3, make and CA certificates, as a new user's machine has. Needs a Docker daemon and
# debootstrap (.ci/docker.sh provides both). The image is cached by its package list.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
packages=python3,make,ca-certificates
tag="rewardkit-debian12:$(echo "bookworm minbase $packages" | sha256sum | cut -c1-16)"

if ! docker image inspect "$tag" >/dev/null 2>&1; then
    rootfs=$(mktemp -d)
    trap 'rm -rf "$rootfs"' EXIT
    echo "debootstrap bookworm (python3, make) for $tag"
    debootstrap --variant=minbase --include="$packages" bookworm "$rootfs" \
        "${RK_SANDBOX_MIRROR:-http://deb.debian.org/debian}" >/dev/null
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb
    tar -C "$rootfs" -c . | docker import - "$tag" >/dev/null
fi

# This machine's pip settings (local wheel mirror for torch, certificates) go along, so the
# container installs what CI installs; nothing else of the host is visible to it.
mounts=()
for p in /opt/wheels /opt/pypi /opt/pypi-more /etc/xdg/pip /etc/pip.conf /etc/ssl/certs/ca-certificates.crt; do
    [ -e "$p" ] && mounts+=(-v "$p:$p:ro")
done
envs=()
while IFS='=' read -r name _; do envs+=(-e "$name"); done < <(env | grep -E '^PIP_' || true)

docker run --rm --network host "${mounts[@]}" "${envs[@]}" -v "$repo:/src:ro" "$tag" bash -euc '
    python3 -m pip --version 2>/dev/null && { echo "expected a Python without pip"; exit 1; }
    python3 -c "import sysconfig, pathlib; p = pathlib.Path(sysconfig.get_path(\"stdlib\"), \"EXTERNALLY-MANAGED\"); assert p.exists(), p"
    mkdir /work && cd /src && tar --exclude=./.venv --exclude=./.git -c . | tar -C /work -x && cd /work
    make demo
    test -s runs/toy/summary.json
    make test PYTEST_ARGS="-q -p no:cacheprovider tests/core/test_types.py tests/core/test_rubric.py"
    echo "debian12: both README commands passed on the system Python (project venv in .venv/)"
'
