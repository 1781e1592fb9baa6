"""`info` explains every verdict; the probe file is never accepted."""

from math_helpers import judge

from tests.probes import load_probes


def test_info_has_extracted_normalised_and_rule():
    result = judge(r"Thus $x = \boxed{\dfrac{1}{2}}$.", r"$0.5$", answer_from="auto")
    info = result["info"]
    assert result["value"] == 1.0
    assert info["extracted"] == r"\dfrac{1}{2}" and info["method"] == "boxed"
    assert info["normalized"] == r"\frac{1}{2}"
    assert info["reference"] == "$0.5$" and info["normalized_reference"] == "0.5"
    assert info["rule"] == "exact"


def test_info_rule_names_the_deciding_step():
    assert judge(r"\sec^2(y)", r"\tan^2(y)+1")["info"]["rule"] == "numeric_points"
    assert judge("x = 5", "5")["info"]["rule"].startswith("strip_name")
    assert judge("k < -5", r"(-\infty,-5)")["info"]["rule"].startswith("set")
    assert judge("1, 2", "2, 1")["info"]["rule"] == "set_elements"
    assert judge("12", "12")["info"]["rule"] == "string"


def test_no_answer_and_unparsable_answer_score_zero_with_reason():
    empty = judge(r"The answer is $\boxed{}$.", "0", answer_from="auto")
    assert empty["value"] == 0.0 and empty["info"]["rule"] == "unparsable_answer"
    nothing = judge("I don't know.", "0", answer_from="auto", fallback=False)
    assert nothing["value"] == 0.0 and nothing["info"]["rule"] == "no_answer"


def _probes():
    return load_probes("math")


def test_probe_file_is_well_formed():
    rows = _probes()
    assert len(rows) >= 20 and len({r["id"] for r in rows}) == len(rows)
    assert all(row["completion"] and row["reference"] and row["note"] for row in rows)
    assert any(row["expected"] for row in rows) and not all(row["expected"] for row in rows)


def test_no_probe_is_accepted_and_every_control_is():
    from rewardkit_math import MathReward

    from rewardkit import Sample

    rows = _probes()
    reward = MathReward(timeout=3)  # the defaults, as `rewardkit bench math` runs them
    try:
        scores = reward.score([Sample(r["completion"], reference=r["reference"]) for r in rows])
    finally:
        reward.close()
    hacks = [(r, s) for r, s in zip(rows, scores) if not r["expected"]]
    assert [r["id"] for r, s in hacks if s.value == 1.0] == []
    assert sum(1 for _, s in hacks if s.value == 0.0) >= len(hacks) - 3  # rest: refused
    assert [r["id"] for r, s in zip(rows, scores) if r["expected"] and s.value != 1.0] == []


def test_a_failing_comparison_is_unverifiable_not_an_error(monkeypatch):
    import rewardkit_math.pipeline as verify_module

    def broken(gold, pred, pol):
        raise TypeError("sympy could not order these")

    monkeypatch.setattr(verify_module, "equal", broken)
    result = judge("x + 1", "x + 2")
    assert result["status"] == "unverifiable" and result["value"] is None
    assert "TypeError" in result["info"]["reason"]


def test_reference_may_be_a_number_or_a_list():
    assert judge("0.5", 0.5)["value"] == 1.0
    assert judge("2, 1", ["1", "2"])["value"] == 1.0
    bad = judge("1", {"answer": 1})
    assert bad["status"] == "unverifiable" and "dict" in bad["info"]["reason"]


def test_chat_completion_is_scored_from_the_assistant_turns(reward):
    from rewardkit import Sample

    sample = Sample([{"role": "assistant", "content": r"so \boxed{3}"}], reference="3")
    assert reward.score([sample])[0].value == 1.0


def test_a_failing_parse_is_an_unparsable_answer_not_an_error(monkeypatch):
    import rewardkit_math.pipeline as verify_module

    real = verify_module.interpret

    def flaky(text, pol):
        if "y" in text:
            raise NotImplementedError("sympy cannot solve this inequality")
        return real(text, pol)

    monkeypatch.setattr(verify_module, "interpret", flaky)
    result = judge("y > 1", "2", fallback=False)  # a form no reader knows: not a wrong answer
    assert result["value"] is None and result["status"] == "unverifiable"
    assert "NotImplementedError" in result["info"]["reason"]
    noise = judge("!!!", "2")  # no math in it at all: a wrong answer
    assert noise["value"] == 0.0 and noise["info"]["rule"] == "unparsable_answer"
