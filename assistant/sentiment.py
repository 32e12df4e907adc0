"""A small, explainable sentiment score for English, Spanish and German posts.

The review thread is where customers say what they think of the startup in
public; a founder needs to see at a glance which new posts are complaints.
A word list is enough for that and, unlike a model, says exactly why: every
score comes with the words that moved it.

    each lexicon word adds its weight (−3 … +3);
    an intensifier just before it ("very", "muy", "sehr") multiplies it by 1.5;
    a negator up to three words before it in the same clause ("not", "no", "nicht")
    flips it (× −0.75);
    score = total / √(total² + 15)      squashed into −1 … 1
    label = positive ≥ 0.2, negative ≤ −0.2, otherwise neutral

The three lexicons share one table: the few words that mean different things
in two languages (German "fast", "gift") are left out.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

POSITIVE_AT = 0.2
NEGATION_WINDOW = 3
SQUASH = 15

LEXICON: dict[str, float] = {
    # English
    "great": 3, "excellent": 3, "amazing": 3, "awesome": 3, "fantastic": 3, "outstanding": 3,
    "brilliant": 3, "love": 3, "loved": 3, "perfect": 3, "lifesaver": 3, "superb": 3,
    "good": 2, "helpful": 2, "recommend": 2, "recommended": 2, "thanks": 2, "thank": 2,
    "solved": 2, "fixed": 2, "quick": 2, "quickly": 2, "responsive": 2, "professional": 2,
    "reliable": 2, "happy": 2, "pleased": 2, "impressed": 2, "easy": 1, "works": 1,
    "nice": 1, "useful": 2, "knowledgeable": 2, "patient": 1, "clear": 1, "worth": 1,
    "fine": 1, "timely": 2,
    "bad": -2, "poor": -2, "slow": -2, "broken": -2, "useless": -3, "terrible": -3,
    "awful": -3, "horrible": -3, "worst": -3, "scam": -3, "disappointed": -2,
    "disappointing": -2, "unhelpful": -2, "rude": -3, "ignored": -2, "unresponsive": -2,
    "expensive": -1, "overpriced": -2, "problem": -1, "problems": -1, "issue": -1,
    "issues": -1, "fail": -2, "failed": -2, "fails": -2, "waste": -2, "refund": -2,
    "frustrating": -2, "frustrated": -2, "late": -1, "bug": -1, "buggy": -2,
    "confusing": -1, "avoid": -2, "wrong": -2, "angry": -2, "hate": -3, "unfortunately": -1,
    # Spanish
    "excelente": 3, "genial": 3, "increíble": 3, "perfecto": 3, "perfecta": 3,
    "encanta": 3, "maravilloso": 3, "buenísimo": 3, "bueno": 2, "buena": 2, "buen": 2,
    "gracias": 2, "recomiendo": 2, "recomendado": 2, "útil": 2, "rápido": 2, "rápida": 2,
    "rápidamente": 2, "resuelto": 2, "solucionado": 2, "profesional": 2, "profesionales": 2,
    "confiable": 2, "contento": 2, "contenta": 2, "satisfecho": 2, "satisfecha": 2,
    "fácil": 1, "funciona": 1, "amable": 2, "claro": 1, "atentos": 2,
    "malo": -2, "mala": -2, "mal": -2, "lento": -2, "lenta": -2, "pésimo": -3,
    "pésima": -3, "inútil": -3, "decepcionado": -2,
    "decepcionada": -2, "decepción": -2, "caro": -1, "cara": -1, "problema": -1,
    "problemas": -1, "falla": -2, "fallo": -2, "error": -1, "estafa": -3, "perdí": -2,
    "tarde": -1, "lamentablemente": -1, "desafortunadamente": -1, "ignoraron": -2, "frustrante": -2, "evitar": -2,
    # German
    "ausgezeichnet": 3, "hervorragend": 3, "super": 2, "toll": 3, "großartig": 3,
    "perfekt": 3, "klasse": 3, "spitze": 3, "gut": 2, "gute": 2, "guter": 2, "gutes": 2,
    "danke": 2, "hilfreich": 2, "empfehlen": 2, "empfehlenswert": 2, "schnell": 2,
    "schnelle": 2, "gelöst": 2, "zuverlässig": 2, "professionell": 2, "zufrieden": 2,
    "freundlich": 2, "kompetent": 2, "einfach": 1, "funktioniert": 1, "nützlich": 2,
    "schlecht": -2, "schlechte": -2, "langsam": -2, "kaputt": -2, "nutzlos": -3,
    "schrecklich": -3, "furchtbar": -3, "enttäuscht": -2, "enttäuschend": -2, "teuer": -1,
    "probleme": -1, "fehler": -1, "ärgerlich": -2, "unfreundlich": -3,
    "betrug": -3, "verschwendet": -2, "umständlich": -1, "vermeiden": -2, "unzuverlässig": -2,
    "leider": -1,
}
NEGATORS = {
    "not", "no", "never", "don't", "doesn't", "didn't", "isn't", "wasn't", "aren't", "can't",
    "cannot", "won't", "nothing", "hardly", "without", "nor",
    "nunca", "jamás", "tampoco", "nada", "sin", "ni",
    "nicht", "kein", "keine", "keinen", "keiner", "nie", "niemals", "nichts", "ohne", "weder",
}
INTENSIFIERS = {
    "very", "really", "extremely", "super", "so", "incredibly", "truly", "absolutely",
    "muy", "muchísimo", "realmente", "súper", "totalmente", "bastante",
    "sehr", "wirklich", "extrem", "total", "äußerst", "echt",
}
CLAUSE = re.compile(r"[,.;:!?()\n]+|\s(?:but|and|y|pero|aunque|und|aber|doch)\s", re.IGNORECASE)
"""Negation does not reach across a comma or a "but"."""
TOKEN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)


@dataclass
class Sentiment:
    score: float
    label: str
    hits: list[tuple[str, float]] = field(default_factory=list)
    """The words that counted, each with what it added (after negation and
    intensifiers)."""

    def explain(self) -> str:
        if not self.hits:
            return "no sentiment words"
        return ", ".join(f"{word} {value:+.1f}" for word, value in self.hits)


def score_text(text: str) -> Sentiment:
    """Sentiment of one post (module docstring has the rule)."""
    total = 0.0
    hits: list[tuple[str, float]] = []
    for clause in CLAUSE.split((text or "").replace("’", "'")):
        total += _score_clause([t.casefold() for t in TOKEN.findall(clause)], hits)
    score = total / math.sqrt(total * total + SQUASH) if total else 0.0
    score = round(score, 3)
    if score >= POSITIVE_AT:
        label = "positive"
    elif score <= -POSITIVE_AT:
        label = "negative"
    else:
        label = "neutral"
    return Sentiment(score, label, hits)


def _score_clause(tokens: list[str], hits: list[tuple[str, float]]) -> float:
    total = 0.0
    for index, token in enumerate(tokens):
        weight = LEXICON.get(token)
        if weight is None or (token == "super" and index + 1 < len(tokens)
                              and tokens[index + 1] in LEXICON):
            continue
        value = float(weight)
        if index and tokens[index - 1] in INTENSIFIERS:
            value *= 1.5
        window = tokens[max(0, index - NEGATION_WINDOW) : index]
        negated = any(word in NEGATORS for word in window)
        if negated:
            value *= -0.75
        label = f"not {token}" if negated else token
        hits.append((label, round(value, 2)))
        total += value
    return total
