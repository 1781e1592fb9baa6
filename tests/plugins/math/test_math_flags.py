"""Every normalisation policy flag, with its default and its alternative."""

import pytest
from math_helpers import judge


def value(pred, gold, **params):
    return judge(pred, gold, **params)["value"]


@pytest.mark.parametrize("pred, gold, expected", [
    ("7,425,000", "7425000", 1.0),          # thousands separator
    (r"11,\! 111,\! 111,\! 100", "11111111100", 1.0),  # \! inside the separator
    (r"1\,000\,000", "1000000", 1.0),       # thin-space separator
    ("14{,}916", "14916", 1.0),
    ("1000,99", "1000.99", 1.0),            # a lone decimal comma in plain text
    ("0,111", "0.111", 1.0),
    ("32, 349", "32349", 0.0),              # comma + space: a list
    ("5,1", "5, 1", 1.0),                   # one digit after the comma: a list
])
def test_comma_auto(pred, gold, expected):
    assert value(pred, gold) == expected


def test_comma_decimal_and_list_policies():
    assert value("1,5", "1.5", comma="decimal") == 1.0
    assert value("1,5", "1.5") == 0.0
    assert value("1,000", "1000", comma="list") == 0.0
    assert value("1,000", "1000", comma="thousands") == 1.0


def test_percent_either_and_strict():
    assert value("28 percent", r"28\%") == 1.0
    assert value("0.28", r"28\%") == 1.0
    assert value("28", r"28\%") == 1.0
    assert value("28", r"28\%", percent="strict") == 0.0
    assert value(r"28\%", r"28\%", percent="strict") == 1.0
    assert value(r"50\%", "5") == 0.0


def test_degrees_either_and_strict():
    assert value(r"90^\circ", "90") == 1.0
    assert value(r"\frac{\pi}{4}", r"45^\circ") == 1.0
    assert value(r"\frac{\pi}{4}", r"45^\circ", degrees="strict") == 0.0
    assert value(r"\sin 45^\circ", r"\frac{\sqrt{2}}{2}") == 1.0  # degrees inside trig
    assert value("60^\\circ 42'", "60.7") == 1.0  # degrees and minutes


def test_units_dropped_but_never_a_bare_letter():
    assert value(r"15\mbox{ cm}^2", "15") == 1.0
    assert value("125 miles", "125") == 1.0
    assert value(r"\frac{41}{12}\text{ km}", r"\frac{41}{12}") == 1.0
    assert value("3 + c", "3") == 0.0
    assert value(r"15\text{ cm}", "15", units=False) == 0.0


def test_qualifiers():
    gold = "f(x)=1"
    assert value(r"f(x) = 1 \text{ for all } x \in \mathbb{Q}_{>0}", gold) == 1.0
    assert value(r"f(x) = 1 \text{ for all } x \in \mathbb{Q}_{>0}", gold, qualifiers=False) != 1.0


def test_qualifiers_never_cut_a_piecewise_reference_to_a_fragment():
    gold = r"g(t)=1 \text{ if } t>0 \text{ and } g(t)=t^2 \text{ otherwise}"
    assert value("1", gold) != 1.0
    assert value("t^2", gold) != 1.0


def test_repair_escapes():
    assert value("13", "\text{13}") == 1.0  # TAB + "ext": a mangled \text
    assert value("13", "\text{13}", repair_escapes=False) == 0.0
    assert value(r"\frac{1}{2}", r"\\frac{1}{2}") == 1.0


def test_case_sensitive():
    assert value("E", r"\text{e}") == 1.0
    assert value("X + x", "2x", case_sensitive=True) == 0.0
    assert value("X + x", "2x") == 1.0


def test_mixed_numbers():
    assert value(r"2\frac{1}{2}", "2.5") == 1.0
    assert value("1 1/4", "5/4") == 1.0
    assert value("2 2/3", "2") == 0.0
    assert value("1 1/4", "5/4", mixed_numbers=False) == 0.0


def test_plus_minus():
    assert value(r"\{-2021, 2021\}", r"\pm 2021") == 1.0
    assert value("2021", r"\pm 2021") == 0.0
    assert value(r"1 + \sqrt{19}, 1 - \sqrt{19}", r"1 \pm \sqrt{19}") == 1.0
    assert value(r"(\pm \sqrt{2}, 0)", r"(\sqrt{2}, 0), (-\sqrt{2}, 0)") == 1.0
    assert value(r"(\pm \sqrt{2}, 0)", r"(\sqrt{2}, 0), (-\sqrt{2}, 0)", plus_minus=False) == 0.0


def test_ordered_lists():
    assert value("1, 5", "5, 1") == 1.0
    assert value("1, 5", "5, 1", ordered_lists=True) == 0.0
    assert value("5, 1", "5, 1", ordered_lists=True) == 1.0


def test_rename_symbols_is_off_by_default():
    assert value("t^2-4t+4", "s^2-4s+4") == 0.0
    assert value(r"\mu_1", r"\mu_0") == 0.0
    assert value("t^2-4t+4", "s^2-4s+4", rename_symbols=True) == 1.0


def test_a_function_argument_is_a_dummy_variable():
    assert value("f(x)=x", "f(z)=z") == 1.0
    assert value("f(x)=x+1", "f(z)=z") == 0.0
    assert value("g(x)=x", "f(z)=z") == 0.0


def test_an_arbitrary_integer_may_have_any_letter():
    assert value(r"\frac{\pi}{6}+n\pi", r"\frac{\pi}{6}+k\pi") == 1.0
    assert value(r"\frac{\pi}{6}+2n\pi", r"\frac{\pi}{6}+k\pi") == 0.0
    assert value("x+n", "x+k") == 0.0  # no period: k and n are not dummy integers


def test_rounding_gold_is_the_default():
    assert value(r"\frac{1587}{52}", "30.52") == 1.0      # gold is a rounded decimal
    assert value("2.232", "2.23") == 1.0                   # a more precise answer rounds to it
    assert value("2.2", "2.23") == 0.0                     # a less precise one does not
    assert value("0.0666668", "0.066666793") == 0.0
    assert value("0.5", r"\frac{1}{2}") == 1.0             # a decimal that is the value
    assert value("0.67", r"\frac{2}{3}") == 0.0            # an approximation is not
    assert value("85.71", r"\frac{600}{7}") == 0.0
    assert value("1.105", "e^{0.1}") == 0.0
    assert value("10.44", r"\sqrt{109}") == 0.0
    assert value("0.0000002", "0.0000001") == 0.0


def test_rounding_answer_and_none():
    assert value("0.67", r"\frac{2}{3}", rounding="answer") == 1.0
    assert value("85.71", r"\frac{600}{7}", rounding="answer") == 1.0
    assert value("1.105", "e^{0.1}", rounding="answer") == 1.0
    assert value("0.68", r"\frac{2}{3}", rounding="answer") == 0.0
    assert value(r"\frac{1587}{52}", "30.52", rounding="none") == 0.0


def test_matrix_entries_follow_the_rounding_policy():
    gold = r"\begin{pmatrix}0.667 & 1\\ 1 & 1\end{pmatrix}"
    assert value(r"\begin{pmatrix}0.67 & 1\\ 1 & 1\end{pmatrix}", gold) == 0.0
    assert value(r"\begin{pmatrix}0.6667 & 1\\ 1 & 1\end{pmatrix}", gold) == 1.0
    exact = r"\begin{pmatrix}\frac{1}{3}\\ \frac{1}{5}\end{pmatrix}"
    assert value(r"\begin{pmatrix}0.33\\0.2\end{pmatrix}", exact) == 0.0
    assert value(r"\begin{pmatrix}0.33\\0.2\end{pmatrix}", exact, rounding="answer") == 1.0


def test_rel_tol():
    assert value(r"\sqrt{17}", "4.123105625617661") == 1.0
    assert value(r"\pi", "3.14159265") == 1.0
    assert value(r"\pi", "3.14159265", rounding="none") == 0.0
    assert value(r"\pi", "3.14159265", rounding="none", rel_tol=1e-8) == 1.0


def test_hedging():
    text = r"It is \boxed{2}, or maybe \boxed{3}."
    hedged = judge(text, "3", answer_from="auto")
    assert hedged["value"] == 0.0 and hedged["info"]["rule"] == "hedged"
    assert judge(text, "3", answer_from="auto", hedging="last")["value"] == 1.0
    same = r"\boxed{4}. Check: yes. **Final Answer** \boxed{4}"
    assert judge(same, "4", answer_from="auto")["value"] == 1.0


def test_answer_from_modes():
    text = r"We get $x=2$. <answer>\boxed{5}</answer> The final answer is 7."
    assert judge(text, "5", answer_from="answer_tag")["value"] == 1.0
    assert judge("Thus the final answer is $7$.", "7", answer_from="final_answer")["value"] == 1.0
    assert judge("no box here, 7", "7", answer_from="boxed")["info"]["rule"] == "no_answer"
    assert judge(r"So $x = 7$ then.", "7", answer_from="last_math")["value"] == 1.0


def test_fallback_to_last_number():
    text = "so it is 42 apples"
    assert judge(text, "42", answer_from="auto")["value"] == 1.0
    result = judge(text, "42", answer_from="auto", fallback=False)
    assert result["value"] == 0.0 and result["info"]["rule"] == "no_answer"


def test_max_answer_chars():
    long = "+".join(["1"] * 200)
    result = judge(long, "200", max_answer_chars=100, fallback=False)
    assert result["value"] == 0.0 and result["info"]["rule"] == "answer_too_long"
    assert "limit 100" in result["info"]["reason"]
    assert judge(long, "200")["value"] == 1.0
    gold = judge("200", long, max_answer_chars=100)
    assert gold["status"] == "unverifiable" and gold["value"] is None


def test_bad_params_name_the_key():
    from rewardkit_math import MathReward

    from rewardkit.errors import RewardParamsError

    with pytest.raises(RewardParamsError, match="percnt"):
        MathReward(percnt="strict")
    with pytest.raises(RewardParamsError, match="answer_from"):
        MathReward(answer_from="anywhere")


def test_symbolic_retry_with_positive_symbols():
    import sympy

    from rewardkit_math.nodes import Scalar
    from rewardkit_math.sample import Undecided
    from rewardkit_math.scalar import Pair, scalars

    n, f = sympy.Symbol("n"), sympy.Function("f")  # an unknown function: no sampling
    verdict = scalars(Scalar(f(sympy.sqrt(1 / n)), "g"), Scalar(f(1 / sympy.sqrt(n)), "p"), Pair())
    assert verdict.equal and verdict.rule == "symbolic"
    with pytest.raises(Undecided):  # no proof either way, no points: not 0.0, unverifiable
        scalars(Scalar(f(n), "g"), Scalar(f(n + 1), "p"), Pair())


def test_drafts_inside_thinking_are_not_hedging():
    text = r"<think>first try \boxed{5}, no wait</think> The answer is $\boxed{6}$."
    assert judge(text, "6", answer_from="auto")["value"] == 1.0
    assert judge(text, "5", answer_from="auto")["value"] == 0.0
