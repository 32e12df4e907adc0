"""Cheap, explainable signals read straight off a post's words.

A founder trusts a queue only when it can say *why* a thread is there, so
every signal here is an exact, documented rule and returns the span of text
that fired it. The lexical cues cover English, Spanish, German, Portuguese
and French; punctuation-based cues (a question mark, a stack frame, a
version number) are language-free.

Two levels:
- text level: ``detect(text)`` returns every signal with its evidence;
- thread level: ``me_too_authors``, ``acknowledged_resolutions`` and
  ``solved_probability`` read an opening post and its replies, so a "me too"
  becomes one more affected member and a "that fixed it" names who solved it.

Speed: a thread must be judged in well under a millisecond, and Python's
regular expressions cost tens of nanoseconds per character. So each phrase
list carries the words it cannot match without ("trigger words"); a text is
split into its set of words once, and a phrase list runs only when one of its
trigger words is present. Phrases are matched on the lower-cased text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

QUESTION = "question"
ERROR = "error"
VERSION = "version"
ME_TOO = "me_too"
RESOLVED = "resolved"
STILL_BROKEN = "still_broken"
BUYING_INTENT = "buying_intent"
SELF_PROMOTION = "self_promotion"

SIGNAL_NAMES = (
    QUESTION,
    ERROR,
    VERSION,
    ME_TOO,
    RESOLVED,
    STILL_BROKEN,
    BUYING_INTENT,
    SELF_PROMOTION,
)

# Signals are read from the start of a post: the cue almost always sits
# there, and a bound keeps judging fast on pasted multi-megabyte logs.
MAX_SCAN_CHARS = 3000

_MAX_SPAN = 160


@dataclass(frozen=True)
class Evidence:
    """One rule firing: which signal, which rule, and the words that fired it."""

    signal: str
    rule: str
    span: str
    start: int
    end: int

    def __str__(self) -> str:
        return f'{self.signal} ({self.rule}): "{self.span}"'


@dataclass(frozen=True)
class Signals:
    """Every signal found in one text, each with its evidence (possibly none)."""

    evidence: tuple[Evidence, ...] = ()

    def of(self, signal: str) -> tuple[Evidence, ...]:
        return tuple(e for e in self.evidence if e.signal == signal)

    def has(self, signal: str) -> bool:
        return any(e.signal == signal for e in self.evidence)

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(SIGNAL_NAMES, 0)
        for item in self.evidence:
            counts[item.signal] += 1
        return counts

    def reasons(self) -> list[str]:
        return [str(item) for item in self.evidence]


# --- the prepared text ----------------------------------------------------------

_SEPARATORS = str.maketrans({c: " " for c in "\t\n\r.,;:!?¿¡()[]{}<>\"'’‘“”`*_=/\\|#@~^&%$-–—…"})


class _Text:
    """A text cut to the scanned length, lower-cased (same length, so spans
    found in ``lower`` index ``text``), and its set of words."""

    __slots__ = ("lower", "text", "words")

    def __init__(self, text: str | None):
        text = (text or "")[:MAX_SCAN_CHARS]
        lower = text.lower()
        if len(lower) != len(text):
            lower = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
        self.text = text
        self.lower = lower
        self.words = frozenset(lower.translate(_SEPARATORS).split())


def _prepare(text: str | _Text) -> _Text:
    return text if isinstance(text, _Text) else _Text(text)


class _Lexicon:
    """Phrases of one signal, each with the words it cannot match without.

    Each phrase is its own small regular expression and runs only when one of
    its trigger words is in the text: one large alternation would be tried
    at every word boundary, which costs far more than a few small ones."""

    def __init__(self, *entries: tuple[str, str], suffix: str = r"(?!\w)"):
        self.entries = tuple(
            (frozenset(words.split()), re.compile(r"\b(?:" + pattern + ")" + suffix))
            for words, pattern in entries
        )
        self.triggers = frozenset().union(*(words for words, _ in self.entries))
        self.by_word: dict[str, tuple[int, ...]] = {
            word: tuple(i for i, (words, _) in enumerate(self.entries) if word in words)
            for word in self.triggers
        }
        self.pattern = re.compile(
            r"\b(?:" + "|".join(f"(?:{p})" for _, p in entries) + ")" + suffix
        )

    def finditer(self, prepared: _Text) -> list[re.Match[str]]:
        """Matches of the triggered phrases, in text order."""
        present = self.triggers.intersection(prepared.words)
        if not present:
            return []
        chosen = sorted({i for word in present for i in self.by_word[word]})
        lower = prepared.lower
        found = [match for i in chosen for match in self.entries[i][1].finditer(lower)]
        if len(chosen) > 1:
            found.sort(key=lambda m: (m.start(), -m.end()))
        return found


def _evidence(signal: str, rule: str, prepared: _Text, start: int, end: int) -> Evidence:
    end = min(end, start + _MAX_SPAN)
    raw = prepared.text[start:end]
    stripped = raw.strip()
    start += len(raw) - len(raw.lstrip())
    return Evidence(signal, rule, stripped, start, start + len(stripped))


# --- sentence helpers ---------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?;\n¿¡]")


def _sentence_start(text: str, position: int) -> int:
    """Index where the sentence holding ``position`` begins."""
    best = max(0, position - 300)
    for match in _SENTENCE_END.finditer(text, best, position):
        best = match.end()
    return best


def _sentence_end(text: str, position: int) -> int:
    match = _SENTENCE_END.search(text, position)
    return match.start() + 1 if match else len(text)


_NEGATION = re.compile(
    r"(?:\b(?:not|no|never|nothing|nor|nicht|nichts|kein\w*|nie|pas|plus|jamais|"
    r"ne|n'|não|nao|nunca|nada|tampoco|todavía|todavia|ainda|still|noch)\b|n't\b)"
)
_CONDITIONAL = re.compile(
    r"\b(?:if|whether|unless|hope|hopefully|let me know|see if|si|ojalá|wenn|falls|ob|hoffe|"
    r"se|caso|espero|j'espère|espère)\b"
)


def _negated(prepared: _Text, start: int) -> bool:
    """A cue is negated when a negation stands in the few words before it in
    the same sentence ("it did *not* fix it", "ça ne marche *pas*")."""
    lower = prepared.lower
    sentence_start = _sentence_start(lower, start)
    return bool(_NEGATION.search(lower, max(sentence_start, start - 40), start))


def _negated_after(prepared: _Text, end: int) -> bool:
    """French and German put the negation after the verb ("ça ne marche pas",
    "es funktioniert nicht"): look at the next word too."""
    return bool(re.match(r"\s*(?:pas|plus|nicht|no|não)\b", prepared.lower[end : end + 12]))


def _conditional_or_question(prepared: _Text, start: int, end: int) -> bool:
    """ "If that fixes it…" and "did that fix it?" acknowledge nothing."""
    lower = prepared.lower
    sentence_start = _sentence_start(lower, start)
    if _CONDITIONAL.search(lower, sentence_start, start):
        return True
    sentence_end = _sentence_end(lower, end)
    if lower[end:sentence_end].rstrip().endswith("?"):
        return True
    return sentence_start > 0 and lower[sentence_start - 1] == "¿"


# --- question / help request -------------------------------------------------

_INTERROGATIVE = _Lexicon(
    # English
    ("how", r"how (?:do|does|can|could|should|would|to|is|are|much|many)"),
    ("what", r"what(?:'s| is| are| does| do| should| would)"),
    ("why", r"why (?:is|are|does|do|did|can't|won't|doesn't|isn't)"),
    ("where", r"where (?:is|are|can|do|does)"),
    ("is", r"is (?:there|it possible)"),
    ("are", r"are there"),
    ("can could", r"(?:can|could) (?:i|you|we|someone|anyone|somebody)"),
    ("does", r"does (?:anyone|anybody|someone)"),
    ("has", r"has (?:anyone|anybody)"),
    ("any", r"any (?:ideas?|suggestions?|way|tips|help)"),
    # Spanish
    ("cómo como", r"c[oó]mo (?:puedo|hago|se|hacer|configuro|instalo)"),
    ("por", r"por qu[eé] (?:no|se|mi|el|la)"),
    ("alguien", r"alguien (?:sabe|tiene|conoce|puede)"),
    ("hay existe", r"(?:hay|existe) (?:alguna|algún|algun) (?:forma|manera)"),
    ("se", r"se puede"),
    # German
    ("wie", r"wie (?:kann|mache|bekomme|installiere|richte|funktioniert)"),
    ("warum", r"warum (?:wird|ist|funktioniert|kann)"),
    ("kann könnte", r"(?:kann|könnte) (?:man|ich|mir|jemand)"),
    ("gibt", r"gibt es (?:eine|einen|ein)"),
    ("weiß hat", r"(?:weiß|hat) jemand"),
    # Portuguese
    ("como", r"como (?:faço|faco|posso|configuro|instalo|resolvo|fazer)"),
    ("por", r"por que (?:o|a|meu|minha|não|nao)"),
    ("alguém alguem", r"algu[eé]m (?:sabe|conhece|pode|tem)"),
    ("é e", r"[eé] poss[ií]vel"),
    # French
    ("comment", r"comment (?:faire|puis-je|je|on|configurer|installer)"),
    ("pourquoi", r"pourquoi (?:mon|ma|le|la|les|est-ce|ça|il)"),
    ("est", r"est-ce (?:que|qu')"),
    ("quelqu", r"quelqu'un (?:sait|a|peut|conna[iî]t)"),
    ("y est peut", r"(?:y a-t-il|est-il possible|peut-on)"),
    suffix="",
)
_BOUNDARY = re.compile(r"[.!?\n¿]+[ \t]*")

_HELP_REQUEST = _Lexicon(
    ("help", r"(?:please |pls |need |any |some )help"),
    ("help", r"help (?:me|needed|please|wanted)"),
    ("stuck trying unable able", r"i(?:'m| am) (?:stuck|trying to|unable to|not able to)"),
    (
        "figure get seem find",
        r"(?:can't|cannot|couldn't|can not) (?:figure out|get|seem to|find a way)",
    ),
    ("know", r"does anyone know"),
    ("ayuda", r"(?:necesito|busco) ayuda"),
    ("ayuda ayudadme", r"ayuda(?:dme)?(?: por favor)?"),
    (
        "consigo logro puedo",
        r"no (?:consigo|logro|puedo) (?:hacer|que|instalar|configurar|conectar)",
    ),
    ("hilfe", r"(?:brauche|bitte um) hilfe"),
    ("weiter", r"ich komme nicht weiter"),
    ("schaffe bekomme", r"ich (?:schaffe|bekomme) es nicht"),
    ("ajuda", r"preciso de ajuda"),
    ("consigo", r"n[aã]o consigo"),
    ("besoin", r"besoin d'aide"),
    ("arrive", r"je n'arrive pas [àa]"),
    ("aidez", r"aidez-moi"),
)


def question(text: str | _Text) -> list[Evidence]:
    """Is the post asking something? A question mark, an interrogative opening
    a sentence, or an explicit request for help."""
    prepared = _prepare(text)
    lower = prepared.lower
    found: list[Evidence] = []
    position = lower.find("?")
    while position >= 0:
        if not _inside_url(lower, position):
            start = _sentence_start(lower, position)
            found.append(_evidence(QUESTION, "question_mark", prepared, start, position + 1))
            break
        position = lower.find("?", position + 1)
    if not _INTERROGATIVE.triggers.isdisjoint(prepared.words):
        starts = [0] + [m.end() for m in _BOUNDARY.finditer(lower, 0, 800)]
        for start in starts:
            match = _INTERROGATIVE.pattern.match(lower, start)
            if match:
                end = _sentence_end(lower, match.end())
                found.append(_evidence(QUESTION, "interrogative", prepared, start, end))
                break
    for match in _HELP_REQUEST.finditer(prepared):
        found.append(_evidence(QUESTION, "help_request", prepared, match.start(), match.end()))
        break
    return found


def _inside_url(lower: str, position: int) -> bool:
    word_start = max(lower.rfind(" ", 0, position), lower.rfind("\n", 0, position)) + 1
    return "://" in lower[word_start:position]


# --- errors and stack traces ---------------------------------------------------

# Each rule: (name, trigger words or None for a substring gate, pattern, on lower-case text?)
_ERROR_WORDS = frozenset(
    [
        "error",
        "errors",
        "erreur",
        "fehler",
        "erro",
        "err",
        "fatal",
        "failed",
        "failure",
        "fallo",
        "falha",
        "échec",
    ]
)
# No leading word boundary in the pattern (it would stop the engine from
# skipping ahead to candidate letters); the boundary is checked per match.
_ERROR_LINE = re.compile(
    r"(?:error|erreur|fehler|erro|err|fatal|failed|failure|fallo|falha|échec)"
    r"(?:\s*\[[\w.-]+\])?\s*(?::|#\d+:?)\s*\S[^\n]{0,140}"
)
_DIGIT_DOT_DIGIT = re.compile(r"\d\.\d")
_EXCEPTION_NAME = re.compile(
    r"\b(?:[A-Z][a-z0-9]+)+(?:Error|Exception|Panic|Fault)\b(?::[^\n]{0,120})?"
)
_PYTHON_FRAME = re.compile(r'^\s*File "[^"\n]+", line \d+.*$', re.MULTILINE)
_STACK_FRAME = re.compile(
    r"^\s*at [\w$.<>/]+(?:\.[\w$<>]+)*\s*\([^)\n]*:\d+(?::\d+)?\)", re.MULTILINE
)
_CRASH = _Lexicon(
    ("segmentation", r"segmentation fault"),
    ("dumped", r"core dumped"),
    ("panicked", r"panicked at"),
    ("overflow", r"stack overflow"),
    ("exit exited", r"exit(?:ed)? (?:with )?(?:code|status) -?\d+"),
    ("returned", r"returned non-zero exit status \d+"),
    ("errno", r"errno\s*[:=]?\s*\d+"),
    ("status", r"status code [45]\d\d"),
    ("http", r"http [45]\d\d"),
)
_ERROR_MENTION = _Lexicon(
    ("error", r"error message|(?:an|the|this|same|following|that) error"),
    ("crash crashes crashed crashing", r"crash(?:es|ed|ing)?"),
    ("error", r"mensaje de error|(?:un|el|este) error"),
    ("cuelga", r"se cuelga"),
    ("fehlermeldung", r"fehlermeldung"),
    ("fehler", r"(?:einen|der|den) fehler"),
    ("stürzt", r"stürzt ab"),
    ("absturz", r"absturz"),
    ("erreur", r"message d'erreur|(?:une|l'|cette) erreur"),
    ("plante", r"plante"),
    ("erro", r"mensagem de erro|(?:um|o|este) erro"),
    ("trava", r"trava"),
)


def error_trace(text: str | _Text) -> list[Evidence]:
    """Error messages, exceptions and stack traces, strongest rule first."""
    prepared = _prepare(text)
    raw, lower = prepared.text, prepared.lower
    found = []
    position = raw.find("Traceback (most recent call last)")
    if position >= 0:
        found.append(_evidence(ERROR, "python_traceback", prepared, position, position + 33))
    if 'File "' in raw:
        match = _PYTHON_FRAME.search(raw)
        if match:
            found.append(_evidence(ERROR, "python_frame", prepared, match.start(), match.end()))
    if "at " in raw and ":" in raw:
        match = _STACK_FRAME.search(raw)
        if match:
            found.append(_evidence(ERROR, "stack_frame", prepared, match.start(), match.end()))
    if "Error" in raw or "Exception" in raw or "Panic" in raw or "Fault" in raw:
        match = _EXCEPTION_NAME.search(raw)
        if match:
            found.append(_evidence(ERROR, "exception_name", prepared, match.start(), match.end()))
    if not _ERROR_WORDS.isdisjoint(prepared.words):
        for match in _ERROR_LINE.finditer(lower):
            if match.start() and lower[match.start() - 1].isalnum():
                continue
            found.append(_evidence(ERROR, "error_line", prepared, match.start(), match.end()))
            break
    for match in _CRASH.finditer(prepared):
        found.append(_evidence(ERROR, "crash", prepared, match.start(), match.end()))
        break
    for match in _ERROR_MENTION.finditer(prepared):
        found.append(
            _evidence(ERROR, "error_message_mention", prepared, match.start(), match.end())
        )
        break
    return found


# --- versions -------------------------------------------------------------------

_VERSION_WORDS = frozenset(["version", "versión", "versao", "versão", "ver", "release"])
_VERSION_WORD = re.compile(
    r"\b(?:version|versión|versao|versão|ver\.|release)\s*:?\s*v?\d+(?:\.\d+)*"
    r"(?:[-+][0-9a-z.]+)?(?![\w.])"
)
# No look-behind at the start, so the regex engine can skip to digits fast;
# the character before a match is checked in Python instead.
_DOTTED = re.compile(r"v?\d{1,4}\.\d{1,4}(?:\.\d{1,6})+(?:[-+][0-9a-z.]+)?(?![\w.])")
_V_NUMBER = re.compile(r"v\d{1,4}(?:\.\d{1,4})+(?![\w.])")
_IP_ADDRESS = re.compile(r"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$")


def versions(text: str | _Text) -> list[Evidence]:
    """Version strings: "version 2.1", "v1.31", "1.31.0-rc2" (IP addresses
    excluded), at most five."""
    prepared = _prepare(text)
    lower = prepared.lower
    found: list[Evidence] = []
    seen: set[str] = set()
    rules = []
    if not _VERSION_WORDS.isdisjoint(prepared.words):
        rules.append(("version_word", _VERSION_WORD))
    if "." in lower and _DIGIT_DOT_DIGIT.search(lower):
        rules.append(("dotted_number", _DOTTED))
        rules.append(("v_number", _V_NUMBER))
    for rule, pattern in rules:
        for match in pattern.finditer(lower):
            before = lower[match.start() - 1] if match.start() else " "
            if rule != "version_word" and (before.isalnum() or before in "._"):
                continue
            token = match.group(0)
            if _IP_ADDRESS.match(token) or token in seen:
                continue
            if any(token in other or other in token for other in seen):
                continue
            seen.add(token)
            found.append(_evidence(VERSION, rule, prepared, match.start(), match.end()))
            if len(found) >= 5:
                return found
    return found


# --- "me too" -------------------------------------------------------------------

_ME_TOO = _Lexicon(
    # English
    ("me", r"me too"),
    ("same", r"same here"),
    ("same", r"same (?:[\w.-]+ ){1,3}here"),
    ("same", r"same (?:for|with) (?:me|us)"),
    ("us we", r"(?:us|we) too"),
    (
        "same",
        r"(?:i|we)(?:'m| am|'re| are)? (?:also |too )?(?:have|having|had|get|getting|got|see|"
        r"seeing|saw|facing|experiencing|experienced|running into|hitting) (?:the |this |that )?"
        r"(?:exact |very )?same",
    ),
    ("same similar", r"(?:same|similar) (?:problem|issue|error|thing|bug) here"),
    ("same", r"(?:exact |very )?same (?:problem|issue|error|bug) (?:as|for) (?:you|the op|op|me)"),
    ("happening happens happened", r"(?:happening|happens|happened) to me (?:too|as well)"),
    ("similar", r"(?:something|problem) similar[^.!?\n]{0,40}(?:happening|happens) to me"),
    ("confirm", r"(?:i|we) (?:can )?(?:also )?confirm (?:this|the (?:same|issue|problem|bug))"),
    ("affected", r"(?:also|too) affected"),
    # Spanish
    ("también tambien", r"a m[ií] tambi[eé]n"),
    ("también tambien", r"yo tambi[eé]n"),
    ("mismo", r"(?:el |tengo el |tenemos el )?mismo problema"),
    ("pasa ocurre sucede", r"me (?:pasa|ocurre|sucede) (?:lo mismo|igual)"),
    ("igual", r"igual aqu[ií]"),
    # German
    ("auch", r"ich auch"),
    ("bei", r"bei mir (?:auch|ebenso|genauso)"),
    (
        "gleiche gleichen selbe selben",
        r"(?:das |habe das |hab das |haben das )?(?:gleiche|selbe)n? problem",
    ),
    ("genauso", r"geht mir genauso"),
    # Portuguese
    ("também tambem", r"eu tamb[eé]m"),
    ("também tambem", r"comigo tamb[eé]m"),
    ("mesmo", r"(?:o |tenho o |estou com o )?mesmo problema"),
    ("acontece", r"acontece o mesmo"),
    # French
    ("aussi", r"moi aussi"),
    ("même meme", r"(?:le |j'ai le |nous avons le )?m[eê]me probl[eè]me"),
    ("pareil", r"pareil (?:pour moi|ici|chez moi)"),
    ("aussi", r"chez moi aussi"),
)
_PLUS_ONE = re.compile(r"^\s*\+1(?!\d)", re.MULTILINE)


def me_too(text: str | _Text) -> list[Evidence]:
    """ "Me too" / "same here" / "+1": the writer has the problem as well. A
    negated cue ("not the same problem") does not count."""
    prepared = _prepare(text)
    for match in _ME_TOO.finditer(prepared):
        if _negated(prepared, match.start()):
            continue
        return [_evidence(ME_TOO, "same_problem", prepared, match.start(), match.end())]
    if "+1" in prepared.lower:
        match = _PLUS_ONE.search(prepared.lower)
        if match:
            return [_evidence(ME_TOO, "plus_one", prepared, match.start(), match.end())]
    return []


# --- resolution acknowledged --------------------------------------------------

_RESOLVED = _Lexicon(
    # English
    (
        "fixed solved resolved did",
        r"(?:that|this|it|which|your (?:answer|suggestion|fix|solution)) (?:fixed|solved|resolved|did)"
        r" (?:it|the trick|my (?:problem|issue)|the (?:problem|issue))",
    ),
    (
        "worked works",
        r"(?:that|this|it) (?:worked|works)(?: for me| now| perfectly| great| like a charm|(?=\s*[!,.]|\s*$))",
    ),
    (
        "works working worked",
        r"(?:works|working|worked) (?:now|again|perfectly|properly|fine now|like a charm)",
    ),
    ("working", r"(?:is |are |seems to be |now )+working"),
    ("fixed solved resolved", r"(?:has|have|had) (?:fixed|solved|resolved) (?:it|my|the)"),
    ("fixed solved resolved", r"(?:fixed|solved|resolved) my (?:problem|issue)"),
    ("resolved", r"(?:was|is|been) resolved by"),
    ("problem", r"problem (?:is )?(?:solved|resolved|fixed|(?:completely )?gone)"),
    ("solved resolved fixed", r"(?:issue|it) (?:is )?(?:solved|resolved|fixed) now"),
    ("solved resolved fixed", r"(?:solved|resolved|fixed) it"),
    ("trick", r"did the trick"),
    ("good well fine", r"all (?:is )?(?:good|well|fine)(?: now)?"),
    ("running", r"up and running"),
    ("answer", r"(?:was|is) the answer for me"),
    ("out", r"(?:i|we) (?:worked|figured) it out"),
    ("work working", r"got it (?:to )?work(?:ing)?"),
    (
        "glad happy",
        r"(?:glad|happy) (?:that |it |everything(?:'s| is) )?(?:worked|works|helped|okay|ok)",
    ),
    ("everything", r"everything (?:works|is working|seems fine|looks (?:back to )?normal)"),
    ("thanks thank", r"thanks?,? (?:that|this|it) (?:works|worked|helped)"),
    ("solved resolved", r"(?:solved|resolved)(?=[.!])"),
    # Spanish
    ("funciona funcionó funciono", r"(?:ya )?funcion(?:a|ó|o)(?: bien| perfectamente)?"),
    ("arregló solucionó resolvió", r"(?:eso|esto) (?:lo )?(?:arregló|solucionó|resolvió)"),
    ("solucionado resuelto", r"(?:problema )?(?:solucionado|resuelto)"),
    ("sirvió sirvio", r"me sirvi[oó]"),
    # German
    ("geholfen funktioniert geklappt", r"(?:das )?hat (?:geholfen|funktioniert|geklappt)"),
    ("funktioniert klappt läuft", r"(?:es )?(?:funktioniert|klappt|läuft) (?:jetzt|wieder|nun)"),
    ("gelöst", r"(?:problem )?(?:ist )?gelöst"),
    # Portuguese
    ("funcionou", r"funcionou"),
    ("resolvido solucionado", r"(?:problema )?(?:resolvido|solucionado)"),
    ("resolveu", r"(?:isso|isto) (?:resolveu|funcionou)"),
    ("certo", r"deu certo"),
    ("funcionando", r"(?:j[aá] )?est[aá] funcionando"),
    # French
    (
        "marche marché fonctionne fonctionné",
        r"[çc]a (?:a )?(?:marche|marché|fonctionne|fonctionné)",
    ),
    ("résolu resolu réglé regle", r"(?:probl[eè]me )?(?:r[ée]solu|r[ée]gl[ée])"),
    ("résolu réglé fonctionné", r"(?:cela|ceci) a (?:résolu|réglé|fonctionné)"),
)


def resolution(text: str | _Text) -> list[Evidence]:
    """ "That fixed it" / "thanks, works now": the writer says a problem is
    solved. Negated ("that did not fix it"), conditional ("if that fixes
    it") and interrogative ("did that work?") uses do not count."""
    prepared = _prepare(text)
    for match in _RESOLVED.finditer(prepared):
        if _negated(prepared, match.start()) or _negated_after(prepared, match.end()):
            continue
        if _conditional_or_question(prepared, match.start(), match.end()):
            continue
        return [_evidence(RESOLVED, "acknowledged", prepared, match.start(), match.end())]
    return []


_STILL_BROKEN = _Lexicon(
    (
        "still again",
        r"(?:still|again) (?:not working|broken|fails|failing|crashing|the same|getting|having|"
        r"doesn't|does not|can't|won't)",
    ),
    ("didn doesn did does", r"(?:didn't|did not|doesn't|does not) (?:work|help|fix|solve|change)"),
    ("luck", r"no luck"),
    ("again still", r"same (?:error|result|problem) (?:again|still)"),
    ("solved fixed resolved", r"not (?:solved|fixed|resolved)"),
    ("sigue", r"sigue (?:sin|igual|fallando|dando)"),
    (
        "funcionó funciono sirvió sirvio funcionado sirve",
        r"no (?:funcion[oó]|sirvi[oó]|ha funcionado|me sirve)",
    ),
    ("todavía todavia", r"todav[ií]a no funciona"),
    ("nicht", r"(?:funktioniert|klappt|geht) (?:immer noch|leider|trotzdem) nicht"),
    ("nicht", r"hat (?:leider )?nicht (?:geholfen|funktioniert|geklappt)"),
    ("não nao", r"n[aã]o (?:funcionou|resolveu|deu certo)"),
    ("continua", r"continua (?:com|dando|sem)"),
    ("ainda", r"ainda n[aã]o"),
    ("pas", r"(?:ne )?(?:marche|fonctionne) (?:toujours )?pas"),
    ("marché fonctionné changé résolu", r"n'a (?:pas|rien) (?:marché|fonctionné|changé|résolu)"),
    ("toujours", r"toujours (?:le même|la même|pas)"),
)


def still_broken(text: str | _Text) -> list[Evidence]:
    """ "Still not working" / "that didn't help": a suggested fix failed."""
    prepared = _prepare(text)
    for match in _STILL_BROKEN.finditer(prepared):
        return [_evidence(STILL_BROKEN, "fix_failed", prepared, match.start(), match.end())]
    return []


_THANKS = _Lexicon(
    ("thanks thank thx ty", r"thanks?|thank you|thx|ty"),
    ("gracias", r"gracias"),
    ("danke dank", r"danke|vielen dank"),
    ("obrigado obrigada", r"obrigad[oa]"),
    ("merci", r"merci"),
)


def thanks(text: str | _Text) -> list[Evidence]:
    """Plain gratitude ("thanks", "gracias", "danke", "obrigado", "merci").
    Weaker than a resolution: people thank for a try that did not work too."""
    prepared = _prepare(text)
    for match in _THANKS.finditer(prepared):
        return [_evidence("thanks", "gratitude", prepared, match.start(), match.end())]
    return []


# --- buying intent --------------------------------------------------------------

_BUYING = _Lexicon(
    # English
    (
        "pay",
        r"(?:we|i)(?:'d| would| will| are willing to| am willing to| are happy to| am happy to)"
        r" (?:gladly )?pay",
    ),
    ("pay", r"(?:willing|happy|ready) to pay"),
    ("paid", r"paid (?:support|help|consulting|service)"),
    (
        "consultant contractor freelancer agency expert specialist developer integrator partner",
        r"(?:looking for|need|hire|hiring|recommend) (?:a |an )?(?:consultant|contractor|freelancer|"
        r"agency|expert|specialist|developer|integrator|partner) (?:to|who|for|that)",
    ),
    (
        "quote quotation estimate",
        r"(?:get|need|request|send(?: me| us)?|want) (?:a |an )?(?:quote|quotation|estimate)",
    ),
    ("quote", r"quote for"),
    ("cost charge", r"how much (?:would|will|does) (?:it|this|that|you) (?:cost|charge)"),
    ("budget", r"(?:our |a |the )?budget (?:is|of|for)"),
    ("commercial", r"commercial (?:support|license|licence)"),
    ("rfp proposal", r"rfp|request for proposal"),
    # Spanish
    (
        "pagaríamos pagaria pagaríamos pagaría pagar",
        r"pagar[ií]amos|pagar[ií]a|(?:estamos )?dispuestos? a pagar",
    ),
    (
        "consultor consultora freelance experto empresa desarrollador",
        r"(?:busco|buscamos|necesitamos|necesito) (?:un |una )?(?:consultor|consultora|freelance|"
        r"experto|empresa|desarrollador)",
    ),
    ("presupuesto cotización cotizacion", r"presupuesto|cotizaci[oó]n"),
    ("soporte", r"soporte (?:pagado|comercial)"),
    # German
    ("bezahlen zahlen", r"(?:wir|ich) (?:würden|würde) (?:dafür )?(?:bezahlen|zahlen)"),
    ("bezahlen zahlen", r"bereit (?:dafür )?zu (?:bezahlen|zahlen)"),
    (
        "berater dienstleister freelancer experten entwickler agentur",
        r"(?:suche|suchen) (?:einen |eine )?(?:berater|dienstleister|freelancer|experten|entwickler|agentur)",
    ),
    ("angebot kostenvoranschlag", r"angebot|kostenvoranschlag"),
    (
        "kostenpflichtige kostenpflichtigen",
        r"kostenpflichtige(?:n)? (?:support|unterstützung|hilfe)",
    ),
    # Portuguese
    ("pagaríamos pagariamos pagar", r"pagar[ií]amos|(?:estamos )?dispostos? a pagar"),
    (
        "consultor consultoria freelancer especialista empresa desenvolvedor",
        r"(?:procuro|procuramos|precisamos de|preciso de) (?:um |uma )?(?:consultor|consultoria|"
        r"freelancer|especialista|empresa|desenvolvedor)",
    ),
    ("orçamento orcamento cotação cotacao", r"or[çc]amento|cota[çc][aã]o"),
    ("suporte", r"suporte (?:pago|comercial)"),
    # French
    ("paierions paierais payer", r"nous paierions|je paierais|(?:nous sommes )?prêts? à payer"),
    (
        "consultant prestataire freelance expert intégrateur développeur",
        r"(?:cherche|cherchons|recherche|recherchons) (?:un |une )?(?:consultant|prestataire|"
        r"freelance|expert|intégrateur|développeur)",
    ),
    ("devis", r"devis"),
    ("support", r"support (?:payant|commercial)"),
)


def buying_intent(text: str | _Text) -> list[Evidence]:
    """ "We'd pay", "looking for a consultant to…", "send us a quote"."""
    prepared = _prepare(text)
    for match in _BUYING.finditer(prepared):
        return [_evidence(BUYING_INTENT, "buying_cue", prepared, match.start(), match.end())]
    return []


# --- self-promotion ----------------------------------------------------------------

_DOMAIN = re.compile(
    r"(?:https?://)?(?:www\.)?((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24})\b"
    r"(?:/[^\s)\]>\"']*)?"
)


def normalise_domain(domain: str) -> str:
    """ "https://www.Example.com/x" → "example.com"."""
    domain = domain.strip().lower()
    domain = re.sub(r"^[a-z]+://", "", domain)
    domain = domain.split("/", 1)[0].split(":", 1)[0]
    return domain.removeprefix("www.").rstrip(".")


def self_promotion(text: str | _Text, own_domains: Iterable[str] = ()) -> list[Evidence]:
    """Links to the poster's own domains (or their subdomains). Which domains
    are the poster's own is known elsewhere (profile, playbook) and passed in."""
    owned = {normalise_domain(d) for d in own_domains if d and d.strip()}
    if not owned:
        return []
    prepared = _prepare(text)
    lower = prepared.lower
    if not any(d.split(".", 1)[0] in lower for d in owned):
        return []
    found = []
    for match in _DOMAIN.finditer(lower):
        host = normalise_domain(match.group(1))
        if any(host == d or host.endswith("." + d) for d in owned):
            found.append(
                _evidence(SELF_PROMOTION, "own_domain", prepared, match.start(), match.end())
            )
    return found


# --- all signals of one text ---------------------------------------------------


OPENING_SIGNALS = frozenset({QUESTION, ERROR, VERSION, BUYING_INTENT, SELF_PROMOTION})
REPLY_SIGNALS = frozenset({ME_TOO, RESOLVED, STILL_BROKEN, BUYING_INTENT, SELF_PROMOTION})

_DETECTORS = (
    (QUESTION, question),
    (ERROR, error_trace),
    (VERSION, versions),
    (ME_TOO, me_too),
    (RESOLVED, resolution),
    (STILL_BROKEN, still_broken),
    (BUYING_INTENT, buying_intent),
)


@lru_cache(maxsize=2048)
def _prepared(text: str) -> _Text:
    return _Text(text)


@lru_cache(maxsize=8192)
def _evidence_of(text: str, name: str) -> tuple[Evidence, ...]:
    """One signal of one text, cached: the judge and the text models ask
    about the same opening post."""
    return tuple(dict(_DETECTORS)[name](_prepared(text)))


def detect(
    text: str, own_domains: Iterable[str] = (), only: Iterable[str] | None = None
) -> Signals:
    """Every signal of one text, with its evidence; ``only`` limits it to
    some signals (``OPENING_SIGNALS`` for an opening post: "me too" and
    "that fixed it" are things replies say)."""
    wanted = SIGNAL_NAMES if only is None else frozenset(only)
    unknown = set(wanted) - set(SIGNAL_NAMES)
    if unknown:
        raise ValueError(f"unknown signal {sorted(unknown)[0]!r}")
    text = (text or "")[:MAX_SCAN_CHARS]  # the cache keys stay small
    evidence: list[Evidence] = []
    for name, _ in _DETECTORS:
        if name in wanted:
            evidence += _evidence_of(text, name)
    if SELF_PROMOTION in wanted:
        evidence += self_promotion(_prepared(text), own_domains)
    return Signals(tuple(evidence))


# Features the text models read beside the words. Rules, not words, carry
# across languages and repositories, so they help most when labels are few.
_CODE = re.compile(r"```|^(?: {4}|\t)\S", re.MULTILINE)
SIGNAL_FEATURE_NAMES = (
    "signal:question_mark",
    "signal:interrogative",
    "signal:help_request",
    "signal:error_strong",
    "signal:error_mention",
    "signal:version",
    "signal:code",
    "signal:short",
)
_STRONG_ERROR_RULES = frozenset(
    {"python_traceback", "python_frame", "stack_frame", "exception_name", "error_line", "crash"}
)


@lru_cache(maxsize=4096)
def signal_vector(text: str) -> tuple[float, ...]:
    """The ``SIGNAL_FEATURE_NAMES`` of one text as 0/1 values (sharing the
    cached evidence ``detect`` finds)."""
    text = (text or "")[:MAX_SCAN_CHARS]
    rules = {e.rule for e in _evidence_of(text, QUESTION)}
    error_rules = {e.rule for e in _evidence_of(text, ERROR)}
    raw = text[:MAX_SCAN_CHARS]
    return (
        float("question_mark" in rules),
        float("interrogative" in rules),
        float("help_request" in rules),
        float(bool(error_rules & _STRONG_ERROR_RULES)),
        float("error_message_mention" in error_rules),
        float(bool(_evidence_of(text, VERSION))),
        float(("```" in raw or "    " in raw or "\t" in raw) and bool(_CODE.search(raw))),
        float(len(raw) < 200),
    )


def signal_features(texts: Sequence[str]) -> np.ndarray:
    """A dense (n_texts, len(SIGNAL_FEATURE_NAMES)) 0/1 matrix."""
    out = np.zeros((len(texts), len(SIGNAL_FEATURE_NAMES)), dtype=np.float64)
    for row, text in enumerate(texts):
        out[row] = signal_vector(text)
    return out


# --- thread level ------------------------------------------------------------------


@dataclass(frozen=True)
class Reply:
    """One reply (answer or comment) in a thread, as plain data.

    ``parent`` is the ``id`` of the reply this one answers; ``None`` means it
    answers the opening post. ``created_at`` is seconds since the opening
    post, when known.
    """

    author: str
    text: str
    is_op: bool = False
    is_staff: bool = False
    score: int = 0
    accepted: bool = False
    parent: str | None = None
    id: str | None = None
    created_at: float | None = None


@dataclass(frozen=True)
class MeToo:
    author: str
    reply_index: int
    evidence: Evidence


@dataclass(frozen=True)
class Resolution:
    """A reply that says the problem is solved, and the reply it credits."""

    acknowledged_by: str
    by_op: bool
    reply_index: int
    solver: str | None
    solution_index: int | None
    evidence: Evidence


@dataclass(frozen=True)
class SolvedJudgement:
    probability: float
    solver: str | None
    reasons: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class _Cues:
    me_too: tuple[Evidence, ...]
    resolved: tuple[Evidence, ...]
    still_broken: bool
    thanks: bool


# "Me too" and "that fixed it" open a reply; reading a long answer's code
# for them costs time and finds nothing.
REPLY_SCAN_CHARS = 600


@lru_cache(maxsize=8192)
def _cues(text: str) -> _Cues:
    """The reply-level signals of one reply (callers pass its first
    ``REPLY_SCAN_CHARS``), read once: the thread helpers ask about the same
    replies several times."""
    prepared = _Text(text)
    return _Cues(
        tuple(me_too(prepared)),
        tuple(resolution(prepared)),
        bool(still_broken(prepared)),
        bool(thanks(prepared)),
    )


def me_too_authors(opening: str, replies: Sequence[Reply]) -> list[MeToo]:
    """Each distinct non-OP author who says they have the problem too: every
    one of them is another affected member. Staff confirming a bug are not
    affected users, and the OP repeating themselves adds no one."""
    found: list[MeToo] = []
    seen: set[str] = set()
    for index, reply in enumerate(replies):
        if reply.is_op or reply.is_staff or reply.author in seen:
            continue
        evidence = _cues(reply.text[:REPLY_SCAN_CHARS]).me_too
        if evidence:
            seen.add(reply.author)
            found.append(MeToo(reply.author, index, evidence[0]))
    return found


_MENTION = re.compile(r"@([\w.-]+)")


def _credited_reply(replies: Sequence[Reply], index: int) -> int | None:
    """Which earlier reply an acknowledgement credits: its parent when it has
    one; else the author it @mentions; else the latest earlier reply by
    someone other than the acknowledger (flat forums)."""
    reply = replies[index]
    by_id = {r.id: i for i, r in enumerate(replies[:index]) if r.id is not None}
    if reply.parent is not None and reply.parent in by_id:
        parent_index = by_id[reply.parent]
        if replies[parent_index].author != reply.author:
            return parent_index
    mentions = {m.lower() for m in _MENTION.findall(reply.text)}
    if mentions:
        for i in range(index - 1, -1, -1):
            if replies[i].author.lower() in mentions and replies[i].author != reply.author:
                return i
    if reply.parent is not None and reply.parent in by_id:
        # A comment under an answer by the acknowledger themselves: the OP's
        # own answer solved it.
        return by_id[reply.parent]
    for i in range(index - 1, -1, -1):
        if replies[i].author != reply.author and not replies[i].is_op:
            return i
    return None


def acknowledged_resolutions(opening: str, replies: Sequence[Reply]) -> list[Resolution]:
    """Replies by the OP or by an affected ("me too") member saying the
    problem is solved, each with the reply it credits and that reply's author
    (who solved it). A helper saying "glad it worked" is not counted: only
    the people who had the problem can say it is gone."""
    affected = {m.author for m in me_too_authors(opening, replies)}
    found: list[Resolution] = []
    for index, reply in enumerate(replies):
        if not (reply.is_op or reply.author in affected):
            continue
        evidence = _cues(reply.text[:REPLY_SCAN_CHARS]).resolved
        if not evidence:
            continue
        credited = _credited_reply(replies, index)
        solver = replies[credited].author if credited is not None else None
        found.append(Resolution(reply.author, reply.is_op, index, solver, credited, evidence[0]))
    return found


# Weights of the solved score: a logistic model over the features below.
# Signs come from what a forum reader looks at; sizes were set from a
# logistic fit on the Cardano dump (accepted answers as the target) and
# rounded; bicycles.meta is the held-out check (benchmarks/quality_text.py).
# The asker's own "that fixed it" is rare on Stack Exchange, so its weight
# is a prior, not a fit.
SOLVED_WEIGHTS: dict[str, float] = {
    "bias": -1.7,
    "accepted": 6.0,
    "op_acknowledged": 1.5,
    "affected_acknowledged": 0.7,
    "op_still_broken_last": -0.8,
    "has_answer": 0.8,
    "answers": -0.35,
    "best_answer_score": 1.1,
    "op_engaged": 0.4,
    "op_thanked": 0.5,
    "staff_answer": 0.4,
    "fast_answer": 0.2,
    "late_answer": -0.6,
}


def solved_features(opening: str, replies: Sequence[Reply]) -> dict[str, float]:
    """The facts the solved score combines, as numbers (names match
    ``SOLVED_WEIGHTS``)."""
    answers = [r for r in replies if not r.is_op and r.parent is None]
    acknowledgements = acknowledged_resolutions(opening, replies)
    op_replies = [(i, r) for i, r in enumerate(replies) if r.is_op]
    last_op_ack = max((a.reply_index for a in acknowledgements if a.by_op), default=-1)
    last_op_broken = max(
        (i for i, r in op_replies if _cues(r.text[:REPLY_SCAN_CHARS]).still_broken),
        default=-1,
    )
    first_answer_at = min((r.created_at for r in answers if r.created_at is not None), default=None)
    best = max((r.score for r in replies if not r.is_op), default=0)
    return {
        "accepted": float(any(r.accepted for r in replies)),
        "op_acknowledged": float(last_op_ack >= 0),
        "affected_acknowledged": float(any(not a.by_op for a in acknowledgements)),
        "op_still_broken_last": float(last_op_broken > last_op_ack),
        "has_answer": float(bool(answers)),
        "answers": float(min(len(answers), 5)),
        "best_answer_score": math.copysign(math.log1p(abs(best)), best),
        "op_engaged": float(_op_replied_after_help(replies)),
        "op_thanked": float(_op_thanked(replies)),
        "staff_answer": float(any(r.is_staff and not r.is_op for r in replies)),
        "fast_answer": float(first_answer_at is not None and first_answer_at < 6 * 3600),
        "late_answer": float(first_answer_at is not None and first_answer_at > 30 * 86400),
    }


def _op_thanked(replies: Sequence[Reply]) -> bool:
    """Did the asker thank someone after being helped, without saying it
    still fails?"""
    helped = False
    for reply in replies:
        if not reply.is_op:
            helped = True
        elif (
            helped
            and _cues(reply.text[:REPLY_SCAN_CHARS]).thanks
            and not _cues(reply.text[:REPLY_SCAN_CHARS]).still_broken
        ):
            return True
    return False


def _op_replied_after_help(replies: Sequence[Reply]) -> bool:
    """Did the asker come back after someone else replied?"""
    helped = False
    for reply in replies:
        if not reply.is_op:
            helped = True
        elif helped:
            return True
    return False


def solved_probability(
    opening: str,
    replies: Sequence[Reply],
    weights: dict[str, float] | None = None,
) -> SolvedJudgement:
    """How likely the asker's problem was solved, with who solved it and why.
    Reads only the replies (an ``accepted`` flag counts when the platform
    gives one; evaluations leave it unset)."""
    weights = SOLVED_WEIGHTS if weights is None else weights
    features = solved_features(opening, replies)
    logit = weights.get("bias", 0.0) + sum(
        weights.get(name, 0.0) * value for name, value in features.items()
    )
    probability = 1.0 / (1.0 + math.exp(-logit))
    acknowledgements = acknowledged_resolutions(opening, replies)
    solver = None
    reasons: list[str] = []
    accepted = [r for r in replies if r.accepted]
    if accepted:
        solver = accepted[0].author
        reasons.append(f"accepted answer by {solver}")
    for ack in acknowledgements:
        who = "the asker" if ack.by_op else f"affected member {ack.acknowledged_by}"
        credit = f", crediting {ack.solver}" if ack.solver else ""
        reasons.append(f'{who} said "{ack.evidence.span}"{credit}')
        if solver is None and ack.solver is not None:
            solver = ack.solver
    if features["op_still_broken_last"]:
        reasons.append("the asker's last word says it still fails")
    if not features["has_answer"]:
        reasons.append("no answer yet")
    elif not acknowledgements and not accepted:
        reasons.append(
            f"{int(features['answers'])} answer(s), best score {max((r.score for r in replies if not r.is_op), default=0)}"
        )
    return SolvedJudgement(round(probability, 4), solver, tuple(reasons))
