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

start_dockerd() {  # $@: extra dockerd flags; returns 0 once `docker info` answers
    nohup dockerd "$@" >"$log" 2>&1 &
    local pid=$!
    for _ in $(seq 60); do
        docker info >/dev/null 2>&1 && return 0
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 1
    done
    kill "$pid" 2>/dev/null; sleep 2  # the daemon we started never answered
    return 1
}

log=/var/log/rewardkit-dockerd.log
if ! docker info >/dev/null 2>&1; then
    # overlay2 first; vfs (slow, but needs no overlay support) where overlay is refused
    if ! start_dockerd && ! start_dockerd --storage-driver=vfs; then
        echo "dockerd did not come up (tried overlay2, then vfs); its log:" >&2
        tail -n 40 "$log" >&2
        exit 1
    fi
fi

make sandbox-image  # the project environment (make install), then the image
