"""Completions for the real rows in data/, each with the verdict the dataset's own
harness gives it: `passes` True for a correct solution, False for an incorrect one.

Solutions are ours (written for these tests) unless the case says "canonical" (the
row's own reference solution, as a continuation of the prompt) or "gpt" (a real model
completion shipped with SandboxFusion's MultiPL-E fixtures, see data/README.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).parent / "data"


def rows(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / f"{name}.jsonl").read_text().splitlines()]


def fence(language: str, code: str) -> str:
    return f"Here is my solution.\n\n```{language}\n{code.strip()}\n```\n"


@dataclass(frozen=True)
class Case:
    format: str
    row: dict
    completion: str
    passes: bool
    name: str
    extra: tuple = ()  # reference_from_row keyword arguments, as (key, value) pairs

    def __str__(self) -> str:
        return self.name


def _find(dataset: str, **match) -> dict:
    return next(r for r in rows(dataset) if all(r.get(k) == v for k, v in match.items()))


# ---- apps / taco --------------------------------------------------------------------------
CF_1282A = """
t = int(input())
for _ in range(t):
    a, b, c, r = map(int, input().split())
    lo, hi = min(a, b), max(a, b)
    covered = max(0, min(hi, c + r) - max(lo, c - r))
    print(hi - lo - covered)
"""
FIND_NUMBER = """
def findNumber(n):
    digits = []
    while n > 0:
        n -= 1
        digits.append("13579"[n % 5])
        n //= 5
    return "".join(reversed(digits))
"""
MAX_SCORE = """
from typing import List

class Solution:
    def maxScore(self, cardPoints: List[int], k: int) -> int:
        total = best = sum(cardPoints[:k])
        for i in range(1, k + 1):
            total += cardPoints[-i] - cardPoints[k - i]
            best = max(best, total)
        return best
"""
APPS = [
    Case("apps", _find("apps", problem_id="codeforces-1282A"), fence("python", CF_1282A),
         True, "apps-stdin-right"),
    Case("apps", _find("apps", problem_id="codeforces-1282A"),
         fence("python", CF_1282A.replace("hi - lo - covered", "hi - lo - 2 * r")),
         False, "apps-stdin-wrong"),
    Case("apps", _find("apps", problem_id="codewars-findNumber"), fence("python", FIND_NUMBER),
         True, "apps-call-right"),
    Case("apps", _find("apps", problem_id="codewars-findNumber"),
         fence("python", FIND_NUMBER.replace('return "".join', 'return int("".join') + ")"),
         False, "apps-call-wrong-type"),
    Case("apps", _find("apps", problem_id=122), fence("python", MAX_SCORE), True,
         "apps-class-solution-right"),
    Case("apps", _find("apps", problem_id=122),
         fence("python", MAX_SCORE.replace("return best", "return sum(cardPoints[:k])")),
         False, "apps-class-solution-wrong"),
]

# ---- livecodebench --------------------------------------------------------------------------
LCB_1873A = """
t = int(input())
for _ in range(t):
    s = input().strip()
    print("YES" if sum(a != b for a, b in zip(s, "abc")) in (0, 2) else "NO")
"""
LCB_2727 = """
class Solution:
    def countSeniors(self, details: List[str]) -> int:
        return sum(int(d[11:13]) > 60 for d in details)
"""
LCB_ABC301A = """
n = int(input())
s = input().strip()
t, a = s.count("T"), s.count("A")
if t != a:
    print("T" if t > a else "A")
else:
    print("A" if s[-1] == "T" else "T")
"""
LIVECODEBENCH = [
    Case("livecodebench", _find("livecodebench", question_id="1873_A"),
         fence("python", LCB_1873A), True, "lcb-stdin-right"),
    Case("livecodebench", _find("livecodebench", question_id="1873_A"),
         fence("python", LCB_1873A.replace('in (0, 2)', '== 0')), False, "lcb-stdin-wrong"),
    Case("livecodebench", _find("livecodebench", question_id="2727"),
         fence("python", LCB_2727), True, "lcb-functional-right"),
    Case("livecodebench", _find("livecodebench", question_id="2727"),
         fence("python", LCB_2727.replace("> 60", ">= 60")), False, "lcb-functional-wrong"),
    Case("livecodebench", _find("livecodebench", question_id="abc301_a"),
         fence("python", LCB_ABC301A), True, "lcb-atcoder-right"),
    Case("livecodebench", _find("livecodebench", question_id="abc301_a"),
         fence("python", LCB_ABC301A.replace('print("A" if s[-1] == "T" else "T")',
                                             'print("T")')), False, "lcb-atcoder-wrong"),
]

# ---- codecontests ---------------------------------------------------------------------------
CC_TSHIRTS = """
from collections import Counter
n = int(input())
old = Counter(input().strip() for _ in range(n))
new = Counter(input().strip() for _ in range(n))
print(sum((old - new).values()))
"""
CC_KILL_PY = """
import sys
data = sys.stdin.read().split()
q, p, out = int(data[0]), 1, []
for _ in range(q):
    n, r = int(data[p]), int(data[p + 1])
    xs = sorted(set(map(int, data[p + 2:p + 2 + n])), reverse=True)
    p += 2 + n
    shots = 0
    for x in xs:
        if x - shots * r > 0:
            shots += 1
    out.append(shots)
print("\\n".join(map(str, out)))
"""
CC_KILL_CPP = """
#include <cstdio>
#include <vector>
#include <algorithm>
using namespace std;
int main() {
    int q; scanf("%d", &q);
    while (q--) {
        int n; long long r; scanf("%d %lld", &n, &r);
        vector<long long> x(n);
        for (auto &v : x) scanf("%lld", &v);
        sort(x.rbegin(), x.rend());
        x.erase(unique(x.begin(), x.end()), x.end());
        long long shots = 0;
        for (long long v : x) if (v - shots * r > 0) shots++;
        printf("%lld\\n", shots);
    }
}
"""
CC_SMALLEST = """
n = input().strip()
m = input().strip()
d = sorted(n)
if d[0] == "0":
    for i, c in enumerate(d):
        if c != "0":
            d[0], d[i] = d[i], d[0]
            break
print("OK" if "".join(d) == m else "WRONG_ANSWER")
"""
_TSHIRTS = {"name": "1000_A. Codehorses T-shirts"}
_KILL = {"name": "1238_B. Kill 'Em All"}
_SMALLEST = {"name": "12_B. Correct Solution?"}
CODECONTESTS = [
    Case("codecontests", _find("codecontests", **_TSHIRTS), fence("python", CC_TSHIRTS), True,
         "cc-python-right", (("language", "python"),)),
    Case("codecontests", _find("codecontests", **_TSHIRTS),
         fence("python", CC_TSHIRTS.replace("(old - new)", "(new - old + old)")), False,
         "cc-python-wrong", (("language", "python"),)),
    Case("codecontests", _find("codecontests", **_KILL), fence("python", CC_KILL_PY), True,
         "cc-kill-python-right", (("language", 3),)),
    Case("codecontests", _find("codecontests", **_KILL), fence("cpp", CC_KILL_CPP), True,
         "cc-kill-cpp-right", (("language", "cpp"),)),
    Case("codecontests", _find("codecontests", **_KILL),
         fence("cpp", CC_KILL_CPP.replace("if (v - shots * r > 0)", "if (v > 0)")), False,
         "cc-kill-cpp-wrong", (("language", "cpp"),)),
    Case("codecontests", _find("codecontests", **_SMALLEST), fence("python", CC_SMALLEST),
         True, "cc-smallest-right", (("language", "python"),)),
    Case("codecontests", _find("codecontests", **_SMALLEST),
         fence("python", CC_SMALLEST.replace('"".join(d) == m', 'int("".join(d)) == int(m)')),
         False, "cc-smallest-leading-zeros-wrong", (("language", "python"),)),
]

# ---- humaneval ------------------------------------------------------------------------------
_HE = {r["task_id"]: r for r in rows("humaneval")}
HE_CLOSE = """
from typing import List


def has_close_elements(numbers: List[float], threshold: float) -> bool:
    ordered = sorted(numbers)
    return any(b - a < threshold for a, b in zip(ordered, ordered[1:]))
"""
HE_DECODE = """
def decode_cyclic(s: str):
    return encode_cyclic(encode_cyclic(s))
"""
HUMANEVAL = [
    Case("humaneval", _HE["HumanEval/0"], _HE["HumanEval/0"]["canonical_solution"], True,
         "he-canonical-continuation"),
    Case("humaneval", _HE["HumanEval/0"], fence("python", HE_CLOSE), True, "he-whole-function"),
    Case("humaneval", _HE["HumanEval/0"],
         fence("python", HE_CLOSE.replace("b - a < threshold", "b - a <= threshold / 2")),
         False, "he-wrong"),
    Case("humaneval", _HE["HumanEval/7"],
         fence("python", "def filter_by_substring(strings, substring):\n"
                         "    return [s for s in strings if substring in s]"), True,
         "he-7-right"),
    Case("humaneval", _HE["HumanEval/7"],
         fence("python", "def filter_by_substring(strings, substring):\n"
                         "    return [s for s in strings if s.startswith(substring)]"),
         False, "he-7-wrong"),
    Case("humaneval", _HE["HumanEval/38"], fence("python", HE_DECODE), True,
         "he-38-uses-prompt-helper"),
    Case("humaneval", _HE["HumanEval/38"], fence("python", HE_DECODE.replace(
        "encode_cyclic(encode_cyclic(s))", "s")), False, "he-38-wrong"),
    Case("humaneval", _HE["HumanEval/7"],
         fence("python", "import sys\nsys.exit(0)\ndef filter_by_substring(strings, sub):\n"
                         "    return []"), False, "he-exit-early-fails"),
]

# ---- mbpp -----------------------------------------------------------------------------------
_MBPP = {r["task_id"]: r for r in rows("mbpp")}
MBPP = [
    *(Case("mbpp", row, fence("python", row["code"]), True, f"mbpp-{tid}-reference")
      for tid, row in _MBPP.items()),
    Case("mbpp", _MBPP[11], fence("python", "def remove_Occ(s, ch):\n"
                                            "    return s.replace(ch, '', 1)"), False,
         "mbpp-11-wrong"),
    Case("mbpp", _MBPP[139], fence("python", "def circle_circumference(r):\n"
                                             "    return 3.14 * r"), False, "mbpp-139-wrong"),
    Case("mbpp", _MBPP[160], fence("python", "def find_solution(a, b, n):\n"
                                             "    return (0, 0)"), False, "mbpp-160-wrong"),
]

PYTHON_CASES = [*APPS, *LIVECODEBENCH, *CODECONTESTS, *HUMANEVAL, *MBPP]
