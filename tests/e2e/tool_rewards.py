"""A recording reward for the tool-calling training test (``tests.e2e.tool_rewards:seen``)."""

from __future__ import annotations

from rewardkit import Sample, Score, extract, per_sample

SEEN: list[Sample] = []


@per_sample
def seen(sample: Sample) -> Score:
    """Records every sample it scores; 1.0 when the final answer tag holds the reference."""
    SEEN.append(sample)
    found = extract.answer_tag(sample.final_text)
    return Score(float(found is not None and found.strip() == str(sample.reference)),
                 info={"answer": found})
