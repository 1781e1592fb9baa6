"""Best-of-N turns each prompt row into samples through the one mapping coercion."""

from __future__ import annotations

from rewardkit import Reward, Rubric, Score, criterion
from rewardkit.generators.testing import ScriptedGenerator
from rewardkit.sampling import best_of_n


class SeesMetadata(Reward):
    """1.0 when the row's `source` column reached the reward as metadata."""

    name = "sees_metadata"

    def score_one(self, sample):
        return Score(1.0 if sample.metadata.get("source") == "gsm8k" and
                     sample.reference == "4" else 0.0)


def test_row_columns_become_metadata_and_the_generated_text_the_completion():
    rubric = Rubric([criterion(SeesMetadata())])
    generator = ScriptedGenerator(default=["four", "4"])
    rows = [{"prompt": "2+2?", "reference": "4", "source": "gsm8k"}]
    (kept,) = best_of_n(rubric, generator, rows, n=2)
    assert kept["total"] == 1.0 and kept["completion"] == "four"
    assert kept["source"] == "gsm8k" and kept["prompt"] == "2+2?"
