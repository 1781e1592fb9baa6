"""Language codes (ISO 639-1) and the script each language is written in."""

from __future__ import annotations

SCRIPT_OF = {
    **dict.fromkeys(
        "af ca cs cy da de en es et fi fr hr hu id it lt lv nl no pl pt ro sk sl so sq sv sw "
        "tl tr vi".split(), "Latin"),
    **dict.fromkeys("bg mk ru uk".split(), "Cyrillic"),
    **dict.fromkeys("ar fa ur".split(), "Arabic"),
    **dict.fromkeys("hi mr ne".split(), "Devanagari"),
    "zh": "Han", "ja": "Han", "ko": "Hangul", "el": "Greek", "he": "Hebrew", "th": "Thai",
    "bn": "Bengali", "gu": "Gujarati", "pa": "Gurmukhi", "kn": "Kannada", "ml": "Malayalam",
    "ta": "Tamil", "te": "Telugu",
}
LANGUAGES = frozenset(SCRIPT_OF)
# The scripts a language's words may be written in (Japanese mixes kanji and kana).
SCRIPTS_OF = {lang: {script} for lang, script in SCRIPT_OF.items()} | {"ja": {"Han", "Kana"}}
# Scripts written by one language only: script counting decides, no detector needed.
SCRIPT_LANGUAGE = {"Kana": "ja", "Hangul": "ko", "Greek": "el", "Hebrew": "he", "Thai": "th",
                   "Bengali": "bn", "Gujarati": "gu", "Gurmukhi": "pa", "Kannada": "kn",
                   "Malayalam": "ml", "Tamil": "ta", "Telugu": "te", "Han": "zh"}
# Scripts shared by several languages: a detector tells them apart.
SHARED_SCRIPTS = frozenset({"Latin", "Cyrillic", "Arabic", "Devanagari"})


# Widely written languages: in a detector's prior they weigh 1.0, the others RARE_PRIOR (clear
# text in a rare language still wins; ambiguous short text goes to the common one), so
# short text tips towards Russian rather than Bulgarian, Spanish rather than Catalan.
COMMON = frozenset("en zh es fr de pt it ru ar hi ja ko nl pl tr vi id fa uk sv".split())
RARE_PRIOR = 0.01


def script_prior(script: str, favoured: str | None = None,
                 favoured_weight: float = 1.0) -> dict[str, float]:
    """A detector prior over the languages written in `script` (`favoured` weighs
    `favoured_weight`, the other common languages 1.0, the rare ones RARE_PRIOR)."""
    prior = {lang: 1.0 if lang in COMMON else RARE_PRIOR
             for lang, s in SCRIPT_OF.items() if s == script}
    if favoured in prior:
        prior[favoured] = max(favoured_weight, 1.0)
    return prior


def normalize_code(code: str) -> str:
    """A detector's label as ISO 639-1: 'zh-cn' and 'zh-tw' become 'zh'."""
    return code.lower().split("-")[0].split("_")[0]


def check_code(code: str) -> str:
    """`code` if it is a supported ISO 639-1 code, else a ValueError that says what to write."""
    if code in LANGUAGES:
        return code
    short = normalize_code(code)
    if short in LANGUAGES:
        raise ValueError(f"'{code}' is not an ISO 639-1 code: write '{short}'")
    raise ValueError(f"unsupported language '{code}'; use an ISO 639-1 code, one of: "
                     f"{', '.join(sorted(LANGUAGES))}")
