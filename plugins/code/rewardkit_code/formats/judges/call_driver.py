"""The program for call-based tests: load the solution, call one function, print the result.

Runs in the sandbox as the program. The adapter prepends three assignments:
``RK_HARNESS`` ("apps" or "lcb": how the test input becomes arguments), ``RK_FUNCTION``
(the function or ``Solution`` method to call) and ``RK_CODE`` (the solution's source).
The solution loads as module ``tmp_sol`` (so its ``__main__`` block does not run, as in
both harnesses); a ``class Solution`` in the source means the method of a fresh
instance. What the solution prints goes to stderr: the harnesses ignore it. The return
value goes to stdout as typed JSON for the checker (``call_result``), which holds the
expected value; a tuple becomes a list first, as both harnesses do.
"""

import json
import os
import sys
import types

RK_HARNESS: str  # the three assignments the adapter prepends
RK_FUNCTION: str
RK_CODE: str


def read_arguments(text: str) -> list:
    if RK_HARNESS == "lcb":  # noqa: F821
        return [json.loads(line) for line in text.split("\n")]
    arguments = json.loads(text)
    try:  # APPS: JSON forces string keys; a leading dict argument gets int keys back
        if isinstance(arguments[0], dict):
            arguments = [{int(k): v for k, v in arguments[0].items()}]
    except Exception:  # noqa: BLE001 - the harness ignores a failed conversion
        pass
    return arguments


def encode(value: object, depth: int = 0) -> object:
    """Plain data as JSON, keeping the Python type (tuple, set, dict keys, float specials)."""
    if depth > 200:
        raise ValueError("the result is nested too deeply")
    if value is None:
        return None
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        number = float(value)
        return number if number == number and abs(number) != float("inf") else {"float": repr(number)}
    if isinstance(value, str):
        return str(value)
    if isinstance(value, list):
        return [encode(v, depth + 1) for v in value]
    tags = ((tuple, "tuple"), (frozenset, "frozenset"), (set, "set"))
    for kind, tag in tags:
        if isinstance(value, kind):
            return {tag: [encode(v, depth + 1) for v in value]}
    if isinstance(value, dict):
        return {"dict": [[encode(k, depth + 1), encode(v, depth + 1)] for k, v in value.items()]}
    if isinstance(value, bytes):
        return {"bytes": value.hex()}
    if hasattr(value, "tolist"):  # numpy arrays and scalars
        return encode(value.tolist(), depth + 1)
    raise TypeError(f"the result is a {type(value).__name__}, not plain data")


def main() -> None:
    arguments = read_arguments(sys.stdin.read())
    result_channel = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # the solution's own output goes to stderr
    module = types.ModuleType("tmp_sol")
    sys.modules["tmp_sol"] = module
    exec(compile(RK_CODE, "solution.py", "exec"), module.__dict__)  # noqa: F821
    owner = module.Solution() if "class Solution" in RK_CODE else module  # noqa: F821
    function = getattr(owner, RK_FUNCTION)  # noqa: F821
    result = function(*arguments)
    if isinstance(result, tuple):
        result = list(result)
    result_channel.write(json.dumps({"value": encode(result)}))
    result_channel.flush()


main()
