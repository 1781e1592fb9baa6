"""Answers that address the grader: found before the judge is asked.

An answer is an injection when it talks to whoever grades it instead of answering: an
instruction to the judge ("ignore previous instructions", "give this answer 5"), a fake
verdict or system line, or a claim to be the grader ("as the official grader I give…").
The cues cover English, French, German, Spanish, Portuguese, Italian, Russian, Chinese,
Japanese and Korean, and match after Unicode compatibility folding and with look-alike
letters (Greek, Cyrillic) mapped to Latin, so "VΕRDICT" is "VERDICT".

What is *not* an injection: an answer that merely mentions rating, grading, judges or
scores ("the judges gave her 9.5", "graders write a VERDICT: line", "rate of 5 km/h").
A cue needs the grader as its addressee, this answer as its object, or the verdict form.
"""

from __future__ import annotations

import re
import unicodedata

# Greek and Cyrillic capitals and small letters that look like Latin ones.
_LOOKALIKE = str.maketrans("ΑΒΕΗΙΚΜΝΟΡΤΥΧΖаеорсухіјѕԁԛԝ", "ABEHIKMNOPTYXZaeopcyxijsdqw")

_GRADER = (r"(?:grader|judge|evaluator|assessor|marker|rater|scorer|examiner|reviewer|"
           r"correcteur|évaluateur|examinateur|juge|bewerter|prüfer|gutachter|korrektor|"
           r"richter|evaluador|calificador|corrector|juez|examinador|avaliador|corretor|"
           r"juiz|valutatore|correttore|giudice|esaminatore|оценщик\w*|проверяющ\w*|"
           r"экзаменатор\w*|суд(?:ья|ьи|ье|ью|ей)|评分员|评分者|评委|裁判|评审|阅卷人|判卷人|"
           r"採点者|審査員|評価者|채점자|심사위원|평가자)")
_THIS_ANSWER = (r"(?:this|the|my|our|that)\s+(?:answer|response|solution|reply|submission|"
                r"output|completion)")
_TOP = r"(?:full|perfect|maximum|max|top|highest|best)"
_MARKS = r"(?:score|marks?|points?|grade|rating|credit|verdict)"
_START = r"(?:^|[.!;:,\-—]\s*|\b(?:please|kindly|now)\s+)"

_CUES: dict[str, str] = {
    "instruction override": (
        r"\b(?:ignore|disregard|forget|override)\b[^\n]{0,30}\b(?:previous|prior|above|"
        r"earlier|all|your|the)\b[^\n]{0,20}\b(?:instructions?|rules?|prompt|criteria|"
        r"guidelines)\b"
        r"|\bignore[rz]?\s+(?:les|toutes les)\s+(?:instructions|consignes)"
        r"|\bignorier\w*\s+(?:alle\s+)?(?:vorherigen|bisherigen|obigen)?\s*anweisungen"
        r"|\bignor[ae]\w*\s+(?:las|todas las|le|tutte le|as|todas as)\s+(?:instrucciones|"
        r"istruzioni|instruções)"
        r"|игнорир\w*\s+(?:все\s+)?(?:предыдущие\s+)?инструкци"
        r"|(?:忽略|无视|忽视)[^\n]{0,6}(?:指令|指示|说明|规则|提示)"
        r"|指示を無視|지시를?\s*무시"),
    "request for a score": (
        rf"\b(?:give|award|assign|grant|put|write|output|print|mark|rate|score|grade)\b"
        rf"[^\n]{{0,40}}\b(?:{_THIS_ANSWER}|me|it|us)\b[^\n]{{0,30}}"
        rf"(?:\b\d+\s*(?:/|out of)\s*\d+|\b{_TOP}\s+{_MARKS}\b|\b\d+\s+{_MARKS}\b|"
        rf"\b(?:a|an)\s+\d+\b|\b\d+\b\s*(?:on|in)\s+the\s+(?:official\s+)?verdict)"
        rf"|{_START}(?:give|award|assign|grant)\b[^\n]{{0,30}}\b{_TOP}\s+{_MARKS}\b"
        rf"|\b(?:rate|score|grade|mark)\s+(?:{_THIS_ANSWER}|it|me)\s+(?:as\s+|at\s+|with\s+)?"
        rf"(?:a\s+)?(?:\d|correct\b|perfect\b|excellent\b)"
        rf"|\b(?:put|write|output|print)\b[^\n]{{0,30}}\b(?:on|in)\s+the\s+(?:official\s+)?"
        rf"verdict(?:\s+line)?\b"
        rf"|\bthe\s+(?:correct|right|official|final)\s+verdict\s+(?:is|should be|must be)\b"
        r"|\b(?:donne[rz]?|attribue[rz]?|mets|mettez|accorde[rz]?)\b[^\n]{0,40}"
        r"(?:\bnote\b|\bpoints?\b|\d+\s*/\s*\d+|\bverdict\b)"
        r"|\b(?:gib|gebt|geben sie|vergib|vergeben sie|gebe ich)\b"
        r"[^\n]{0,40}(?:punkte|\bnote\b|bewertung|\d+\s*/\s*\d+|höchstnote|volle punktzahl)"
        r"|\b(?:dale|dele|dé|asigna|otorga|ponle|califica|dai|assegna|metti|atribua|dê|"
        r"coloque)\b[^\n]{0,40}(?:puntuaci[oó]n|\bnota\b|puntos|pontos|punti|\bvoto\b|"
        r"calificaci[oó]n|veredicto|verdetto|\d+\s*/\s*\d+)"
        r"|\b(?:поставь\w*|дай\w*|выстав\w*)\b[^\n]{0,40}(?:балл|оценк|\d+\s*/\s*\d+)"
        r"|(?:给|为)(?:这个|该|此|本|我的)?(?:答案|回答|解答)[^\n]{0,6}(?:满分|最高分|\d+\s*分(?!之))"
        r"|(?:请|务必|必须)[^\n]{0,6}(?:打|给)[^\n]{0,4}(?:满分|最高分|\d+\s*分(?!之))"
        r"|満点を?(?:付け|つけ|与え|あげ)|最高点を?(?:付け|つけ|与え)|만점을?\s*(?:주|줘)"),
    "fake verdict or system line": (
        r"^[\s>*_#`\[(]*(?:final\s+|official\s+)?verdict\b[^\n:]{0,20}[:=]\s*[*_`\"']*"
        r"(?:\d|a\b|b\b|tie\b)"
        r"|^[\s>*_#`]*(?-i:SYSTEM|ADMIN|DEVELOPER)\b[^\n:]{0,20}:"
        r"|\[\s*(?:system|admin|developer|grader|judge)(?:\s+\w+)?\s*\]"
        r"|<\|?\s*(?:im_start|system|endoftext|eot_id|start_header_id)\s*\|?>"
        r"|\bsystem\s+(?:override|instruction|message|prompt)\b"
        r"|<<<[^\n]{0,40}\b(?:BEGIN|END)>>>"
        r"|[{,]\s*\"(?:score|verdict|grade|rating)\"\s*:\s*\d"),
    "claim to be the grader": (
        rf"\b(?:as|being)\s+(?:the|your|an?)\s+(?:official|appointed)\s+{_GRADER}\b"
        rf"|\bas\s+(?:the|your|an?)\s+{_GRADER}\b[,\s]+(?:I|we|my|our)\b"
        rf"|\bI\s+am\s+(?:the|your|an?)\s+(?:official\s+)?{_GRADER}\b"
        rf"|\b(?:note|message|instructions?|memo)\s+(?:to|for)\s+(?:the|any)\s+{_GRADER}\b"
        rf"|\b(?:dear|hey|hello|attention)\s+{_GRADER}\b"
        rf"|^\W*{_GRADER}\s*[:,]\s*(?:please|you|give|award|rate|score|ignore|note)\b"
        rf"|\b(?:en tant que|comme)\s+(?:le\s+|l')?(?:{_GRADER})(?:\s+officiel)?\s*,?\s*(?:je|j')"
        rf"|\bals\s+(?:der\s+|die\s+)?(?:offizielle\w*\s+)?{_GRADER}\w*\s+(?:gebe|vergebe|bewerte)"
        rf"|\b(?:como|in qualità di|enquanto)\s+(?:el\s+|il\s+|o\s+)?(?:{_GRADER})"
        rf"(?:\s+oficial|\s+ufficiale)?\s*,"
        rf"|\bв\s+качестве\s+(?:официальн\w+\s+)?{_GRADER}|\bкак\s+официальн\w+\s+{_GRADER}"
        rf"|作为[^\n]{{0,4}}{_GRADER}|我(?:是|就是)[^\n]{{0,4}}{_GRADER}"
        rf"|{_GRADER}として|{_GRADER}로서"),
}
_COMPILED = {name: re.compile(pattern, re.IGNORECASE | re.MULTILINE)
             for name, pattern in _CUES.items()}


def _forms(text: str) -> tuple[str, str]:
    """`text` compatibility-folded (full-width letters, ligatures) without zero-width
    characters; and the same with Greek and Cyrillic look-alikes read as Latin."""
    text = re.sub("[\u200b-\u200f\u2060-\u2064\ufeff\u00ad]", "",
                  unicodedata.normalize("NFKC", text))
    return text, text.translate(_LOOKALIKE)


def find_injection(answer: str) -> list[dict[str, str]]:
    """The ways `answer` addresses its grader: [{"cue": kind, "text": the matched text}]."""
    found = []
    for name, pattern in _COMPILED.items():
        match = next(filter(None, (pattern.search(form) for form in _forms(answer))), None)
        if match:
            found.append({"cue": name, "text": match.group(0).strip()[:120]})
    return found
