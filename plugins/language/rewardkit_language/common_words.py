"""Lists of common words per language (function words mostly): word-level evidence.

`data/common_words.json` holds, for every language written in a script that several
languages share, its list from python-stop-words (BSD-3-Clause; see
`data/COMMON_WORDS_LICENSE`, rebuilt by `scripts/build_common_words.py`). Loaded on first use.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data" / "common_words.json"
# Nats added to a language's log-likelihood for each of its common words (tuned on the dev
# split of the short-text set, benchmarks/data/language/).
COMMON_WORD_BONUS = 4.0


@functools.lru_cache(maxsize=1)
def common_words() -> dict[str, frozenset[str]]:
    """{language: its common words, lower case}."""
    lists = json.loads(DATA.read_text(encoding="utf-8"))
    return {lang: frozenset(words) for lang, words in lists.items()}


@functools.lru_cache(maxsize=4)
def bonus_table(codes: tuple[str, ...]) -> dict[str, Any]:
    """{common word: a numpy row with COMMON_WORD_BONUS for each language of `codes` that
    lists it}; words on no list are absent (no bonus)."""
    import numpy as np

    table: dict[str, Any] = {}
    for column, code in enumerate(codes):
        for word in common_words().get(code, ()):
            row = table.setdefault(word, np.zeros(len(codes)))
            row[column] = COMMON_WORD_BONUS
    return table


def lookup_key(word: str) -> str:
    """How a word is looked up: lower case, a typographic apostrophe as a plain one."""
    return word.lower().replace("\u2019", "'")
