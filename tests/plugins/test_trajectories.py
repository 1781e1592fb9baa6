"""math, language_purity and judge on whole tool-calling trajectories (TRL 1.16 messages).

The final answer is the last assistant turn; tool calls and tool results are neither the
answer nor prose. Each test fails if a reward reads the joined trajectory instead.
"""

from __future__ import annotations

import re

from rewardkit import Sample, build_reward
from rewardkit.engine import Engine


def call(code):
    return {"type": "function", "function": {"name": "run_python", "arguments": {"code": code}}}


def trajectory(first_reasoning, final_reasoning, final_content):
    return [
        {"role": "assistant", "content": "", "reasoning_content": first_reasoning,
         "tool_calls": [call("print(123 * 456)")]},
        {"role": "tool", "name": "run_python", "content": "[ok]\n56088\n"},
        {"role": "assistant", "reasoning_content": final_reasoning, "content": final_content},
    ]


PROMPT = [{"role": "user", "content": "What is 123 * 456?"}]


def test_math_reads_the_final_turn_of_a_trajectory():
    math = build_reward("math")
    right = trajectory("Compute it with Python.", "The tool printed it.", r"\boxed{56088}")
    # an answer in an earlier turn, then a different final answer: the final one counts
    changed = [{**right[0], "content": r"\boxed{56088}"}, right[1],
               {**right[2], "content": "<answer>5000</answer>"}]
    revised = [{**right[0], "content": "<answer>5000</answer>"}, right[1], right[2]]
    # an answer before the tool call is not the final one when the last turn gives none
    unanswered = [{**right[0], "content": r"\boxed{56088}"}, right[1],
                  {"role": "assistant", "content": ""}]
    scores = math.score([Sample(t, PROMPT, "56088")
                         for t in (right, changed, revised, unanswered)])
    assert [s.value for s in scores] == [1.0, 0.0, 1.0, 0.0]


def test_math_takes_no_answer_from_the_code_of_a_final_tool_call():
    cut = [{"role": "assistant", "content": "", "tool_calls": [call("print(56088)")]}]
    [score] = build_reward("math").score([Sample(cut, PROMPT, "56088")])
    assert score.value == 0.0 and score.info["extracted"] == ""


def test_language_purity_ignores_code_and_tool_results():
    french = ("Je commence par lire attentivement l'énoncé du problème. "
              "On calcule le produit avec l'outil.")
    turns = trajectory(french, "Le résultat affiché par l'outil est le produit cherché.",
                       "<answer>56088</answer>")
    turns[0]["tool_calls"] = [call("result = compute_product(first, second)\n"
                                   "print('the product of the two numbers is', result)")]
    turns[1]["content"] = "[ok]\nthe product of the two numbers is 56088\n"
    score = build_reward("language_purity", {"target": "fr", "part": "whole"}).score(
        [Sample(turns, PROMPT)])[0]
    assert score.value == 1.0 and "en" not in score.info["languages"]


SEEN: list[str] = []


def grade(prompt, n, sampling):
    SEEN.append(prompt)
    key = re.findall(r"VERDICT ([0-9A-F]{12}): [NX]\s*$", prompt, re.MULTILINE)[-1]
    return [f"VERDICT {key}: 5"] * n


def test_the_judge_sees_only_the_final_answer():
    SEEN.clear()
    judge = build_reward("judge", {"backend": "rewardkit.generators.testing:ScriptedGenerator",
                                   "backend_config": {"responder": f"{__name__}:grade"}})
    turns = trajectory("Use the tool.", "The tool says 56088.", "The product is 56088.")
    [score] = Engine().run(judge, [Sample(turns, PROMPT)])
    assert score.ok and len(SEEN) == 1
    assert "The product is 56088." in SEEN[0]
    assert "print(123 * 456)" not in SEEN[0] and "[ok]" not in SEEN[0]
