"""`rewardkit.runtime`: runtime state is built lazily, once, and never pickled."""

from __future__ import annotations

import copy
import pickle
import socket
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from rewardkit import Reward, RuntimeState, Sample, run, runtime
from rewardkit.runtime_state import drop_runtime, runtime_names

DEADLINE = 10.0  # seconds any wait in these tests may take


class Pooled(Reward):
    """A reward holding a live thread pool, a lock and a connected socket pair."""

    name = "pooled"

    @runtime
    def pool(self) -> ThreadPoolExecutor:
        return ThreadPoolExecutor(1)

    @runtime
    def lock(self) -> threading.Lock:
        return threading.Lock()

    @runtime
    def client(self) -> tuple[socket.socket, socket.socket]:
        return socket.socketpair()

    def score_one(self, sample):
        ours, theirs = self.client
        with self.lock:
            ours.sendall(sample.completion_text.encode())
            echoed = self.pool.submit(theirs.recv, 100).result(timeout=DEADLINE)
        return float(len(echoed))


class PooledInWorkers(Pooled):
    name = "pooled_in_workers"
    cpu_bound = True


def test_a_reward_holding_a_pool_a_lock_and_a_client_pickles():
    reward = Pooled()
    assert reward.score([Sample("abc")])[0].value == 3.0  # the pool, lock and socket exist
    clone = pickle.loads(pickle.dumps(reward))
    assert set(vars(clone)) == {"params"}
    assert clone.score([Sample("abcd")])[0].value == 4.0
    assert clone.pool is not reward.pool and clone.client is not reward.client
    for obj in (reward, clone):
        obj.pool.shutdown()
        for end in obj.client:
            end.close()


def test_runtime_state_is_built_on_first_use_and_then_kept():
    reward = Pooled()
    assert "lock" not in vars(reward)
    lock = reward.lock
    assert vars(reward)["lock"] is lock and reward.lock is lock


def test_a_reward_with_runtime_state_scores_in_worker_processes():
    reward = PooledInWorkers()
    _ = reward.lock, reward.pool  # built here: they must not travel
    scores = run(reward, [Sample("ab"), Sample("abcde")], workers=1)
    assert [s.value for s in scores] == [2.0, 5.0], [s.info for s in scores]
    reward.pool.shutdown()


def test_copies_build_their_own_runtime_state():
    reward = Pooled()
    lock = reward.lock
    assert copy.copy(reward).lock is not lock and copy.deepcopy(reward).lock is not lock


def test_an_assigned_value_is_used_and_dropped_on_pickle():
    reward = Pooled()
    fake = threading.RLock()
    reward.lock = fake  # a test's stand-in
    assert reward.lock is fake
    assert "lock" not in vars(pickle.loads(pickle.dumps(reward)))


def test_drop_runtime_forgets_the_value_so_the_next_use_builds_again():
    reward = Pooled()
    first = reward.lock
    assert drop_runtime(reward, "lock") is first and reward.lock is not first
    assert drop_runtime(Pooled(), "lock") is None  # never built


def test_runtime_names_cover_the_bases_unless_a_subclass_redefines_them():
    class Plain(Pooled):
        lock = None  # no longer runtime state

    assert runtime_names(Pooled) == {"pool", "lock", "client"}
    assert runtime_names(PooledInWorkers) == {"pool", "lock", "client"}
    assert runtime_names(Plain) == {"pool", "client"}


class Counter(RuntimeState):
    builds = 0

    def __init__(self, entered: threading.Event, release: threading.Event) -> None:
        self.entered, self.release = entered, release

    @runtime
    def value(self) -> object:
        type(self).builds += 1
        self.entered.set()
        assert self.release.wait(DEADLINE), "the test never released the builder"
        return object()


class _WatchedLock:
    """The descriptor's lock, reporting when a second thread waits for it."""

    def __init__(self, lock: threading.RLock, builder: threading.Thread) -> None:
        self.lock, self.builder, self.waiting = lock, builder, threading.Event()

    def __enter__(self) -> None:
        if threading.current_thread() is not self.builder:
            self.waiting.set()
        self.lock.acquire()

    def __exit__(self, *exc: object) -> None:
        self.lock.release()


def test_concurrent_first_uses_build_once(monkeypatch):
    entered, release = threading.Event(), threading.Event()
    obj, results = Counter(entered, release), []
    first = threading.Thread(target=lambda: results.append(obj.value))
    watched = _WatchedLock(Counter.__dict__["value"]._lock, first)
    monkeypatch.setattr(Counter.__dict__["value"], "_lock", watched)
    first.start()
    assert entered.wait(DEADLINE)
    second = threading.Thread(target=lambda: results.append(obj.value))
    second.start()
    assert watched.waiting.wait(DEADLINE)  # the second thread waits for the first build
    release.set()
    first.join(DEADLINE)
    second.join(DEADLINE)
    assert Counter.builds == 1 and len(results) == 2 and results[0] is results[1]


def test_a_class_pickled_by_value_carries_its_declarations():
    cloudpickle = pytest.importorskip("ray.cloudpickle")

    class Scripted(Reward):  # defined in a function: cloudpickle sends the class itself
        name = "scripted_here"

        @runtime
        def lock(self) -> threading.Lock:
            return threading.Lock()

        def score_one(self, sample):
            with self.lock:
                return 1.0

    reward = Scripted()
    _ = reward.lock
    clone = cloudpickle.loads(cloudpickle.dumps(reward))
    assert "lock" not in vars(clone) and clone.score([Sample("x")])[0].value == 1.0
    assert runtime_names(type(clone)) == {"lock"}
