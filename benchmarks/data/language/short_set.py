"""The short-text set: short lines (3-15 words) with their true target-word share.

Built on the fly from `short_sentences.jsonl` (Universal Dependencies sentences: dev from
EWT/GSD, test from PUD, so the split is by source) and `short_reasoning.jsonl` (short
reasoning lines written for this project: dev only). Every sentence gives two rows: its
own language as the target (expected 1.0) and another language as the target (0.0; a
language of the same script when there is one). Mixed rows join two short sentences of
two languages (expected: the target sentence's share of the words, counted as the reward
counts them). `rows(split)` is deterministic (fixed seed).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

HERE = Path(__file__).parent
FILES = ("short_sentences.jsonl", "short_reasoning.jsonl")
# the foreign target of each language: same script where there is one
OTHER = {"en": "fr", "fr": "es", "es": "de", "de": "en", "it": "es", "pt": "es", "ru": "uk",
         "zh": "en"}
PAIRS = [("en", "zh"), ("zh", "en"), ("en", "ru"), ("ru", "en"), ("en", "fr"), ("fr", "en"),
         ("en", "de"), ("de", "en"), ("en", "es"), ("es", "en"), ("fr", "es"), ("de", "fr"),
         ("it", "en"), ("pt", "es")]
MIXED_PER_PAIR = 4
MIXED_MAX_WORDS = 9  # each half of a mixed row, so the row stays short


def sentences(split: str) -> list[dict]:
    found = []
    for name in FILES:
        for line in (HERE / name).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row["split"] == split:
                found.append(row)
    return found


def _words(text: str) -> int:
    from rewardkit_language.text import mask, words

    return len(words(mask(text)))


def _row(row_id: str, kind: str, text: str, target: str, expected: float) -> dict:
    return {"id": row_id, "category": kind, "prompt": "",
            "completion": f"<think>{text}</think><answer>1</answer>",
            "params": {"target": target}, "target": target, "expected": expected}


def rows(split: str) -> list[dict]:
    """The `split` ("dev" or "test") rows in the `rewardkit bench` case format."""
    found = sentences(split)
    out = []
    for s in found:
        out.append(_row(f"{s['source']}>{s['lang']}", "same", s["text"], s["lang"], 1.0))
        other = OTHER[s["lang"]]
        out.append(_row(f"{s['source']}>{other}", "foreign", s["text"], other, 0.0))
    rng = random.Random(1)
    short: dict[str, list[dict]] = {}
    for s in found:
        if _words(s["text"]) <= MIXED_MAX_WORDS:
            short.setdefault(s["lang"], []).append(s)
    for target, other in PAIRS:
        if target not in short or other not in short:
            continue
        for _ in range(MIXED_PER_PAIR):
            mine, theirs = rng.choice(short[target]), rng.choice(short[other])
            first, second = (mine, theirs) if rng.random() < 0.5 else (theirs, mine)
            share = _words(mine["text"]) / (_words(mine["text"]) + _words(theirs["text"]))
            out.append(_row(f"mix:{mine['source']}+{theirs['source']}>{target}", "mixed",
                            f"{first['text']} {second['text']}", target, share))
    return out
