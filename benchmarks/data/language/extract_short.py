"""Pick short sentences (3-15 words) from Universal Dependencies treebanks: `short_sentences.jsonl`.

    python benchmarks/data/language/extract_short.py DIR_WITH_TREEBANK_CHECKOUTS

Each treebank is a git checkout named like its repository (``UD_English-EWT``). Dev and
test come from different treebanks (split by source): dev from EWT/GSD, test from PUD.
Only the ``# text =`` lines are read; a sentence's length is its tokens that are not
punctuation or numbers. The pick is fixed (seeded), so a rebuild gives the same file.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).parent
OUT = HERE / "short_sentences.jsonl"
PER_SPLIT = 30
SOURCES = {  # (split, language) -> (treebank, file, licence)
    ("dev", "en"): ("UD_English-EWT", "en_ewt-ud-dev.conllu", "CC BY-SA 4.0"),
    ("dev", "fr"): ("UD_French-GSD", "fr_gsd-ud-dev.conllu", "CC BY-SA 4.0"),
    ("dev", "de"): ("UD_German-GSD", "de_gsd-ud-dev.conllu", "CC BY-SA 4.0"),
    ("dev", "es"): ("UD_Spanish-GSD", "es_gsd-ud-dev.conllu", "CC BY-SA 4.0"),
    ("dev", "ru"): ("UD_Russian-GSD", "ru_gsd-ud-dev.conllu", "CC BY-SA 4.0"),
    ("dev", "zh"): ("UD_Chinese-GSDSimp", "zh_gsdsimp-ud-dev.conllu", "CC BY-SA 4.0"),
    ("test", "en"): ("UD_English-PUD", "en_pud-ud-test.conllu", "CC BY-SA 3.0"),
    ("test", "fr"): ("UD_French-PUD", "fr_pud-ud-test.conllu", "CC BY-SA 3.0"),
    ("test", "de"): ("UD_German-PUD", "de_pud-ud-test.conllu", "CC BY-SA 3.0"),
    ("test", "es"): ("UD_Spanish-PUD", "es_pud-ud-test.conllu", "CC BY-SA 3.0"),
    ("test", "ru"): ("UD_Russian-PUD", "ru_pud-ud-test.conllu", "CC BY-SA 3.0"),
    ("test", "zh"): ("UD_Chinese-PUD", "zh_pud-ud-test.conllu", "CC BY-SA 3.0"),
    ("test", "it"): ("UD_Italian-PUD", "it_pud-ud-test.conllu", "CC BY-SA 3.0"),
    ("test", "pt"): ("UD_Portuguese-PUD", "pt_pud-ud-test.conllu", "CC BY-SA 3.0"),
}


def sentences(path: Path) -> list[tuple[str, str, int]]:
    """(sent_id, text, words) for every sentence of a CoNLL-U file."""
    found, sent_id, text, count = [], "", "", 0
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("# sent_id ="):
            sent_id = line.split("=", 1)[1].strip()
        elif line.startswith("# text ="):
            text = line.split("=", 1)[1].strip()
        elif line and line[0].isdigit():
            cols = line.split("\t")
            if re.fullmatch(r"\d+", cols[0]) and cols[3] not in ("PUNCT", "NUM", "SYM", "X"):
                count += 1
        elif not line and text:
            found.append((sent_id, text, count))
            sent_id, text, count = "", "", 0
    return found


def one_script(text: str, lang: str) -> bool:
    """Whether every letter is in `lang`'s script (no Latin names in Chinese, and so on), so
    that a sentence's words are all of its language."""
    latin = bool(re.search(r"[A-Za-z\u00c0-\u024f]", text))
    if lang in ("zh", "ru"):
        return not latin
    return not re.search(r"[^\W\d_A-Za-z\u00c0-\u024f]", text)


def main(root: Path) -> None:
    rng = random.Random(0)
    rows = []
    for (split, lang), (treebank, name, licence) in SOURCES.items():
        pool = [s for s in sentences(root / treebank / name)
                if 3 <= s[2] <= 15 and not re.search(r"\d|https?:|@", s[1])
                and one_script(s[1], lang)]
        for sent_id, text, count in rng.sample(pool, min(PER_SPLIT, len(pool))):
            rows.append({"split": split, "lang": lang, "text": text, "words": count,
                         "source": f"{treebank}/{name}#{sent_id}", "licence": licence})
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                   encoding="utf-8")
    print(f"{len(rows)} sentences -> {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
