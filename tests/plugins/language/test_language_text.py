"""Masking and word counting: what counts as a word, and what counts for neither side."""

import pytest
from rewardkit_language.text import looks_like_prose, mask, words


def counted(text):
    return [w.text for w in words(mask(text))]


def test_a_cjk_character_is_one_word():
    assert counted("我们计算") == ["我", "们", "计", "算"]


def test_words_keep_apostrophes_and_hyphens():
    assert counted("l'homme is well-known") == ["l'homme", "is", "well-known"]


def test_each_word_knows_its_script():
    found = words(mask("hello мир 世界 γειά"))
    assert [w.script for w in found] == ["Latin", "Cyrillic", "Han", "Han", "Greek"]


def test_sentences_are_numbered_across_punctuation_and_newlines():
    found = words(mask("One two. Three\nfour。五"))
    assert [w.sentence for w in found] == [0, 0, 1, 2, 3]


def test_fenced_code_is_masked():
    assert counted("Look:\n```python\nfor item in items:\n    print(item)\n```\ndone") == [
        "Look", "done"]


def test_inline_code_is_masked():
    assert counted("call `numpy.linalg.solve(a, b)` now") == ["call", "now"]


def test_prose_in_backticks_still_counts():
    assert counted("`je pense donc je suis vraiment ici`") == [
        "je", "pense", "donc", "je", "suis", "vraiment", "ici"]


def test_prose_code_can_be_masked_too():
    assert [w.text for w in words(mask("`je pense donc je suis vraiment ici`", False))] == []


@pytest.mark.parametrize("math", [r"$\frac{a}{b}$", r"$$x^2 + y^2$$", r"\(n+1\)",
                                  r"\[ \sum_k k \]", r"\begin{align} a &= b \end{align}"])
def test_latex_is_masked(math):
    assert counted(f"so {math} holds") == ["so", "holds"]


def test_text_inside_math_still_counts():
    assert counted(r"$x = 1 \text{ pour tout } y$") == ["pour", "tout"]


def test_non_latin_letters_inside_math_still_count():
    assert counted("$答案是 x$") == ["答", "案", "是"]


@pytest.mark.parametrize("noise", ["https://example.org/a-b?c=d", "www.example.com",
                                   "someone@example.org", "3.14159", "1,000", "x_1",
                                   "var2name", "n = 12", "2x + 3y = 18", "f(x)", "<answer>"])
def test_urls_numbers_identifiers_formulas_and_tags_are_masked(noise):
    assert counted(f"before {noise} after") == ["before", "after"]


def test_hyphenated_words_are_not_formulas():
    assert counted("a well-known result") == ["a", "well-known", "result"]


def test_code_symbols_make_quoted_text_code():
    assert not looks_like_prose("x = foo(a, b); y = bar[c] + {d: e}")
    assert looks_like_prose("this is just a sentence in backticks, nothing more")


def test_hostile_input_is_masked_without_hanging():
    hostile = "$" * 5000 + "`" * 5001 + "\\(" * 3000 + "a = " * 3000 + "\n```\n" * 1001
    assert isinstance(words(mask(hostile)), list)


def test_invisible_characters_neither_split_nor_hide_words():
    assert counted("wo\u200brd and soft\u00adhyphen") == ["word", "and", "softhyphen"]
