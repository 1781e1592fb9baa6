"""Issue 12's classes, each with a match and a near miss that must not match."""

import pytest
from math_helpers import judge

# class -> [(answer, gold, expected value)]; None: unverifiable (never 0.0 or 1.0)
CLASSES = {
    "plain_sqrt": [("sqrt(3)/2", r"\frac{\sqrt{3}}{2}", 1.0), ("sqrt(3)/3", r"\frac{\sqrt{3}}{2}", 0.0),
                   (r"4\sqrt(2)", r"4\sqrt{2}", 1.0)],
    "plain_abs": [("abs(x-1)", "|x-1|", 1.0), ("abs(x+1)", "|x-1|", 0.0)],
    "plain_exp": [("exp(2x)", "e^{2x}", 1.0), ("exp(3x)", "e^{2x}", 0.0)],
    "euler": [("e^(i*pi)", "-1", 1.0), ("e^(i*pi/2)", "-1", 0.0)],
    "plain_pi": [("pi/2", r"\frac{\pi}{2}", 1.0), ("-2*pi", r"-2\pi", 1.0), ("pi/3", r"\frac{\pi}{2}", 0.0)],
    "plain_power": [("x^(1/2)", r"\sqrt{x}", 1.0), ("x^(1/3)", r"\sqrt{x}", 0.0), ("x**2", "x^2", 1.0)],
    "imaginary_unit": [("3+4*i", "3+4i", 1.0), ("3-4i", "3+4i", 0.0), (r"\sqrt{-1}", "i", 1.0)],
    "plain_log": [("log(5)/log(2)", r"\log_2 5", 1.0), ("log(5)/log(3)", r"\log_2 5", 0.0)],
    "plain_trig": [("1/cos(x)", r"\sec x", 1.0), ("cos(x)/sin(x)", r"\cot x", 1.0),
                   ("tan(x)", r"\cot x", 0.0), ("1+cosec(3x)", r"1+\csc 3x", 1.0)],
    "hyperbolic": [("sinh(x)", r"\frac{e^x-e^{-x}}{2}", 1.0), ("cosh(x)", r"\frac{e^x-e^{-x}}{2}", 0.0)],
    "trig_identity": [(r"\sin(a+b)", r"\sin a\cos b+\cos a\sin b", 1.0),
                      (r"\sin(a-b)", r"\sin a\cos b+\cos a\sin b", 0.0),
                      (r"1-2\sin^2 x", r"\cos 2x", 1.0), (r"1-2\cos^2 x", r"\cos 2x", 0.0)],
    "equation_sides": [("3=y", "y=3", 1.0), ("4=y", "y=3", 0.0)],
    "equation_rearranged": [("2a+b=4", "b=4-2a", 1.0), ("2a+b=5", "b=4-2a", 0.0),
                            ("c(1-i)=d", r"c=\frac{d}{1-i}", 1.0), ("c(1+i)=d", r"c=\frac{d}{1-i}", 0.0)],
    "labelled_list": [("Minimum: 4, Maximum: 9", "4, 9", 1.0), ("Minimum: 4, Maximum: 8", "4, 9", 0.0)],
    "named_tuple": [("(b,a)=(5,3)", "(a,b)=(3,5)", 1.0), ("(b,a)=(3,5)", "(a,b)=(3,5)", 0.0)],
    "named_values": [("b=2 and a=1", "a=1, b=2", 1.0), ("a=2 and b=1", "a=1, b=2", 0.0)],
    "or_list": [("k=3 or k=7", r"\{3,7\}", 1.0), ("k=3 or k=8", r"\{3,7\}", 0.0)],
    "chain": [("2^{30}, 3^{20}, 5^{13}", "2^{30} < 3^{20} < 5^{13}", 1.0),
              ("3^{20}, 2^{30}, 5^{13}", "2^{30} < 3^{20} < 5^{13}", 0.0)],
    "comma_list": [("100,349,500", "100, 349, 500", 1.0), ("100,349,501", "100, 349, 500", 0.0)],
    "mixed_number": [("+7 2/3", r"\frac{23}{3}", 1.0), ("3 0/5", "3", 1.0), ("7 1/3", r"\frac{23}{3}", 0.0)],
    "empty_set": [("no solution", r"\emptyset", 1.0), (r"\varnothing", r"\emptyset", 1.0),
                  (r"\{0\}", r"\emptyset", 0.0)],
    "infinity": [("infinity", r"\infty", 1.0), ("oo", r"\infty", 1.0), ("-inf", r"\infty", 0.0),
                 (r"\infty", r"-\infty", 0.0), ("(-inf, 1)", r"(-\infty, 1)", 1.0)],
    "column_vector": [("(1, -2, 3)", r"\begin{pmatrix} 1 \\ -2 \\ 3 \end{pmatrix}", 1.0),
                      ("(1, 2, 3)", r"\begin{pmatrix} 1 \\ -2 \\ 3 \end{pmatrix}", 0.0)],
    "ordinal": [("3", r"3^{\text{rd}}", 1.0), ("4th", r"3^{\text{rd}}", 0.0)],
    "choice_letter": [(r"\mathbf{C}", r"\text{(C)}", 1.0), (r"\textbf{(D)}", r"\text{(C)}", 0.0),
                      ("B", r"\textbf{(B) }7", 1.0), ("7", r"\textbf{(B) }7", 1.0),
                      ("C", r"\textbf{(B) }7", 0.0)],
    "clock": [("2:05 P.M.", "14:05", 1.0), ("14:05:00", "14:05", 1.0), ("2:05 A.M.", "14:05", 0.0)],
    "units": [(r"12 \mathrm{~m}/\mathrm{s}", r"12 \text{ m/s}", 1.0),
              (r"13 \mathrm{~m}/\mathrm{s}", r"12 \text{ m/s}", 0.0), (r"E = c^2 m", "E = mc^2", 1.0)],
    # precision first
    "decimal_for_exact": [("0.67", r"\frac{2}{3}", 0.0), ("1.105", "e^{0.1}", 0.0),
                          ("0.5", r"\frac{1}{2}", 1.0), ("33.33", "33.3", 1.0)],
    "renamed_symbols": [("t^2-4t+4", "s^2-4s+4", 0.0), (r"\mu_1", r"\mu_0", 0.0)],
    "set_vs_interval": [(r"\{2,5\}", "[2,5]", 0.0), (r"\{5,2\}", r"\{2,5\}", 1.0)],
    "sampling_precision": [("t", r"\sqrt{t^2}", 0.0), ("|t|", r"\sqrt{t^2}", 1.0),
                           (r"\binom{m}{j}+\binom{m}{j-1}", r"\binom{m+1}{j-1}", 0.0),
                           (r"\binom{m}{j}+\binom{m}{j-1}", r"\binom{m+1}{j}", 1.0),
                           ("0.1666666666667*y^3", r"\frac{y^3}{6}", 0.0),
                           (r"\arccos(1-2a)", r"2\arcsin\sqrt{a}", 1.0)],
    "whole_mode_fragment": [(r"\{-5, 8\}", "8", 0.0), (r"sqrt(7+4*sqrt(3))", "3", 0.0),
                            (r"\sqrt{7+4\sqrt{3}}", r"2+\sqrt{3}", 1.0)],
}


@pytest.mark.parametrize("pred, gold, expected", [
    pytest.param(p, g, e, id=f"{name}-{i}") for name, rows in CLASSES.items()
    for i, (p, g, e) in enumerate(rows)])
def test_class(pred, gold, expected):
    result = judge(pred, gold)
    assert result["value"] == expected, result["info"]


@pytest.mark.parametrize("pred", [
    "(y-b)^{4000}", "(b-y)^{3999}", "(b-y)^{4001}", "-(b-y)^{4000}"])
def test_high_powers_get_a_verdict_that_does_not_depend_on_speed(pred):
    """No expansion of a degree-4000 power: the sample points decide, on any machine."""
    result = judge(pred, "(b-y)^{4000}")
    expected = 1.0 if pred == "(y-b)^{4000}" else 0.0
    assert result["value"] == expected and result["info"]["rule"].endswith("numeric_points")


def test_sampling_never_accepts_a_near_miss():
    """The false-positive bound of the sampling rule, checked on a family of near misses:
    perturbed coefficients, other branches, off-by-one exponents and shifted arguments."""
    gold = r"\frac{x^3}{6} + \sqrt{x^2+1} - \frac{\sin(2x)}{3}"
    near = [r"\frac{x^3}{6} + \sqrt{x^2+1} - \frac{\sin(2x)}{3} + 10^{-12}",
            r"0.1666666666667x^3 + \sqrt{x^2+1} - \frac{\sin(2x)}{3}",
            r"\frac{x^3}{6} + \sqrt{x^2+1.000000000001} - \frac{\sin(2x)}{3}",
            r"\frac{x^3}{6} + x - \frac{\sin(2x)}{3}",
            r"\frac{x^4}{6} + \sqrt{x^2+1} - \frac{\sin(2x)}{3}",
            r"\frac{x^3}{6} + \sqrt{x^2+1} - \frac{\sin(2x+10^{-15})}{3}",
            r"\frac{x^3}{6} + \sqrt{x^2+1} - \frac{2\sin x}{3}"]
    assert [judge(p, gold)["value"] for p in near] == [0.0] * len(near)
    assert judge(r"\frac{x^3}{6} + \sqrt{1+x^2} - \frac{2\sin x\cos x}{3}", gold)["value"] == 1.0


def test_a_reference_is_never_cut_to_its_last_number():
    assert judge(r"\{-5, 8\}", r"\{-5, 8\}")["value"] == 1.0
    assert judge("8", r"\{-5, 8\}")["value"] == 0.0
    unreadable = judge("3", r"\frac{1}{2} \cupdot 3")
    assert unreadable["status"] == "unverifiable" and unreadable["value"] is None


def test_natural_language_is_unverifiable_not_wrong():
    result = judge("the second train", "The second train arrives first.")
    assert result["status"] == "unverifiable" and result["value"] is None
    assert judge("The second train", "the second train")["value"] == 1.0
    assert judge("First strategy", "Final strategy")["value"] == 0.0  # two short names


@pytest.mark.parametrize("latex", [
    r"\cos(x)^2", r"\sin^2(x)", r"\sec(2x)+\csc(x)", r"\cot(x)", r"\sinh(x)-\cosh(x)",
    r"\arcsin(x)", r"\ln(x)", r"\log(x)", r"|x-1|", r"2|x|+|y|", r"x\tan(\frac{\pi}{3}x)"])
def test_the_fast_parser_reads_functions_as_the_full_parser_does(latex):
    import sympy
    from latex2sympy2_extended import latex2sympy

    from rewardkit_math.fastparse import fast_parse

    fast, full = fast_parse(latex), latex2sympy(latex)
    assert sympy.simplify(fast - full) == 0


@pytest.mark.parametrize("latex", [r"\sin x", r"\sin^{-1}(x)", r"\log_2(x)"])
def test_the_fast_parser_leaves_ambiguous_function_forms_to_the_full_parser(latex):
    from rewardkit_math.fastparse import NotSimple, fast_parse

    with pytest.raises(NotSimple):
        fast_parse(latex)
