"""Rebuild `rewardkit_language/data/common_words.json` from the `stop-words` package's lists.

    pip download --no-deps stop-words==2025.11.4 && unzip stop_words-*.whl -d stop_words_src
    python plugins/language/scripts/build_common_words.py stop_words_src/stop_words/stop-words

Source: python-stop-words (https://github.com/Alir3z4/python-stop-words), BSD-3-Clause,
copyright (c) 2014 Alireza Savand and contributors; the notice is kept in
`rewardkit_language/data/COMMON_WORDS_LICENSE`. Only languages written in a script that
several languages share are kept (elsewhere the script decides); entries are lower-cased,
and entries with digits or punctuation other than an apostrophe or hyphen are dropped.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from rewardkit_language.languages import SCRIPT_OF, SHARED_SCRIPTS

OUT = Path(__file__).resolve().parents[1] / "rewardkit_language" / "data" / "common_words.json"
RENAMED = {"nb": "no"}
WORD = re.compile(r"^[^\W\d_]+(?:['\u2019-][^\W\d_]+)*$")


def main(folder: Path) -> None:
    names = json.loads((folder / "languages.json").read_text(encoding="utf-8"))
    lists = {}
    for code, name in sorted(names.items()):
        code = RENAMED.get(code, code)
        if SCRIPT_OF.get(code) not in SHARED_SCRIPTS:
            continue
        found = (w.strip().lower() for w in (folder / f"{name}.txt").read_text(
            encoding="utf-8").splitlines())
        lists[code] = sorted({w for w in found if WORD.match(w)})
    OUT.write_text(json.dumps(lists, ensure_ascii=False, separators=(",", ":")) + "\n",
                   encoding="utf-8")
    print(f"{sum(map(len, lists.values()))} words in {len(lists)} languages -> {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
