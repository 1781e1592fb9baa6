"""Build mixed_cot.jsonl: mixed-language chains of thought with their true target-word share.

Run `python benchmarks/data/language/build_set.py`; the output is deterministic. Every
sentence comes from sentences.json (written for this project, parallel in six languages).
A document is a sequence of sentences, each in the target or the other language (whole
sentences, clauses of two sentences joined at a comma, or a target sentence with a
technical term of the other language inside, "terms"), with code blocks, LaTeX,
URLs, numbers and bare formulas put in between and inside: those count for neither side.
The label is computed by construction: words of the target-language pieces over all
words, where a CJK character is one word and elsewhere a word is a run of letters.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
BANK = json.loads((HERE / "sentences.json").read_text(encoding="utf-8"))
SENTENCES, FRAMES, TERMS = BANK["sentences"], BANK["frames"], BANK["terms"]
OUT = HERE / "mixed_cot.jsonl"

INLINE = ["$x = 3$", r"$\frac{7}{2}$", "$x^2 - 5x + 6 = 0$", r"\(n = 12\)", r"$\sqrt{2}$",
          "$a_n$", "$2^{10}$", r"$\pi r^2$", "`x = 3`", "`math.comb(5, 2)`", "42", "3.14"]
BLOCKS = [
    r"$$\sum_{k=1}^{n} k = \frac{n(n+1)}{2}$$",
    r"\[ (x-2)(x-3) = 0 \]",
    "```python\nbest = 0\nfor x in range(1, 100):\n    if x * x % 7 == 1:\n"
    "        best = max(best, x)\nprint(best)\n```",
    "```\n>>> sum(range(10))\n45\n```",
    "https://oeis.org/A000045",
    "12 + 30 = 42",
    "3 × 4 = 12, 12 / 2 = 6",
    r"\begin{align} a &= b + c \\ b &= 2 \end{align}",
]
PROMPTS = {
    "en": ["Solve the equation and explain your reasoning step by step.",
           "How many ways can the digits be arranged?",
           "Find the area of the triangle described below."],
    "zh": ["请解这个方程，并一步一步说明你的推理。", "这些数字有多少种排列方式？",
           "求下面描述的三角形的面积。"],
    "ru": ["Решите уравнение и объясните рассуждения шаг за шагом.",
           "Сколькими способами можно расставить эти цифры?",
           "Найдите площадь треугольника, описанного ниже."],
    "fr": ["Résolvez l'équation et expliquez votre raisonnement étape par étape.",
           "De combien de façons peut-on disposer ces chiffres ?",
           "Trouvez l'aire du triangle décrit ci-dessous."],
    "de": ["Löse die Gleichung und erkläre deinen Lösungsweg Schritt für Schritt.",
           "Auf wie viele Arten kann man die Ziffern anordnen?",
           "Bestimme den Flächeninhalt des unten beschriebenen Dreiecks."],
    "es": ["Resuelve la ecuación y explica tu razonamiento paso a paso.",
           "¿De cuántas maneras se pueden ordenar las cifras?",
           "Halla el área del triángulo descrito abajo."],
}
DIRECTIONS = [("en", "zh"), ("zh", "en"), ("en", "ru"), ("ru", "en"), ("en", "fr"),
              ("fr", "en"), ("en", "de"), ("de", "en"), ("en", "es"), ("es", "en"),
              ("fr", "es"), ("de", "fr")]
RATIOS = [0.0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
PATTERNS = ["block", "switch", "alternate", "clause"]
TERM_RATIOS = [0.0, 0.25, 0.5]  # documents of the "terms" pattern, per direction

_CJK = re.compile("[\u3400-\u9fff\u3040-\u30ff]")
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")


def count_words(prose: str) -> int:
    """Words in a prose piece (no code or math in it): CJK characters plus letter runs."""
    cjk = len(_CJK.findall(prose))
    return cjk + len(_WORD.findall(_CJK.sub(" ", prose)))


def comma_split(sentence: str) -> tuple[str, str] | None:
    for comma in ("，", ", "):
        if comma in sentence:
            head, tail = sentence.split(comma, 1)
            return head + comma, tail
    return None


def term_sentence(lang: str, other: str, rng: random.Random) -> list[tuple[str, str]]:
    """A `lang` sentence with an `other`-language technical term inside, no punctuation."""
    head, tail = rng.choice(FRAMES[lang]).split("{t}")
    return [(lang, head), (other, rng.choice(TERMS[other])), (lang, tail)]


def pieces_for(lang: str, other: str, foreign: bool, clause: bool,
               rng: random.Random, terms: bool = False) -> list[tuple[str, str]]:
    """One sentence as (language, prose) pieces; `{m}` marks an inline masked item."""
    if terms and not foreign and rng.random() < 0.5:
        return term_sentence(lang, other, rng)
    first, second = (other, lang) if foreign else (lang, other)
    index = rng.randrange(len(SENTENCES[first]))
    if clause:  # first clause of one language, second clause of the other
        a = comma_split(SENTENCES[first][index])
        b = comma_split(SENTENCES[second][rng.randrange(len(SENTENCES[second]))])
        if a and b:
            return [(first, a[0] + " "), (second, b[1])]
    return [(first, SENTENCES[first][index])]


def document(target: str, other: str, ratio: float, pattern: str,
             rng: random.Random) -> tuple[str, float, int]:
    n = rng.randint(6, 20)
    k = round(ratio * n)
    if pattern == "block":
        start = rng.randint(0, n - k)
        foreign = set(range(start, start + k))
    elif pattern in ("switch", "terms"):
        foreign = set(range(n - k, n))
    else:
        foreign = set(rng.sample(range(n), k))
    parts, counts = [], {target: 0, other: 0}
    for i in range(n):
        clause = pattern == "clause" and 0 < ratio < 1 and rng.random() < 0.5
        for lang, prose in pieces_for(target, other, i in foreign, clause, rng,
                                      pattern == "terms"):
            counts[lang] += count_words(prose.replace("{m}", " "))
            filled = re.sub(r"\{m\}", lambda _: rng.choice(INLINE), prose)
            parts.append(filled)
        if rng.random() < 0.25:
            parts.append("\n" + rng.choice(BLOCKS) + "\n")
        after_cjk = parts[-1].endswith(("。", "？", "！"))
        parts.append("\n" if rng.random() < 0.3 else ("" if after_cjk and rng.random() < 0.5
                                                      else " "))
    think = "".join(parts).strip()
    total = counts[target] + counts[other]
    return think, counts[target] / total, total


def main() -> None:
    rng = random.Random(20261122)
    rows = []
    for target, other in DIRECTIONS:
        ratios = RATIOS + [rng.random(), rng.random()] + TERM_RATIOS
        for i, ratio in enumerate(ratios):
            pattern = PATTERNS[i % len(PATTERNS)] if i < len(ratios) - len(TERM_RATIOS) else "terms"
            think, purity, total = document(target, other, ratio, pattern, rng)
            row = {
                "id": f"lang-{target}-{other}-{i:02d}",
                "category": f"{target}-{other}",
                "prompt": rng.choice(PROMPTS[target]),
                "completion": f"<think>\n{think}\n</think>\n<answer>42</answer>",
                "reference": None,
                "expected": round(purity, 6),
                "target": target,
                "params": {"target": target} if i % 2 == 0 else {},
                "note": f"{pattern} mixing, {total} words, about {ratio:.0%} in '{other}'",
            }
            rows.append(row)
    with OUT.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} documents to {OUT}")


if __name__ == "__main__":
    main()
