"""The exec-socket session, against a fake daemon: framing, EOF, deadline, byte cap."""

from __future__ import annotations

import json
import socket
import struct
import threading

import pytest

from rewardkit_sandbox import SandboxError
from rewardkit_sandbox import container as container_module
from rewardkit_sandbox.container import Session


def frame(stream: int, data: bytes) -> bytes:
    return bytes([stream, 0, 0, 0]) + struct.pack(">I", len(data)) + data


class FakeAPI:
    def __init__(self, sock):
        self.sock = sock

    def exec_create(self, container, cmd, **kwargs):
        assert cmd[-1] == "serve" and kwargs["user"] == "0"
        return {"Id": "exec-1"}

    def exec_start(self, exec_id, socket):
        return self.sock


class FakeClient:
    def __init__(self, sock):
        self.api = FakeAPI(sock)


@pytest.fixture
def daemon():
    ours, theirs = socket.socketpair()
    yield Session(FakeClient(ours), "c1"), theirs
    theirs.close()


def read_job(sock: socket.socket) -> dict:
    (size,) = struct.unpack(">Q", sock.recv(8, socket.MSG_WAITALL))
    return json.loads(sock.recv(size, socket.MSG_WAITALL))


def test_lines_come_back_across_split_frames(daemon):
    session, peer = daemon

    def serve():
        assert read_job(peer) == {"job": 1}
        data = frame(1, b'{"test": 0, "status": "pass"}\n') + frame(2, b"warning\n") + \
            frame(1, b'{"done": true, "dirty": false}\n')
        for i in range(0, len(data), 5):  # tiny chunks split headers and payloads
            peer.sendall(data[i:i + 5])

    threading.Thread(target=serve).start()
    lines, finished = session.run({"job": 1}, timeout=5)
    assert finished and lines == [{"test": 0, "status": "pass"}, {"done": True, "dirty": False}]
    assert not session.broken


def test_runner_exit_before_done_is_an_error_with_its_stderr(daemon):
    session, peer = daemon

    def serve():
        read_job(peer)
        peer.sendall(frame(2, b"Traceback: KeyError 'limits'\n"))
        peer.shutdown(socket.SHUT_WR)

    threading.Thread(target=serve).start()
    with pytest.raises(SandboxError, match="runner exited: Traceback: KeyError"):
        session.run({"job": 1}, timeout=5)
    assert session.broken
    with pytest.raises(SandboxError, match="broken"):
        session.run({"job": 2}, timeout=5)


def test_deadline_returns_unfinished_and_breaks_the_session(daemon):
    session, peer = daemon
    lines, finished = session.run({"job": 1}, timeout=0.3)  # the fake never answers
    assert not finished and session.broken


def test_output_beyond_the_cap_is_refused(daemon, monkeypatch):
    session, peer = daemon
    monkeypatch.setattr(container_module, "RESULT_CAP", 1000)

    def serve():
        read_job(peer)
        try:
            peer.sendall(frame(1, b"x" * 5000))
        except OSError:
            pass

    threading.Thread(target=serve).start()
    with pytest.raises(SandboxError, match="more than 1000 bytes"):
        session.run({"job": 1}, timeout=5)
