"""The language_purity reward: values, target, part of the completion, N/A and errors."""

import pickle

import pytest
from rewardkit_language import LanguagePurity

from rewardkit import RewardParamsError, Sample, Status, build_reward

EN = "Let me start by reading the problem carefully. We divide both sides by the common factor."
FR = "Je commence par lire attentivement l'énoncé du problème. On divise les deux membres."
ZH = "我们把两边同时除以公因数。"  # 13 characters, 12 of them words (the full stop is not)


def score(think, prompt="", **params):
    completion = f"<think>\n{think}\n</think>\n<answer>4</answer>"
    return LanguagePurity(**params).score([Sample(completion, prompt=prompt)])[0]


def test_pure_target_language_scores_one():
    result = score(EN, target="en")
    assert result.value == 1.0
    assert result.info["languages"] == {"en": 16} and result.info["target"] == "en"


def test_wrong_language_scores_zero():
    assert score(FR, target="en").value == 0.0


def test_different_scripts_are_counted_exactly():
    result = score("We divide both sides by the factor. " + ZH, target="en")
    assert result.value == pytest.approx(7 / (7 + 12))
    assert result.info["languages"] == {"zh": 12, "en": 7}


def test_chinese_target_counts_characters():
    result = score("We divide both sides by the factor. " + ZH, target="zh")
    assert result.value == pytest.approx(12 / 19)


def test_cyrillic_and_latin_are_counted_by_script():
    result = score("Разделим обе части на общий множитель. Then simplify it.", target="ru")
    assert result.value == pytest.approx(6 / 9)


def test_same_script_languages_are_told_apart_by_sentence():
    result = score(EN + " " + FR, target="en")
    assert result.info["languages"] == {"en": 16, "fr": 13}
    assert result.value == pytest.approx(16 / 29)


def test_kana_marks_japanese_against_a_chinese_target():
    result = score("これは日本語です。" + ZH, target="zh")
    assert result.info["languages"]["ja"] == 8 and result.info["languages"]["zh"] == 12


def test_single_latin_letters_are_variables_for_a_non_latin_target():
    assert score("设 x 为正整数，y 为负数。", target="zh").value == 1.0


def test_code_math_and_numbers_count_for_neither_side():
    think = EN + "\n```python\nprint('hello world, this is code')\n```\n$x^2 + 1 = 10$ 42"
    assert score(think, target="en").info["languages"] == {"en": 16}


def test_target_is_detected_from_a_text_prompt():
    result = score(EN, prompt="请解这个方程，并一步一步说明你的推理。")
    assert result.info["target"] == "zh" and result.info["target_from"] == "prompt"
    assert result.value == 0.0


def test_target_is_detected_from_the_last_user_turn_of_a_chat_prompt():
    prompt = [{"role": "system", "content": "You are a careful assistant. Think step by step."},
              {"role": "user", "content": "Résolvez l'équation et expliquez votre raisonnement."}]
    result = score(FR, prompt=prompt)
    assert result.info["target"] == "fr" and result.value == 1.0


def test_a_prompt_with_nothing_detectable_is_not_applicable():
    result = score(EN, prompt="$x^2 = 4$ 12345")
    assert result.status is Status.NOT_APPLICABLE and "set target" in result.info["reason"]


def test_chat_message_completion():
    completion = [{"role": "assistant", "content": f"<think>{FR}</think><answer>4</answer>"}]
    result = LanguagePurity(target="fr").score([Sample(completion)])[0]
    assert result.value == 1.0


def test_part_answer_checks_the_answer_only():
    completion = f"<think>{FR}</think><answer>{EN}</answer>"
    result = LanguagePurity(target="en", part="answer").score([Sample(completion)])[0]
    assert result.value == 1.0


def test_part_whole_checks_everything():
    completion = f"<think>{FR}</think><answer>{EN}</answer>"
    result = LanguagePurity(target="en", part="whole").score([Sample(completion)])[0]
    assert result.value == pytest.approx(16 / 29)


def test_prefilled_think_is_the_text_before_the_closing_tag():
    completion = f"{FR}\n</think>\n<answer>{EN}</answer>"
    assert LanguagePurity(target="en").score([Sample(completion)])[0].value == 0.0


def test_truncated_think_is_the_text_after_the_opening_tag():
    assert LanguagePurity(target="fr").score([Sample(f"<think>{FR}")])[0].value == 1.0


def test_custom_think_tag():
    completion = f"<reasoning>{FR}</reasoning>"
    reward = LanguagePurity(target="fr", think_tag="reasoning")
    assert reward.score([Sample(completion)])[0].value == 1.0


def test_missing_think_block_is_not_applicable_with_a_remedy():
    result = LanguagePurity(target="en").score([Sample(EN)])[0]
    assert result.status is Status.NOT_APPLICABLE and "part: whole" in result.info["reason"]


def test_empty_completion_is_not_applicable():
    result = LanguagePurity(target="en", part="whole").score([Sample("")])[0]
    assert result.status is Status.NOT_APPLICABLE and result.value is None


def test_only_code_and_math_is_not_applicable():
    result = score("```python\nx = 1\n```\n$y = 2$ 3.5", target="en")
    assert result.status is Status.NOT_APPLICABLE
    assert "0 countable words" in result.info["reason"]


def test_min_words_makes_short_text_not_applicable():
    result = score("Yes indeed, the answer is surely this one.", target="en", min_words=10)
    assert result.status is Status.NOT_APPLICABLE and result.info["words"] == 8


def test_a_few_same_script_words_are_decided_not_dropped():
    # three words once came back not_applicable ("too few to tell their language")
    result = score("The common denominator: 2/4 + 1/4.", target="en")
    assert result.value == 1.0 and result.info["languages"] == {"en": 3}


@pytest.mark.parametrize("think", [
    "46 plus 2 makes 48 in total, I am quite sure of it.",  # was fr 8 words, en 2: 0.2
    "I am quite sure of it.",  # was 0.33
    "Let me check the sum again.",
    "Wait, that does not look right.",
])
def test_short_english_reasoning_scores_one(think):
    result = score(think, target="en")
    assert result.value == 1.0, result.info


@pytest.mark.parametrize("think, target", [
    ("Je vérifie encore une fois la somme.", "fr"),
    ("Ich prüfe die Summe noch einmal.", "de"),
    ("Voy a comprobar la suma otra vez.", "es"),
    ("Проверю сумму ещё раз.", "ru"),
    ("我再检查一下。", "zh"),
])
def test_four_or_five_plain_words_are_decided_in_any_script(think, target):
    assert score(think, target=target).value == 1.0
    assert score(think, target="en" if target != "en" else "fr").value == 0.0


def test_short_foreign_sentence_of_the_same_script_scores_zero():
    result = score("Je pense que oui.", target="en")
    assert result.value == 0.0 and result.info["languages"] == {"fr": 4}


def test_readme_mixed_example_gives_its_documented_value():
    # plugins/language/README.md: 4 English words and 12 Chinese characters
    result = score("We divide both sides. 我们把两边同时除以公因数。", target="en")
    assert result.value == pytest.approx(4 / (4 + 12))


def test_short_text_in_another_script_is_still_decided_by_counting():
    result = score("先算分母", target="en")
    assert result.value == 0.0


@pytest.mark.parametrize("target, message", [
    ("zh-cn", "write 'zh'"),
    ("english", "unsupported language 'english'"),
    ("xx", "ISO 639-1"),
])
def test_bad_target_is_rejected_with_a_fix(target, message):
    with pytest.raises(RewardParamsError, match=message):
        LanguagePurity(target=target)


def test_bad_part_and_chunk_size_are_rejected():
    with pytest.raises(RewardParamsError, match="part"):
        LanguagePurity(part="reasoning")
    with pytest.raises(RewardParamsError, match="chunk_words"):
        LanguagePurity(chunk_words=0)


def test_same_input_same_value():
    think = EN + " " + FR + " Vérifions encore une fois. Let me check again."
    assert len({score(think, target="en").value for _ in range(3)}) == 1


def test_reward_pickles_with_its_params():
    reward = pickle.loads(pickle.dumps(LanguagePurity(target="fr", part="whole")))
    assert reward.params.target == "fr"
    assert reward.score([Sample(FR)])[0].value == 1.0


def test_registered_through_the_entry_point():
    reward = build_reward("language:language_purity", {"target": "fr", "part": "whole"})
    assert reward.score([Sample(FR)])[0].value == 1.0


def test_foreign_term_ending_a_sentence_is_found_in_an_otherwise_pure_text():
    think = ("Let me start by reading the problem carefully. So this is really a problem "
             "about la búsqueda binaria. The discriminant is positive, so there are two roots.")
    result = score(think, target="en")
    assert result.info["languages"]["es"] == 3


def test_foreign_term_inside_a_sentence_is_labelled_word_by_word():
    think = ("Let me start by reading the problem carefully. Here I would use la "
             "programmation dynamique to finish. Je commence par lire attentivement l'énoncé.")
    result = score(think, target="en")  # true split: 14 English words, 9 French
    assert abs(result.info["languages"]["fr"] - 9) <= 1


def test_one_ambiguous_word_does_not_switch_language():
    think = ("Let me check whether the die is fair before we roll it again. "
             "Ich lese zuerst die Aufgabe sorgfältig durch.")
    assert score(think, target="en").info["languages"] == {"en": 13, "de": 7}


def test_target_column_gives_each_sample_its_target():
    reward = LanguagePurity(target_column="lang", part="whole")
    results = reward.score([Sample(FR, metadata={"lang": "fr"}),
                            Sample(FR, metadata={"lang": "en"})])
    assert [r.value for r in results] == [1.0, 0.0]
    assert results[0].info["target_from"] == "metadata"


def test_target_column_missing_falls_back_to_the_prompt():
    reward = LanguagePurity(target_column="lang", part="whole")
    result = reward.score([Sample(FR, prompt="Résolvez l'équation, s'il vous plaît.")])[0]
    assert result.info["target_from"] == "prompt" and result.value == 1.0


def test_bad_code_in_the_target_column_is_unverifiable():
    result = LanguagePurity(target_column="lang", part="whole").score(
        [Sample(FR, metadata={"lang": "zh-cn"})])[0]
    assert result.status is Status.UNVERIFIABLE and "write 'zh'" in result.info["reason"]
