"""Every test starts clean: fresh tmp, no leftover process, ports bind again, stderr drained."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.docker


def statuses(result) -> list[str]:
    return [r.status.value for r in result.results]


FRESH = """
import os
seen = sorted(n for d in ('/tmp', '/dev/shm', os.getcwd(), os.environ['HOME'])
              for n in os.listdir(d) if n.startswith('mark'))
for d in ('/tmp', '/dev/shm', os.getcwd()):
    open(os.path.join(d, 'mark-' + str(os.getpid())), 'w').write('x')
print('fresh' if not seen else seen)
"""


def test_every_test_gets_a_fresh_tmp(pool):
    result = pool.run(FRESH, {"tests": [{"output": "fresh"}] * 3})
    assert statuses(result) == ["pass"] * 3, result.to_dict()


@pytest.mark.parametrize("language, source", [
    ("python", FRESH),
    ("cpp", '#include <cstdio>\n#include <unistd.h>\nint main(){ bool seen = !access("/tmp/mark",'
            ' F_OK) || !access("mark", F_OK); FILE* f = fopen("/tmp/mark", "w"); fputs("x", f);'
            ' fclose(f); f = fopen("mark", "w"); fclose(f); puts(seen ? "stale" : "fresh"); }'),
])
def test_files_from_an_earlier_test_are_gone(pool, language, source):
    result = pool.run(source, {"language": language, "tests": [{"output": "fresh"}] * 2})
    assert statuses(result) == ["pass", "pass"], result.to_dict()


PORT = """
import socket
server = socket.socket()
server.bind(('127.0.0.1', 5555))          # no SO_REUSEADDR, like most programs
server.listen(1)
client = socket.create_connection(('127.0.0.1', 5555))
conn, _ = server.accept()
conn.sendall(b'hi')
conn.close()                               # the server closes first: TIME_WAIT on 5555
print(client.recv(2).decode())
client.close()
server.close()
"""


def test_a_fixed_port_binds_again_in_the_next_test(pool):
    result = pool.run(PORT, {"tests": [{"output": "hi"}] * 3})
    assert statuses(result) == ["pass"] * 3, result.to_dict()


FLOOD = """
import sys
sys.stderr.write('first line of the log\\n')
chunk = 'y' * 65536
for _ in range(800):                       # 50 MiB of logging, far past the output cap
    sys.stderr.write(chunk)
print(sum(map(int, input().split())))
"""


def test_stderr_past_its_cap_is_drained_and_dropped(pool):
    result = pool.run(FLOOD, {"tests": [{"input": "2 3", "output": "5"}]})
    first = result.results[0]
    assert first.status.value == "pass", result.to_dict()
    assert first.stderr.startswith("first line of the log") and "bytes dropped" in first.stderr
    assert len(first.stderr) < 4096


def test_stderr_fails_when_the_suite_says_so(pool):
    source = "import sys\nprint('warning', file=sys.stderr)\nprint(5)\n"
    tests = [{"output": "5"}]
    assert statuses(pool.run(source, {"tests": tests})) == ["pass"]
    strict = pool.run(source, {"tests": tests, "stderr_fails": True})
    assert statuses(strict) == ["fail"] and "stderr" in strict.results[0].detail
    assert statuses(pool.run("print(5)\n", {"tests": tests, "stderr_fails": True})) == ["pass"]


def test_answers_one_per_line_match_space_separated_by_default(pool):
    suite = {"tests": [{"input": "3", "output": "1 2 3\n"}]}
    assert statuses(pool.run("for i in range(int(input())):\n    print(i + 1)\n", suite)) == ["pass"]
    assert statuses(pool.run("print(1, 2, 4)\n", suite)) == ["fail"]
