"""A content-addressed score cache: identical (reward, params, sample) work is done once.

Keys hash the reward's `fingerprint()` with the whole sample (prompt, completion,
reference, metadata and the earlier criteria's scores). Only settled outcomes are kept
(`ok`, `not_applicable`, `unverifiable`); errors and timeouts are retried next time.
Rewards that set ``cacheable = False`` (sampling judges) are never cached (the engine
asks the reward's `RunPolicy` for its `cache_identity`).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

from rewardkit.types import Sample, Score, Status

SETTLED = {Status.OK, Status.NOT_APPLICABLE, Status.UNVERIFIABLE}


def sample_key(identity: str, sample: Sample) -> str:
    payload = json.dumps([identity, sample.to_dict()], sort_keys=True, default=repr)
    return hashlib.sha256(payload.encode()).hexdigest()


class ScoreCache:
    """In-memory score cache, backed by a SQLite file when `path` is given."""

    def __init__(self, path: str | Path | None = None) -> None:
        self._memory: dict[str, Score] = {}
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self.hits = self.misses = 0
        if path is not None:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(path), check_same_thread=False)
            self._db.execute("CREATE TABLE IF NOT EXISTS scores (key TEXT PRIMARY KEY, score TEXT)")

    def get(self, key: str) -> Score | None:
        with self._lock:
            score = self._memory.get(key)
            if score is None and self._db is not None:
                row = self._db.execute("SELECT score FROM scores WHERE key = ?", (key,)).fetchone()
                if row:
                    score = self._memory[key] = Score.from_dict(json.loads(row[0]))
            if score is None:
                self.misses += 1
            else:
                self.hits += 1
            return score

    def put_many(self, items: list[tuple[str, Score]]) -> None:
        settled = [(k, s) for k, s in items if s.status in SETTLED]
        if not settled:
            return
        with self._lock:
            self._memory.update(settled)
            if self._db is not None:
                self._db.executemany(
                    "INSERT OR REPLACE INTO scores VALUES (?, ?)",
                    [(k, json.dumps(s.to_dict(), default=repr)) for k, s in settled],
                )
                self._db.commit()

    def __len__(self) -> int:
        return len(self._memory)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def __getstate__(self) -> dict[str, Any]:
        raise TypeError("a ScoreCache does not pickle; give each process its own")
