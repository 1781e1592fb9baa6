#!/usr/bin/env bash
# Docker for the sandbox tests, on a fresh CI machine (run as root by .ci/run). Idempotent:
# a reachable daemon is reused, and the image is rebuilt only when its definition changed
# (its tag is a content hash; the debootstrapped base is reused across runner changes).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v dockerd >/dev/null || ! command -v debootstrap >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io debootstrap >/dev/null
fi

if ! docker info >/dev/null 2>&1; then
    log=/var/log/rewardkit-dockerd.log
    nohup dockerd >"$log" 2>&1 &
    for _ in $(seq 60); do
        docker info >/dev/null 2>&1 && break
        sleep 1
    done
    if ! docker info >/dev/null 2>&1; then
        echo "dockerd did not come up; its log:" >&2
        tail -n 40 "$log" >&2
        exit 1
    fi
fi

python3 -m pip install --quiet -e . -e sandbox
python3 -m rewardkit sandbox build
