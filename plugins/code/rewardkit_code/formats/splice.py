"""Text surgery on programs: where a function starts and ends, cutting at stop tokens,
removing a `main`. Brace matching (shared with the sandbox's runner) skips strings,
character literals and comments.
"""

from __future__ import annotations

import re

from rewardkit_sandbox.incontainer.source_scan import matching_brace


def cut_at(text: str, stop_tokens: list[str]) -> str:
    """`text` up to the first stop token (MultiPL-E's generation stops there)."""
    ends = [i for i in (text.find(t) for t in stop_tokens if t) if i >= 0]
    return text[:min(ends)] if ends else text


def python_body(code: str) -> str:
    """The leading indented (or blank) lines: HumanEval-X's cut of a Python completion."""
    kept = []
    for line in code.split("\n"):
        if line.strip() and line[0] not in " \t":
            break
        kept.append(line)
    return "\n".join(kept)


def function_span(code: str, start: int) -> tuple[int, int] | None:
    """(start, index of the closing brace) of the function whose header begins at `start`."""
    open_at = code.find("{", start)
    if open_at < 0:
        return None
    close = matching_brace(code, open_at)
    return (start, close) if close >= 0 else None


def definition(code: str, pattern: str) -> int:
    """Start of the first line matching `pattern` (a definition header), or -1."""
    m = re.search(pattern, code, re.MULTILINE)
    return m.start() if m else -1


def remove_function(code: str, pattern: str) -> str:
    """`code` without the brace-delimited function whose header matches `pattern`."""
    start = definition(code, pattern)
    span = function_span(code, start) if start >= 0 else None
    if span is None:
        return code
    return code[:span[0]] + code[span[1] + 1:]


def entry_name(signature: str) -> str | None:
    """The function name in a signature line (`const f = (...) =>` or `... f(`)."""
    m = re.search(r"(?:function\s+(\w+)|(?:const|let|var)\s+(\w+)\s*=)", signature)
    if m:
        return m.group(1) or m.group(2)
    m = re.search(r"(\w+)\s*(?:<[^()]*>)?\s*\(", signature)
    return m.group(1) if m else None


def last_line(text: str) -> str:
    lines = [line for line in text.split("\n") if line.strip()]
    return lines[-1] if lines else ""


_DEFINITIONS = {
    "python": r"^def\s+{n}\s*\(",
    "cpp": r"^(?![ \t#/])[^\n;=]*\b{n}\s*\([^\n;]*\)\s*(?:const\s*)?(?:\{{[^\n]*)?$",
    "java": r"\w[\w<>\[\],]*\s+{n}\s*\([^;{{)]*\)\s*(?:throws[^{{;]*)?\{{",
    "javascript": r"(?:function\s*\*?\s*{n}\s*\(|(?:const|let|var)\s+{n}\s*=)",
    "go": r"^func\s+{n}\s*[\[(]",
    "rust": r"^[ \t]*(?:pub(?:\([^)]*\))?\s+)?fn\s+{n}\s*[<(]",
}
_DEFINITIONS["c"] = _DEFINITIONS["cpp"]
MAINS = {
    "cpp": r"^(?:int|signed|void)\s+main\s*\(", "java": r"public\s+static\s+void\s+main\s*\(",
    "go": r"^func\s+main\s*\(\s*\)", "rust": r"^[ \t]*fn\s+main\s*\(\s*\)",
}
MAINS["c"] = MAINS["cpp"]


def definition_pattern(language: str, name: str) -> str:
    """A regex matching the header of function `name`'s definition in `language`."""
    return _DEFINITIONS[language].format(n=re.escape(name))


def without_main(code: str, language: str) -> str:
    return remove_function(code, MAINS[language]) if language in MAINS else code


def function_last(code: str, start: int) -> tuple[str, str] | None:
    """(the rest of `code`, the function starting at `start` without its closing brace):
    the function moved last and left open, for tests that begin by closing it."""
    span = function_span(code, start)
    if span is None:
        return None
    rest = code[:start] + code[span[1] + 1:]
    return rest, code[start:span[1]]


_NAMES = {
    "go": r"^func\s+(\w+)\s*\(",
    "rust": r"^[ \t]*(?:pub\s+)?fn\s+(\w+)",
    "javascript": r"^(?:function\s*\*?\s*(\w+)|(?:const|let|var)\s+(\w+)\s*=)",
    "cpp": r"^(?![ \t#/])[^\n;=(]*?\b(\w+)\s*\([^\n;]*\)\s*\{",
}
_NAMES["c"] = _NAMES["cpp"]


def prompt_head(prompt: str) -> str:
    """The prompt before its last line (the signature the completion continues)."""
    return prompt[:prompt.rstrip().rfind("\n") + 1]


def with_prompt_helpers(head: str, code: str, language: str) -> str:
    """`code` after `head` (the prompt before the signature) when the prompt defines
    helper functions the whole-program completion relies on but does not define."""
    pattern = _NAMES.get(language)
    if pattern is None:
        return code
    names = {n for groups in re.findall(pattern, head, re.MULTILINE)
             for n in (groups if isinstance(groups, tuple) else (groups,)) if n}
    if not names or any(definition(code, definition_pattern(language, n)) >= 0
                        for n in names):
        return code
    return head + code


def split_includes(text: str) -> tuple[str, str]:
    """(the ``#include``/``import``/``using`` lines of `text`, the other lines)."""
    lines = text.splitlines(keepends=True)
    mine = ("#include", "import ", "using ")
    return ("".join(line for line in lines if line.startswith(mine)),
            "".join(line for line in lines if not line.startswith(mine)))
