"""Regenerates the tool demo's data: products of two long numbers, answered in tags.

    python examples/tools/make_data.py [OUT_DIR]     # default: this folder

A tiny model cannot multiply 3- and 4-digit numbers in its head; with the Python tool it
only has to copy: the operands into the code ``a*b`` (a final expression is printed), the
printed product into the answer.

* train.jsonl: 1000 prompts (``4821*904``) with the product as reference (GRPO);
* demos_tool.jsonl: 2000 demonstrations of the tool route for the cold start: a tool call,
  the tool's result, the answer (``<answer>4358184</answer>``);
* demos_direct.jsonl: the same 2000 prompts answered directly (the no-tool baseline).
"""

import json
import random
import sys
from pathlib import Path


def numbers(rng: random.Random) -> tuple[int, int]:
    return rng.randint(100, 9999), rng.randint(100, 9999)


def tool_demo(a: int, b: int) -> list[dict]:
    call = {"type": "function",
            "function": {"name": "run_python", "arguments": {"code": f"{a}*{b}"}}}
    return [{"role": "assistant", "content": "", "tool_calls": [call]},
            {"role": "tool", "name": "run_python", "content": f"[ok]\n{a * b}\n"},
            {"role": "assistant", "content": f"<answer>{a * b}</answer>"}]


def main(out: Path) -> None:
    rng = random.Random(0)
    out.mkdir(parents=True, exist_ok=True)
    rows = {"train": [numbers(rng) for _ in range(1000)],
            "demos": [numbers(rng) for _ in range(2000)]}
    with (out / "train.jsonl").open("w") as handle:
        for a, b in rows["train"]:
            handle.write(json.dumps({"prompt": f"{a}*{b}", "reference": str(a * b)}) + "\n")
    with (out / "demos_tool.jsonl").open("w") as tool, \
            (out / "demos_direct.jsonl").open("w") as direct:
        for a, b in rows["demos"]:
            base = {"prompt": f"{a}*{b}", "reference": str(a * b)}
            tool.write(json.dumps({**base, "completion": tool_demo(a, b)}) + "\n")
            direct.write(json.dumps({**base, "completion": f"<answer>{a * b}</answer>"}) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent)
