"""Hostile programs: each is contained with the right status, and the pool stays healthy.

Every case runs in the same one-container pool (short limits); after each, a plain
program must pass and no process of the sandbox uid may be left in any container.
Programs that probe something report what they could do on stdout, and the expected
output is the safe answer, so a pass means "contained".
"""

from __future__ import annotations

import textwrap

import pytest

pytestmark = pytest.mark.docker

NOT_PASS = {"timeout", "runtime_error", "memory_limit", "output_limit", "fail"}
IO = {"tests": [{"input": "", "output": "contained\n"}]}


def py(source: str) -> str:
    return textwrap.dedent(source).lstrip()


CASES = [
    # -------------------------------------------------------------- resources
    ("fork bomb", py("""
        import os
        while True:
            try:
                os.fork()
            except OSError:
                pass
        """), IO, {"timeout", "runtime_error"}),
    # (timeout: on a loaded machine, filling the memory can outlast the deadline)
    ("memory bomb", "x = []\nwhile True:\n    x.append(' ' * 10**7)\n", IO,
     {"memory_limit", "timeout"}),
    ("infinite loop", "while True:\n    pass\n", IO, {"timeout"}),
    ("busy loop ignoring signals", py("""
        import signal
        for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGXCPU, signal.SIGALRM):
            signal.signal(s, signal.SIG_IGN)
        while True:
            pass
        """), IO, {"timeout"}),
    ("long sleep", "import time\ntime.sleep(3600)\n", IO, {"timeout"}),
    ("huge stdout", "import sys\nwhile True:\n    sys.stdout.write('x' * 65536)\n", IO,
     {"output_limit"}),
    # stderr is drained and dropped, never a failure: the endless writer times out
    ("huge stderr", "import sys\nwhile True:\n    sys.stderr.write('y' * 65536)\n", IO,
     {"timeout"}),
    ("disk fill", py("""
        n = 0
        try:
            with open('/tmp/sb/fill', 'wb') as f:
                while True:
                    f.write(b'z' * 2**20)
                    n += 1
        except OSError:
            pass
        print('contained' if n < 64 else 'filled %d MiB' % n)
        """), IO, {"pass", "runtime_error"}),
    ("threads spinning", py("""
        import threading
        def spin():
            while True:
                pass
        for _ in range(8):
            threading.Thread(target=spin).start()
        print('contained')
        """), IO, {"timeout"}),
    ("deep recursion", py("""
        import sys
        sys.setrecursionlimit(10**8)
        def f(n):
            return f(n + 1) + 1
        f(0)
        """), IO, {"runtime_error", "memory_limit", "timeout"}),
    ("stdin never read (2 MB input)", "print('contained')\n",
     {"tests": [{"input": "1" * (2 << 20), "output": "contained\n"}]}, {"pass"}),
    ("stdin read to exhaustion", py("""
        import sys
        while True:
            sys.stdin.read()
        """), IO, {"timeout"}),
    # -------------------------------------------------------------- escapes
    ("network: sockets", py("""
        import socket
        reached = []
        for host in ('8.8.8.8', '1.1.1.1', '172.17.0.1'):
            try:
                socket.create_connection((host, 53), timeout=0.5).close()
                reached.append(host)
            except OSError:
                pass
        print('contained' if not reached else reached)
        """), IO, {"pass"}),
    ("network: DNS", py("""
        import socket
        try:
            socket.getaddrinfo('deb.debian.org', 80)
            print('resolved')
        except OSError:
            print('contained')
        """), IO, {"pass"}),
    ("host environment", py("""
        import os
        extra = set(os.environ) - {'PATH', 'HOME', 'TMPDIR', 'LANG', 'PYTHONDONTWRITEBYTECODE'}
        print('contained' if not extra and os.getuid() != 0 else sorted(extra))
        """), IO, {"pass"}),
    ("host and root files", py("""
        import os
        opened = []
        for path in ('/etc/shadow', '/proc/1/environ', '/proc/1/mem', '/root/.bashrc',
                     '/var/run/docker.sock', '/proc/kcore'):
            try:
                open(path, 'rb').read(1)
                opened.append(path)
            except OSError:
                pass
        try:
            open('/etc/rk-owned', 'w')
            opened.append('/etc (write)')
        except OSError:
            pass
        print('contained' if not opened else opened)
        """), IO, {"pass"}),
    ("/proc probing of the runner", py("""
        import os
        me = os.getuid()
        seen = []
        for pid in filter(str.isdigit, os.listdir('/proc')):
            try:
                if os.stat('/proc/' + pid).st_uid == me:
                    continue
            except OSError:
                continue
            for part in ('environ', 'mem', 'fd', 'maps'):
                try:
                    path = '/proc/%s/%s' % (pid, part)
                    os.listdir(path) if part == 'fd' else open(path, 'rb').read(1)
                    seen.append(path)
                except OSError:
                    pass
        print('contained' if not seen else seen)
        """), IO, {"pass"}),
    ("/sys probing", py("""
        written = []
        for path in ('/sys/fs/cgroup/memory/memory.limit_in_bytes',
                     '/sys/fs/cgroup/pids/pids.max', '/proc/sys/kernel/hostname'):
            try:
                with open(path, 'w') as f:
                    f.write('max')
                written.append(path)
            except OSError:
                pass
        print('contained' if not written else written)
        """), IO, {"pass"}),
    ("kills its parent", "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n",
     {"tests": [{"output": "contained"}, {"output": "contained"}]}, {"runtime_error"}),
    ("stops its parent", "import os, signal\nos.kill(os.getppid(), signal.SIGSTOP)\n",
     {"tests": [{"output": "contained"}, {"output": "contained"}]}, NOT_PASS),
    ("kills every process it can", "import os, signal\nos.kill(-1, signal.SIGKILL)\n", IO,
     {"runtime_error"}),
    ("daemon that outlives its test", py("""
        import os, sys, time
        me, parent = os.getpid(), os.getppid()
        others = [p for p in filter(str.isdigit, os.listdir('/proc'))
                  if int(p) not in (me, parent) and os.stat('/proc/' + p).st_uid == os.getuid()]
        if others:
            print('survivors', others)
            sys.exit(0)
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                while True:
                    time.sleep(0.05)
            os._exit(0)
        print('contained')
        """), {"tests": [{"output": "contained"}] * 3}, {"pass"}),
    # -------------------------------------------------------------- result spoofing
    ("prints PASSED", "print('PASSED')\nprint('{\"test\": 0, \"status\": \"pass\"}')\n", IO,
     {"fail"}),
    ("writes a fake verdict to the runner's stdout", py("""
        import os
        for pid in filter(str.isdigit, os.listdir('/proc')):
            try:
                with open('/proc/%s/fd/1' % pid, 'w') as f:
                    f.write('{"test": 0, "status": "pass"}\\n{"done": true}\\n')
            except OSError:
                pass
        """), IO, {"fail"}),
    ("reads the expected output", py("""
        import gc, os
        needle = 'secret-' + '4242'
        for root, dirs, files in os.walk('/'):
            if root.startswith(('/sys', '/proc/sys')):
                dirs[:] = []
                continue
            for name in files:
                try:
                    with open(os.path.join(root, name), 'rb') as f:
                        if needle.encode() in f.read(1 << 20):
                            print(needle)
                            raise SystemExit
                except OSError:
                    pass
        for obj in gc.get_objects():
            if needle in repr(obj)[:10000] and 'needle' not in repr(obj)[:10000]:
                print(needle)
                raise SystemExit
        """), {"tests": [{"output": "secret-4242"}]}, {"fail", "timeout"}),
    ("exits 0 before an assertion test runs",
     "def solve(x):\n    return 0\nimport sys\nsys.exit(0)\n",
     {"tests": [{"code": "assert solve(1) == 2"}]}, {"fail"}),
    ("os._exit(0) inside the function under test",
     "import os\ndef solve(x):\n    os._exit(0)\n", {"tests": [{"code": "assert solve(1) == 2"}]},
     {"fail"}),
    ("always-equal object", py("""
        class Anything:
            def __eq__(self, other):
                return True
            __hash__ = object.__hash__
        def solve(x):
            return Anything()
        """), {"tests": [{"code": "assert solve(1) == 2"}]}, {"fail"}),
    ("int subclass that equals everything", py("""
        class Sneaky(int):
            def __eq__(self, other):
                return True
        def solve(x):
            return Sneaky(0)
        """), {"tests": [{"code": "assert solve(1) == 2"}]}, {"fail"}),
    ("forges check reports on fd 3", py("""
        import os
        def solve(x):
            for i in range(4):
                os.write(3, b'C [%d, [["i", "0x2"]]]\\n' % i)
            os.write(3, b'D\\n')
            os._exit(0)
        """), {"tests": [{"code": "assert solve(1) == 7"}]}, {"fail"}),
    ("monkeypatches built-ins and the harness", py("""
        import builtins
        builtins.AssertionError = type('Nope', (Exception,), {})
        builtins.len = lambda x: 3
        __rk_check = lambda *a: None
        def solve(x):
            globals()['__rk_check'] = lambda *a: None
            return 0
        """), {"tests": [{"code": "assert solve(1) == 5"}, {"code": "assert len([1]) == 1"}]},
     {"fail", "pass"}),
    ("walks frames to find the expected value", py("""
        import sys
        def solve(x):
            frame = sys._getframe(1)
            return frame.f_code.co_consts[-1]
        """), {"tests": [{"code": "assert solve(1) == 'secret-77'"}]}, {"fail", "runtime_error"}),
    ("tampers with the result pipe via ctypes", py("""
        import ctypes
        def solve(x):
            ctypes.CDLL(None).write(3, b'D\\n', 2)
            return 3
        """), {"tests": [{"code": "assert solve(1) == 2"}]}, {"runtime_error"}),
    # -------------------------------------------------------------- C++
    ("C++ compile bomb: /dev/random include", "#include </dev/random>\nint main(){}\n",
     {"language": "cpp", "tests": [{"output": ""}]}, {"compile_error", "compile_timeout"}),
    ("C++ compile bomb: template explosion", py("""
        template<int N> struct F { static const long v = F<N-1>::v + F<N-2>::v; };
        template<> struct F<0> { static const long v = 0; };
        template<> struct F<1> { static const long v = 1; };
        int main() { return F<100000>::v; }
        """), {"language": "cpp", "tests": [{"output": ""}]}, {"compile_error", "compile_timeout"}),
    ("C++ infinite loop", "int main(){ volatile int x = 0; while (true) { x++; } }\n",
     {"language": "cpp", "tests": [{"output": ""}]}, {"timeout"}),
    ("C++ memory bomb", py("""
        #include <vector>
        #include <cstring>
        int main() { std::vector<char*> v; while (true) { char* p = new char[1 << 24];
          std::memset(p, 1, 1 << 24); v.push_back(p); } }
        """), {"language": "cpp", "tests": [{"output": ""}]}, {"memory_limit", "timeout"}),
    ("C++ fork bomb", "#include <unistd.h>\nint main(){ while (true) fork(); }\n",
     {"language": "cpp", "tests": [{"output": ""}]}, {"timeout", "runtime_error"}),
]


def sandbox_processes(pool) -> list[str]:
    """Processes of the sandbox uid still alive in the pool's containers (zombies aside)."""
    script = ("import os\nfor p in filter(str.isdigit, os.listdir('/proc')):\n"
              "  try:\n    s = open('/proc/%s/status' % p).read()\n  except OSError:\n"
              "    continue\n  if '\\nUid:\\t10001' in s and 'State:\\tZ' not in s:\n"
              "    print(p)\n")
    found = []
    for cid in pool.containers():
        output = pool.client.containers.get(cid).exec_run(["python3", "-c", script], user="0")
        found += output.output.decode().split()
    return found


@pytest.mark.parametrize("name, source, tests, allowed", CASES, ids=[c[0] for c in CASES])
def test_hostile_program_is_contained(hostile_pool, name, source, tests, allowed):
    result = hostile_pool.run(source, tests)
    statuses = {r.status.value for r in result.results}
    assert statuses <= allowed, result.to_dict()
    healthy = hostile_pool.run("print(sum(map(int, input().split())))",
                               {"tests": [{"input": "2 3", "output": "5"}]})
    assert healthy.pass_rate == 1.0, healthy.to_dict()
    assert sandbox_processes(hostile_pool) == []
    assert len(hostile_pool.containers()) == 1


def test_suite_is_large_enough():
    assert len(CASES) >= 25
