"""Language-independent terms of a problem report, hashed to stable integers.

Two people describing the same problem in different languages still paste the
same error code, quote the same error message, name the same config key,
version, file or URL. Those *anchors* weigh most; ordinary words weigh less and
their character n-grams let cognates ("configuration", "configuración") meet.
Terms are hashed with CRC-32 seeded per kind of term, so the ids are identical
in every process and can be stored; Python's own ``hash`` is salted per run.
"""

from __future__ import annotations

import math
import re
import unicodedata
import zlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from zlib import crc32

# How much one occurrence of each kind of term counts before idf.
WEIGHTS = {
    "word": 1.0,
    "prefix": 0.5,
    "ngram": 0.2,
    "number": 1.0,
    "version": 1.5,
    "ident": 2.0,
    "code": 3.0,
    "quote": 3.0,
    "url": 2.5,
    "host": 1.5,
    "glossary": 2.5,
}
# A distinct CRC seed per kind keeps "error" the word apart from "ERROR" the code.
_SEEDS = {kind: zlib.crc32(kind.encode()) for kind in WEIGHTS}
# Error codes and quoted messages name one problem; their ids carry the top
# bit so that grouping can tell two *different* error codes apart cheaply.
# The playbook's glossary terms are soft anchors (top two bits): sharing one
# is strong evidence, but two different product terms are no contradiction.
ANCHOR_KINDS = frozenset({"code", "quote"})
SOFT_ANCHOR_KINDS = frozenset({"glossary"})
ANCHOR_BIT = 0x80000000
SOFT_BITS = 0xC0000000
_LOW_BITS = 0x7FFFFFFF
_HARD_BITS = 0x3FFFFFFF


def _tag(kind: str, tid: int) -> int:
    if kind in ANCHOR_KINDS:
        return (tid & _HARD_BITS) | ANCHOR_BIT
    if kind in SOFT_ANCHOR_KINDS:
        return tid | SOFT_BITS
    return tid & _LOW_BITS


def is_hard_anchor(term: int) -> bool:
    return ANCHOR_BIT <= term < SOFT_BITS


def is_anchor(term: int) -> bool:
    return term >= ANCHOR_BIT


MAX_CHARS = 800  # the problem is stated first; measured: more text groups worse

_TOKEN_RE = re.compile(r"\w[\w.\-]*\w|\w")
_CAMEL_RE = re.compile(r"[a-zA-Z][a-z]+[A-Z][a-zA-Z]*|[a-z]+[A-Z][a-zA-Z]*")
_WORD_RE = re.compile(r"[^\W\d_]{3,}")
_CODE_RE = re.compile(r"(?=[\w\-]*\d)[A-Za-z0-9]{2,}(?:[_\-][A-Za-z0-9]+)*|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")
_URL_RE = re.compile(r"https?://([^\s/<>\"')\]]+)(/[^\s/<>\"')\]?#]*)?", re.IGNORECASE)
_QUOTE_RE = re.compile(
    r"\"([^\"\n]{6,200})\"|`([^`\n]{3,200})`|“([^”\n]{6,200})”|«([^»\n]{6,200})»|„([^“”\n]{6,200})[“”]"
)
_VERSION_RE = re.compile(r"v?\d+(?:\.\d+){1,3}[a-z]?\d*", re.IGNORECASE)
ERROR_WORDS = frozenset(
    ["error", "err", "errno", "code", "status", "exit", "fehler", "fehlercode", "erreur", "codigo", "errore", "fout", "ошибка"]
)
_HEX_RE = re.compile(r"0x[0-9a-f]{3,}", re.IGNORECASE)
# Dates and clock times (a pasted log's "2026-09-21 10:22:39Z"): two reports
# written the same day share them, so they must not count as error codes.
_DATE_TIME_RE = re.compile(
    r"(?:19|20)\d\d-\d{1,2}-\d{1,2}(?:t\d{1,2})?|\d{1,2}[-./]\d{1,2}[-./](?:19|20)\d\d|\d{1,2}z",
    re.IGNORECASE,
)
_SPACE_RE = re.compile(r"\s+")
_TF = [0.0] + [1.0 + math.log(n) for n in range(1, 64)]

# Function words of the languages forums are most often written in; idf would
# learn them too, but only after a few thousand threads.
STOPWORDS = frozenset(
    ["the", "and", "for", "are", "but", "not", "you", "your", "with", "this", "that", "from", "have", "has", "had", "was", "were", "been", "can", "could", "would", "should", "will", "just", "any", "all", "some", "get", "got", "what", "when", "where", "which", "who", "how", "why", "there", "their", "they", "them", "then", "than", "into", "out", "about", "also", "only", "very", "much", "more", "one", "two", "its", "it's", "i'm", "don't", "doesn't", "didn't", "can't", "isn't", "won't", "does", "did", "here", "same", "still", "now", "after", "before", "because", "while", "other", "each", "using", "use", "used", "like", "want", "need", "trying", "tried", "try", "please", "thanks", "thank", "help", "anyone", "someone", "know", "does", "problem", "issue", "question", "hello", "hi", "hey", "regards", "der", "die", "das", "und", "ist", "nicht", "ich", "mit", "auf", "für", "ein", "eine", "einen", "dem", "den", "des", "sich", "auch", "wie", "was", "wenn", "aber", "bei", "nach", "oder", "noch", "kann", "habe", "hat", "wird", "sind", "mein", "meine", "bitte", "les", "des", "une", "est", "pas", "que", "qui", "dans", "pour", "sur", "avec", "mais", "par", "plus", "mon", "mes", "sont", "ont", "comme", "fait", "peut", "tout", "cette", "vous", "nous", "bonjour", "merci", "quand", "depuis", "los", "las", "del", "por", "con", "una", "para", "como", "pero", "más", "mas", "sus", "este", "esta", "hay", "muy", "cuando", "desde", "tengo", "hola", "gracias", "sin", "sobre", "não", "nao", "uma", "com", "por", "para", "mais", "como", "mas", "meu", "minha", "tem", "quando", "obrigado", "olá", "ola", "che", "non", "una", "per", "con", "sono", "alla", "della", "come", "mio", "quando", "grazie", "ciao", "het", "een", "van", "niet", "dat", "met", "voor", "zijn", "ook", "maar", "bij", "als", "naar", "heb", "mijn"]
)




_COMBINING_RE = re.compile(r"[\u0300-\u036f]+")


def fold_accents(text: str) -> str:
    """``configuración`` → ``configuracion``; ASCII text costs nothing."""
    if text.isascii():
        return text
    return _COMBINING_RE.sub("", unicodedata.normalize("NFKD", text))


def term_id(kind: str, text: str) -> int:
    """The stable 32-bit id of a term of one kind."""
    return _tag(kind, crc32(text.encode("utf-8", "surrogatepass"), _SEEDS[kind]))


@dataclass(frozen=True, slots=True)
class Glossary:
    """The playbook's vocabulary: local or translated names of one thing
    mapped to one canonical term (``{"mot de passe": "password"}``). A term
    mapped to itself marks a product term worth more than an ordinary word."""

    single: Mapping[str, str]
    phrases: re.Pattern[str] | None
    phrase_map: Mapping[str, str]
    # token → its terms, for this glossary: a forum's vocabulary repeats, so
    # each distinct token is analysed once (bounded; cleared when full).
    cache: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    @classmethod
    def build(cls, entries: Mapping[str, str] | None) -> Glossary:
        single: dict[str, str] = {}
        phrase_map: dict[str, str] = {}
        for raw_key, raw_value in (entries or {}).items():
            key = _SPACE_RE.sub(" ", fold_accents(raw_key.strip().lower()))
            value = _SPACE_RE.sub("_", fold_accents(raw_value.strip().lower()))
            if not key or not value:
                continue
            if _SPACE_RE.search(key) or not _TOKEN_RE.fullmatch(key):
                phrase_map[key] = value
            else:
                single[key] = value
        phrases = None
        if phrase_map:
            alternatives = sorted(phrase_map, key=len, reverse=True)
            phrases = re.compile(
                r"(?<!\w)(?:" + "|".join(re.escape(p) for p in alternatives) + r")(?!\w)",
                re.IGNORECASE,
            )
        return cls(single=single, phrases=phrases, phrase_map=phrase_map)


EMPTY_GLOSSARY = Glossary.build(None)


TOKEN_CACHE_SIZE = 100_000  # distinct tokens remembered per glossary (~50 MB at most)

_Entry = tuple[tuple[int, ...], dict[int, float], dict[int, str], bool]


def extract_terms(
    text: str,
    glossary: Glossary = EMPTY_GLOSSARY,
    ngram: int = 4,
    ngram_min_length: int = 10,
) -> tuple[dict[int, float], dict[int, str]]:
    """Weighted terms of one text (sublinear term frequency, before idf) and a
    readable label for the terms a reader can recognise (words, codes,
    identifiers, quotes — not prefixes or n-grams), so a grouping can say
    which terms it shared."""
    text = text[:MAX_CHARS]
    ids: list[int] = []
    base: dict[int, float] = {}
    labels: dict[int, str] = {}

    def add(kind: str, value: str) -> None:
        tid = _tag(kind, crc32(value.encode("utf-8", "surrogatepass"), _SEEDS[kind]))
        ids.append(tid)
        base[tid] = WEIGHTS[kind]
        labels[tid] = value

    if "://" in text:
        for host, path in _URL_RE.findall(text):
            host = host.lower().removeprefix("www.")
            add("host", host)
            segment = path.strip("/").split("/", 1)[0] if path else ""
            if segment:
                add("url", f"{host}/{segment.lower()}")
        text = _URL_RE.sub(" ", text)
    if '"' in text or "`" in text or "“" in text or "«" in text or "„" in text:
        for groups in _QUOTE_RE.findall(text):
            quoted = next(g for g in groups if g)
            phrase = _SPACE_RE.sub(" ", fold_accents(quoted.lower())).strip(" .:")
            if len(phrase) >= 3:
                add("quote", phrase)

    plain = fold_accents(text)
    if glossary.phrases is not None:
        for found in glossary.phrases.findall(plain):
            add("glossary", glossary.phrase_map[_SPACE_RE.sub(" ", found.lower())])
        plain = glossary.phrases.sub(" ", plain)

    tokens = _TOKEN_RE.findall(plain)
    cache = glossary.cache.get((ngram, ngram_min_length))
    if cache is None or len(cache) > TOKEN_CACHE_SIZE:
        cache = glossary.cache[(ngram, ngram_min_length)] = {}
        glossary.cache[("weights", ngram, ngram_min_length)] = {}
        glossary.cache[("labels", ngram, ngram_min_length)] = {}
    known_weights = glossary.cache[("weights", ngram, ngram_min_length)]
    known_labels = glossary.cache[("labels", ngram, ngram_min_length)]
    extend = ids.extend
    numbers = False
    for token in tokens:
        entry = cache.get(token)
        if entry is None:
            terms, weights, readable, is_number = _token_terms(token, glossary.single, ngram, ngram_min_length)
            known_weights.update(weights)
            known_labels.update(readable)
            entry = cache[token] = (terms, is_number)
        extend(entry[0])
        numbers = numbers or entry[1]
    if numbers:
        for before, token in pairwise(tokens):
            if len(token) >= 3 and token.isdigit() and before.lower() in ERROR_WORDS:
                add("code", token)  # "error 1603", "Fehler: 403", "código 500"
    tf = _TF
    vector = {}
    for tid, count in Counter(ids).items():
        weight = base.get(tid)
        if weight is None:
            weight = known_weights[tid]
            label = known_labels.get(tid)
            if label is not None:
                labels[tid] = label
        vector[tid] = weight * (tf[count] if count < 64 else 1.0 + math.log(count))
    return vector, labels


def _token_terms(token: str, single: Mapping[str, str], ngram: int, ngram_min_length: int) -> _Entry:
    """Everything one token contributes: (term ids with repeats, weight of
    each, labels of the readable ones, whether it is a number that an error
    word before it could make an error code)."""
    ids: list[int] = []
    weights: dict[int, float] = {}
    labels: dict[int, str] = {}

    def put(kind: str, value: str, label: bool = True) -> None:
        tid = _tag(kind, crc32(value.encode("utf-8", "surrogatepass"), _SEEDS[kind]))
        ids.append(tid)
        weights[tid] = WEIGHTS[kind]
        if label:
            labels[tid] = value

    def word(low: str) -> None:
        canonical = single.get(low) if single else None
        if canonical is not None:
            put("glossary", canonical)
            return
        if len(low) < 3 or low in STOPWORDS:
            return
        put("word", low)
        if len(low) >= 6:
            put("prefix", low[:5], label=False)
        if ngram and len(low) >= ngram_min_length:
            for start in range(len(low) - ngram + 1):
                put("ngram", low[start : start + ngram], label=False)

    if token.isalpha():
        if len(token) >= 3 and not token.islower() and _CAMEL_RE.fullmatch(token):
            put("ident", token.lower())  # camelCase: an identifier
        word(token.lower())
        return tuple(ids), weights, labels, False
    if token.isdigit():
        if len(token) >= 3:
            put("number", token)
        return tuple(ids), weights, labels, len(token) >= 3
    _mixed_terms(token, single, put, word)
    return tuple(ids), weights, labels, False


def _mixed_terms(token: str, single: Mapping[str, str], put, word) -> None:
    """Tokens mixing letters, digits and punctuation: codes, versions,
    identifiers. They carry most of what makes a problem recognisable."""
    token = token.strip(".-_")
    if len(token) < 2:
        return
    low = token.lower()
    canonical = single.get(low) if single else None
    if canonical is not None:
        put("glossary", canonical)
        return
    if token.isdigit():
        if len(token) >= 3:
            put("number", token)
        return
    if _DATE_TIME_RE.fullmatch(token):
        return
    if _VERSION_RE.fullmatch(token):
        put("version", low.removeprefix("v"))
        return
    if _HEX_RE.fullmatch(token):
        put("code", low)
        return
    if not token.islower() and _CODE_RE.fullmatch(token):
        put("code", token.upper())  # E1042, ERR_SOCKET_CLOSED, KB50123
        return
    put("ident", low)  # config.yaml, cardano-node, max_connections
    for part in _WORD_RE.findall(low):
        word(part)
