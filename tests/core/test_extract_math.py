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
