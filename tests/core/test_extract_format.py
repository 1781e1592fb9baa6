"""Code and math span finders used to mask text (format and language plugins)."""

from rewardkit.extract import inline_code_spans, math_spans


def texts(text, spans):
    return [text[a:b] for a, b in spans]


def test_inline_code_single_and_double_backticks():
    text = "run `ls -l` then ``a ` b`` done"
    assert texts(text, inline_code_spans(text)) == ["`ls -l`", "``a ` b``"]


def test_inline_code_unclosed_run_is_plain_text():
    assert inline_code_spans("a `b and `` c") == []


def test_inline_code_ignores_backticks_inside_fences():
    text = "```py\nx = `a`\n```\nand `y`"
    assert texts(text, inline_code_spans(text)) == ["`y`"]


def test_math_spans_every_delimiter():
    text = r"let $x^2$ and $$\frac{a}{b}$$, \(y\), \[z\], \begin{align*}a&=b\end{align*}."
    assert texts(text, math_spans(text)) == [
        "$x^2$", r"$$\frac{a}{b}$$", r"\(y\)", r"\[z\]", r"\begin{align*}a&=b\end{align*}",
    ]


def test_math_spans_skip_currency_and_escaped_dollars():
    assert math_spans("it costs $5 and $10 today") == []
    assert math_spans(r"a \$3 fee$") == []


def test_math_spans_skip_code():
    text = "`$x$` and\n```\n$y$\n```\nbut $z$"
    assert texts(text, math_spans(text)) == ["$z$"]


def test_math_spans_unclosed_openers_are_text():
    text = r"\begin{align} a \( b $$ c"
    assert math_spans(text) == []


def test_span_finders_handle_hostile_input():
    hostile = "\\begin{x} " * 5000 + "`" * 7 + "$$ " + "\\( " * 5000 + "$a " * 5000
    assert math_spans(hostile) == []
    assert inline_code_spans(hostile) == []
