"""Regenerates the toy task's data: "the largest of three digits", answered in tags.

    python examples/toy/make_data.py

train.jsonl holds prompts and reference answers for GRPO; demos.jsonl holds 40 worked
demonstrations (`<think>digits</think><answer>max</answer>`) for the SFT cold start.
"""

import json
import random
from pathlib import Path


def example(rng: random.Random) -> dict:
    digits = [rng.randint(0, 9) for _ in range(3)]
    shown = " ".join(map(str, digits))
    return {"prompt": f"max {shown}\n", "reference": str(max(digits)),
            "completion": f"<think>{shown}</think><answer>{max(digits)}</answer>"}


def main() -> None:
    rng = random.Random(0)
    here = Path(__file__).parent
    train = [example(rng) for _ in range(1000)]
    demos = [example(rng) for _ in range(40)]
    with (here / "train.jsonl").open("w") as handle:
        for row in train:
            handle.write(json.dumps({"prompt": row["prompt"], "reference": row["reference"]}) + "\n")
    with (here / "demos.jsonl").open("w") as handle:
        for row in demos:
            handle.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    main()
