import pytest

from rewardkit import extract


@pytest.mark.parametrize("text, expected", [
    (r"\boxed{42}", "42"),
    (r"first \boxed{1} then \boxed{\frac{a}{b}}", r"\frac{a}{b}"),
    (r"\boxed{\{1, 2\}}", r"\{1, 2\}"),
    (r"\fbox{x^{2}}", "x^{2}"),
    (r"\boxed 7 apples", "7"),
    (r"unclosed \boxed{12", None),
    ("no box", None),
])
def test_boxed_takes_the_last_complete_box_with_nested_braces(text, expected):
    assert extract.boxed(text) == expected


def test_answer_tag_takes_the_last_complete_block():
    assert extract.answer_tag("<answer> 1 </answer> <answer>2</answer> <answer>3") == "2"


@pytest.mark.parametrize("text, expected", [
    ("The final answer is $42$.", "42"),
    ("Final Answer: 3.5", "3.5"),
    (r"the answer is \boxed{7}.", "7"),
    ("so the answer is: x = 2\nmore text", "x = 2"),
])
def test_final_answer_phrases(text, expected):
    assert extract.final_answer(text) == expected


def test_answer_prefers_the_tag_then_a_box_inside_it():
    found = extract.answer(r"\boxed{1} <answer>so \boxed{2}</answer>")
    assert (found.text, found.method) == ("2", "answer_tag")


def test_answer_fallback_to_last_expression_is_opt_in():
    text = "we get $x = 3$ and then 4"
    assert extract.answer(text) is None
    assert extract.answer(text, order=("boxed", "last_math")).text == "x = 3"
    assert extract.answer(text, order=("last_number",)).text == "4"


def test_unknown_extraction_method_is_an_error():
    with pytest.raises(ValueError, match="unknown extraction method 'magic'"):
        extract.answer("x", order=("magic",))


def test_code_blocks_by_language_with_aliases():
    text = "```py\na = 1\n```\ntext\n```c++\nint main(){}\n```\n```\nplain\n```"
    assert [b.language for b in extract.code_blocks(text)] == ["python", "cpp", ""]
    assert extract.last_code_block(text, "python3") == "a = 1\n"
    assert extract.last_code_block(text, "rust") == "plain\n"
    assert extract.last_code_block(text, "rust", allow_unlabelled=False) is None


def test_unclosed_fence_is_not_a_block_but_is_a_fenced_span():
    text = "intro\n```python\nprint(1)\n"
    assert extract.code_blocks(text) == []
    assert extract.fence_spans(text) == [(6, len(text))]
