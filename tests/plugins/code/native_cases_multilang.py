"""HumanEval-X and MultiPL-E completions in C++, Java, JavaScript, Go and Rust (and
Python), with their verdicts: canonical continuations, whole programs written as a chat
model writes them (own `main`, imports, helper functions), and wrong solutions."""

from __future__ import annotations

from native_cases import Case, fence, rows

_HX = {r["task_id"]: r for r in rows("humaneval_x")}

HX_WHOLE = {
    "Python": ("python", """
from typing import List

def has_close_elements(numbers: List[float], threshold: float) -> bool:
    s = sorted(numbers)
    return any(b - a < threshold for a, b in zip(s, s[1:]))
"""),
    "CPP": ("cpp", """
#include <vector>
#include <algorithm>
#include <cmath>
#include <iostream>
using namespace std;

static float gap(float a, float b) { return fabs(a - b); }

bool has_close_elements(vector<float> numbers, float threshold) {
    sort(numbers.begin(), numbers.end());
    for (size_t i = 1; i < numbers.size(); i++)
        if (gap(numbers[i], numbers[i - 1]) < threshold) return true;
    return false;
}

int main() {
    cout << has_close_elements({1.0, 2.0, 3.0}, 0.5) << endl;
    return 0;
}
"""),
    "Java": ("java", """
import java.util.*;

public class Solution {
    public boolean hasCloseElements(List<Double> numbers, double threshold) {
        List<Double> sorted = new ArrayList<>(numbers);
        Collections.sort(sorted);
        for (int i = 1; i < sorted.size(); i++) {
            if (gap(sorted.get(i), sorted.get(i - 1)) < threshold) {
                return true;
            }
        }
        return false;
    }

    private double gap(double a, double b) {
        return Math.abs(a - b);
    }

    public static void main(String[] args) {
        System.out.println(new Solution().hasCloseElements(Arrays.asList(1.0, 2.0), 0.5));
    }
}
"""),
    "JavaScript": ("javascript", """
const hasCloseElements = (numbers, threshold) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] - sorted[i - 1] < threshold) {
      return true;
    }
  }
  return false;
};
"""),
    "Go": ("go", """
package main

import (
    "fmt"
    "sort"
)

func HasCloseElements(numbers []float64, threshold float64) bool {
    s := append([]float64{}, numbers...)
    sort.Float64s(s)
    for i := 1; i < len(s); i++ {
        if s[i]-s[i-1] < threshold {
            return true
        }
    }
    return false
}

func main() {
    fmt.Println(HasCloseElements([]float64{1.0, 2.0, 3.0}, 0.5))
}
"""),
    "Rust": ("rust", """
fn has_close_elements(numbers: Vec<f32>, threshold: f32) -> bool {
    let mut s = numbers.clone();
    s.sort_by(|a, b| a.partial_cmp(b).unwrap());
    s.windows(2).any(|w| (w[1] - w[0]).abs() < threshold)
}

fn main() {
    println!("{}", has_close_elements(vec![1.0, 2.0, 3.0], 0.5));
}
"""),
}
# Each wrong solution misses pairs that are not adjacent in the input.
HX_WRONG_EDITS = {
    "Python": ("s = sorted(numbers)", "s = list(numbers)"),
    "CPP": ("sort(numbers.begin(), numbers.end());", ""),
    "Java": ("Collections.sort(sorted);", ""),
    "JavaScript": (".sort((a, b) => a - b)", ""),
    "Go": ("sort.Float64s(s)", "_ = sort.Float64s"),
    "Rust": ("s.sort_by(|a, b| a.partial_cmp(b).unwrap());", ""),
}

HUMANEVAL_X = []
for prefix, (language, code) in HX_WHOLE.items():
    for number in ("0", "7"):
        row = _HX[f"{prefix}/{number}"]
        HUMANEVAL_X.append(Case("humaneval-x", row, row["canonical_solution"], True,
                                f"hx-{prefix}-{number}-canonical"))
    row = _HX[f"{prefix}/0"]
    HUMANEVAL_X.append(Case("humaneval-x", row, fence(language, code), True,
                            f"hx-{prefix}-whole-program"))
    old, new = HX_WRONG_EDITS[prefix]
    HUMANEVAL_X.append(Case("humaneval-x", row, fence(language, code.replace(old, new)), False,
                            f"hx-{prefix}-wrong"))

_MPE = {(r["language"], r["name"]): r for r in rows("multipl_e")}
_GPT = {(r["language"], r["name"]): r["completion"] for r in rows("multipl_e_gpt_completions")}
_ZERO = "HumanEval_0_has_close_elements"

# Continuations, as MultiPL-E generates them: the body, then whatever follows (cut at the
# first stop token, so the trailing text never reaches the program).
MPE_CONTINUATIONS = {
    "cpp": ("""    for (size_t i = 0; i < numbers.size(); i++)
        for (size_t j = i + 1; j < numbers.size(); j++)
            if (std::abs(numbers[i] - numbers[j]) < threshold) return true;
    return false;
}

int main() { return 1; }
""", "j = i + 1", "j = i + 2"),
    "java": ("""        for (int i = 0; i < numbers.size(); i++)
            for (int j = i + 1; j < numbers.size(); j++)
                if (Math.abs(numbers.get(i) - numbers.get(j)) < threshold) return true;
        return false;
    }
}
""", "j = i + 1", "j = i + 2"),
    "js": ("""  for (let i = 0; i < numbers.length; i++)
    for (let j = i + 1; j < numbers.length; j++)
      if (Math.abs(numbers[i] - numbers[j]) < threshold) return true;
  return false;
}
console.log(has_close_elements([1, 2], 0.5));
""", "j = i + 1", "j = i + 2"),
    "go_test.go": ("""    for i := range numbers {
        for j := i + 1; j < len(numbers); j++ {
            d := numbers[i] - numbers[j]
            if d < threshold && -d < threshold {
                return true
            }
        }
    }
    return false
}
""", "j := i + 1", "j := i + 2"),
    "rs": ("""    for i in 0..numbers.len() {
        for j in (i + 1)..numbers.len() {
            if (numbers[i] - numbers[j]).abs() < threshold {
                return true;
            }
        }
    }
    false
}
""", "(i + 1)..", "(i + 2).."),
}

MULTIPL_E = []
for language, (body, old, new) in MPE_CONTINUATIONS.items():
    row = _MPE[(language, _ZERO)]
    MULTIPL_E.append(Case("multipl-e", row, body, True, f"mpe-{language}-continuation"))
    MULTIPL_E.append(Case("multipl-e", row, body.replace(old, new), False,
                          f"mpe-{language}-wrong"))
    for name in (_ZERO, "HumanEval_7_filter_by_substring"):
        MULTIPL_E.append(Case("multipl-e", _MPE[(language, name)], _GPT[(language, name)],
                              True, f"mpe-{language}-{name.split('_')[1]}-gpt-whole-program"))

MULTILANG_CASES = [*HUMANEVAL_X, *MULTIPL_E]

# A chat answer that gives the Java method alone, without its class.
JAVA_METHOD = """
public {static}boolean hasCloseElements({list} numbers, {real} threshold) {{
    for (int i = 0; i < numbers.size(); i++)
        for (int j = i + 1; j < numbers.size(); j++)
            if (Math.abs(numbers.get(i) - numbers.get(j)) < threshold) return true;
    return false;
}}
"""
MULTILANG_CASES += [
    Case("humaneval-x", _HX["Java/0"], fence("java", JAVA_METHOD.format(
        static="", list="List<Double>", real="double")), True, "hx-Java-method-only"),
    Case("multipl-e", _MPE[("java", _ZERO)], fence("java", JAVA_METHOD.format(
        static="static ", list="ArrayList<Float>", real="float")), True, "mpe-java-method-only"),
]
