"""boxed_runs: boxed answers that belong together, and those that hedge."""

from rewardkit.extract import boxed, boxed_all, boxed_runs


def test_boxes_joined_by_and_form_one_run():
    assert boxed_runs(r"\boxed{1} and \boxed{2} and \boxed{3}") == [["1", "2", "3"]]


def test_boxes_joined_by_commas_inside_display_math():
    text = "solutions are:\n\\[\n\\boxed{(1, 2)}, \\boxed{(2, 1)}\n\\]"
    assert boxed_runs(text) == [["(1, 2)", "(2, 1)"]]


def test_one_word_and_a_name_may_stand_between_boxes():
    assert boxed_runs(r"\boxed{1} papers and \boxed{2} bins") == [["1", "2"]]
    text = r"\( y_1 = \boxed{x+1} \) and \( y_2 = \boxed{x-1} \)"
    assert boxed_runs(text) == [["x+1", "x-1"]]


def test_prose_between_boxes_splits_runs():
    assert boxed_runs(r"\boxed{1} no no no no no \boxed{2}") == [["1"], ["2"]]


def test_or_is_not_a_joiner():
    assert boxed_runs(r"\boxed{2}, or maybe \boxed{3}") == [["2"], ["3"]]


def test_no_boxes_no_runs():
    assert boxed_runs("the answer is 4") == []


def test_boxed_all_and_boxed_unchanged():
    text = r"\boxed{\frac{1}{2}} then \fbox{x^{2}} and \boxed 5 "
    assert boxed_all(text) == [r"\frac{1}{2}", "x^{2}", "5"]
    assert boxed(text) == "5"


def test_or_alone_between_boxes_is_not_a_joining_word():
    assert boxed_runs(r"Either \boxed{3} or \boxed{2}.") == [["3"], ["2"]]


def test_boxed_spans_give_positions():
    from rewardkit.extract import boxed_spans

    text = r"so \boxed{12} ok"
    (content, start, end), = boxed_spans(text)
    assert content == "12" and text[start:end] == r"\boxed{12}"


def test_final_answer_inside_final_answer_heading():
    from rewardkit.extract import final_answer, final_answer_span

    text = "Work. Final Answer: The final answer is $10,455$. I hope it is correct."
    assert final_answer(text) == "10,455"
    found, start, _ = final_answer_span(text)
    assert found == "10,455" and text[start:].startswith("Final Answer")
    assert final_answer_span("no answer here") is None


def test_last_math_skips_escaped_dollars():
    from rewardkit.extract import last_math

    assert last_math(r"Answer $ \frac{1}{2} \$ = \frac{10}{9} $") == r"\frac{1}{2} \$ = \frac{10}{9}"
    assert last_math(r"costs \$5, so $x = 2$") == "x = 2"


def test_after_thinking():
    from rewardkit.extract import after_thinking

    assert after_thinking(r"<think>maybe \boxed{5}</think> so \boxed{6}") == r" so \boxed{6}"
    assert after_thinking("no reasoning block") == "no reasoning block"
    assert after_thinking("<think>a</think>b<think>c</think>d") == "d"


def test_joined_math_joins_a_run_of_spans_by_their_separators():
    from rewardkit.extract import joined_math

    assert joined_math(r"so $1$ and $2$") == "1 and 2"
    assert joined_math(r"$1$, $x=2$ then, later, $3$") == "3"
    assert joined_math(r"$a$; $b$") == "a, b"
    assert joined_math("no math") is None


def test_is_prose_ignores_math_and_text_blocks():
    from rewardkit.extract import is_prose

    assert is_prose("the answer is 5")
    assert not is_prose(r"x + 1 \text{ for all real } x")
    assert not is_prose(r"$\sin x + \cos x$")
    assert is_prose(r"so $x=1$ is the only solution")


def test_last_number_standalone_skips_numbers_glued_into_words():
    from rewardkit.extract import last_number

    assert last_number("AZYUK2A", standalone=True) is None
    assert last_number("AZYUK2A") == "2"
    assert last_number("it is 5cm", standalone=True) == "5"
    assert last_number("it costs 1,000 dollars", standalone=True) == "1,000"
