"""Invented multilingual problem reports with a known same-problem truth.

Real duplicate links across languages do not exist in any public dump, so the
grouping benchmark writes its own: a few hundred problems of an imaginary
product ("Ledgerly"), each with an error code, an English error message and a
config key, reported by members writing in seven languages. Threads of one
problem share only those anchors when their languages differ; threads of
different problems in one language share the template, the feature area, the
product and the versions — which is what makes the set hard in both
directions. Every sentence here is written for this benchmark.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

LANGUAGES = ("en", "de", "fr", "es", "pt", "it", "nl")

AREAS = {
    "sync": ("syncing", "Synchronisieren", "synchronisation", "sincronización", "sincronização", "sincronizzazione", "synchroniseren"),
    "install": ("installing", "Installieren", "installation", "instalación", "instalação", "installazione", "installeren"),
    "login": ("logging in", "Anmelden", "connexion", "inicio de sesión", "login", "accesso", "inloggen"),
    "export": ("exporting", "Exportieren", "exportation", "exportación", "exportação", "esportazione", "exporteren"),
    "backup": ("the backup", "Sicherung", "sauvegarde", "copia de seguridad", "backup", "backup", "back-up"),
    "update": ("updating", "Aktualisieren", "mise à jour", "actualización", "atualização", "aggiornamento", "bijwerken"),
    "print": ("printing", "Drucken", "impression", "impresión", "impressão", "stampa", "afdrukken"),
    "upload": ("uploading", "Hochladen", "téléversement", "subida", "envio", "caricamento", "uploaden"),
    "payment": ("payments", "Zahlung", "paiement", "pago", "pagamento", "pagamento", "betaling"),
    "notify": ("notifications", "Benachrichtigungen", "notifications", "notificaciones", "notificações", "notifiche", "meldingen"),
    "import": ("importing", "Importieren", "importation", "importación", "importação", "importazione", "importeren"),
    "search": ("search", "Suche", "recherche", "búsqueda", "pesquisa", "ricerca", "zoeken"),
}

TEMPLATES = {
    "en": (
        "Since I upgraded Ledgerly to {version}, {area} fails with {anchor}. {context} Any idea?",
        "{area} stopped working on {os}: {anchor}. {context} I already restarted twice.",
        "Getting {anchor} every time I try {area} in Ledgerly {version}. {context}",
        "Is anyone else seeing {anchor} when {area}? {context} It worked last week.",
    ),
    "de": (
        "Seit dem Update auf Ledgerly {version} schlägt das {area} fehl: {anchor}. {context} Hat jemand eine Idee?",
        "Beim {area} unter {os} bekomme ich {anchor}. {context} Neustart hilft nicht.",
        "Ich erhalte {anchor} jedes Mal beim {area} in Ledgerly {version}. {context}",
        "Hat noch jemand {anchor} beim {area}? {context} Letzte Woche ging es noch.",
    ),
    "fr": (
        "Depuis la mise à niveau vers Ledgerly {version}, la {area} échoue avec {anchor}. {context} Une idée ?",
        "La {area} ne fonctionne plus sous {os} : {anchor}. {context} J'ai déjà redémarré.",
        "J'obtiens {anchor} à chaque {area} dans Ledgerly {version}. {context}",
        "Quelqu'un d'autre voit {anchor} pendant la {area} ? {context} Ça marchait la semaine dernière.",
    ),
    "es": (
        "Desde que actualicé Ledgerly a {version}, la {area} falla con {anchor}. {context} ¿Alguna idea?",
        "La {area} dejó de funcionar en {os}: {anchor}. {context} Ya reinicié dos veces.",
        "Me aparece {anchor} cada vez que intento la {area} en Ledgerly {version}. {context}",
        "¿A alguien más le sale {anchor} durante la {area}? {context} La semana pasada funcionaba.",
    ),
    "pt": (
        "Desde que atualizei o Ledgerly para {version}, a {area} falha com {anchor}. {context} Alguma ideia?",
        "A {area} parou de funcionar no {os}: {anchor}. {context} Já reiniciei duas vezes.",
        "Recebo {anchor} toda vez que tento a {area} no Ledgerly {version}. {context}",
        "Mais alguém vê {anchor} na {area}? {context} Semana passada funcionava.",
    ),
    "it": (
        "Da quando ho aggiornato Ledgerly alla {version}, la {area} fallisce con {anchor}. {context} Qualche idea?",
        "La {area} non funziona più su {os}: {anchor}. {context} Ho già riavviato due volte.",
        "Ricevo {anchor} ogni volta che provo la {area} in Ledgerly {version}. {context}",
        "Qualcun altro vede {anchor} durante la {area}? {context} La settimana scorsa andava.",
    ),
    "nl": (
        "Sinds de upgrade naar Ledgerly {version} mislukt het {area} met {anchor}. {context} Iemand een idee?",
        "Het {area} werkt niet meer op {os}: {anchor}. {context} Ik heb al twee keer herstart.",
        "Ik krijg {anchor} elke keer bij het {area} in Ledgerly {version}. {context}",
        "Ziet iemand anders ook {anchor} bij het {area}? {context} Vorige week werkte het nog.",
    ),
}

CONTEXTS = {
    "en": ("My setting {config} is unchanged.", "The log ends right after that line.", "I'm on the desktop app.", "Support hasn't replied yet.", ""),
    "de": ("Die Einstellung {config} habe ich nicht geändert.", "Das Protokoll endet direkt danach.", "Ich nutze die Desktop-App.", "Der Support antwortet nicht.", ""),
    "fr": ("Le paramètre {config} n'a pas changé.", "Le journal s'arrête juste après.", "J'utilise l'application de bureau.", "Le support n'a pas répondu.", ""),
    "es": ("No he cambiado el ajuste {config}.", "El registro termina justo ahí.", "Uso la aplicación de escritorio.", "Soporte no ha contestado.", ""),
    "pt": ("Não mudei a configuração {config}.", "O log termina logo depois.", "Uso o aplicativo desktop.", "O suporte ainda não respondeu.", ""),
    "it": ("Non ho cambiato l'impostazione {config}.", "Il log finisce subito dopo.", "Uso l'app desktop.", "Il supporto non ha risposto.", ""),
    "nl": ("De instelling {config} heb ik niet aangepast.", "Het logboek stopt daarna.", "Ik gebruik de desktop-app.", "Support heeft nog niet gereageerd.", ""),
}

VAGUE = {
    "en": "an error", "de": "einen Fehler", "fr": "une erreur", "es": "un error",
    "pt": "um erro", "it": "un errore", "nl": "een fout",
}

SUBJECTS = ("Timeout", "Checksum mismatch", "Permission denied", "Invalid token", "Connection reset", "Quota exceeded", "Schema version", "Lock held", "Certificate expired", "Unexpected end")
OBJECTS = ("block header", "ledger file", "session cache", "remote peer", "archive index", "print spooler", "payment gateway", "search shard", "upload chunk", "config store", "notification queue", "import mapping")
PREPOSITIONS = ("while reading", "on", "for", "in", "after writing")
QUALIFIERS = ("(code 1)", "(code 2)", "(retrying)", "(fatal)", "at offset 0", "after 30s", "for user", "in worker", "on startup", "on shutdown", "at step 2", "at step 3")
CONFIG_SECTIONS = ("sync", "net", "cache", "store", "auth", "ui", "print", "pay")
CONFIG_KEYS = ("max_peers", "timeout_ms", "retry_limit", "chunk_size", "use_proxy", "strict_mode", "batch_size", "keep_alive")
OSES = ("Windows 11", "macOS 14", "Ubuntu 22.04", "Android 14", "iOS 17")
VERSIONS = ("3.2.0", "3.2.1", "3.3.0", "4.0.0", "4.0.1")


@dataclass(frozen=True, slots=True)
class Problem:
    problem_id: int
    area: str
    code: str
    message: str
    config: str


def make_problem(problem_id: int, rng: random.Random, used: set[str]) -> Problem:
    """A problem with its own code and message: two different problems never
    quote the same error (that would make them one problem)."""
    for _ in range(20):
        problem = _draw_problem(problem_id, rng)
        if problem.code not in used and problem.message not in used:
            break
    else:  # the phrase book is exhausted on very large sets: name the module
        problem = _draw_problem(problem_id, rng)
        problem = Problem(
            problem_id, problem.area, f"{problem.code}-{problem_id}", f"{problem.message} in module m{problem_id}", problem.config
        )
    used.update((problem.code, problem.message))
    return problem


def _draw_problem(problem_id: int, rng: random.Random) -> Problem:
    style = rng.randrange(4)
    if style == 0:
        code = f"E{rng.randrange(1000, 10000)}"
    elif style == 1:
        code = f"0x8{rng.randrange(0x1000000, 0x10000000):07X}"
    elif style == 2:
        code = f"LDG-{rng.randrange(100, 1000)}"
    else:
        code = f"ERR_{rng.choice(OBJECTS).split()[0].upper()}_{rng.choice(SUBJECTS).split()[0].upper()}_{rng.randrange(10, 100)}"
    message = f"{rng.choice(SUBJECTS)} {rng.choice(PREPOSITIONS)} {rng.choice(OBJECTS)} {rng.choice(QUALIFIERS)}"
    config = f"{rng.choice(CONFIG_SECTIONS)}.{rng.choice(CONFIG_KEYS)}"
    return Problem(problem_id, rng.choice(sorted(AREAS)), code, message, config)


def write_thread(problem: Problem, language: str, rng: random.Random) -> str:
    """One report of a problem in one language; anchors appear at random and
    about one report in ten names none of them (only the area and "an error")."""
    index = LANGUAGES.index(language)
    parts = []
    if rng.random() < 0.75:
        parts.append(problem.code)
    if rng.random() < 0.55:
        parts.append(f'"{problem.message}"')
    anchor = " / ".join(parts) if parts else VAGUE[language]
    context = rng.choice(CONTEXTS[language])
    if "{config}" in context and rng.random() < 0.5:
        context = context.format(config=problem.config)
    elif "{config}" in context:
        context = ""
    template = rng.choice(TEMPLATES[language])
    return template.format(
        version=rng.choice(VERSIONS),
        area=AREAS[problem.area][index],
        anchor=anchor,
        context=context,
        os=rng.choice(OSES),
    ).replace("  ", " ")


def multilingual_set(n_threads: int, seed: int = 7, mean_group: float = 4.0) -> list[dict]:
    """Rows ``{"id", "text", "group", "language"}`` in arrival order; a
    problem reported once has group null (a singleton)."""
    rng = random.Random(seed)
    sizes: list[int] = []
    while sum(sizes) < n_threads:
        sizes.append(min(1 + int(rng.expovariate(1.0 / (mean_group - 1))), n_threads - sum(sizes)))
    used: set[str] = set()
    problems = [make_problem(i, rng, used) for i in range(len(sizes))]
    slots = [(problem, size) for problem, size in zip(problems, sizes, strict=True) for _ in range(size)]
    rng.shuffle(slots)
    rows = []
    for number, (problem, size) in enumerate(slots):
        language = rng.choice(LANGUAGES)
        rows.append(
            {
                "id": f"t{number}",
                "text": write_thread(problem, language, rng),
                "group": f"p{problem.problem_id}" if size > 1 else None,
                "language": language,
            }
        )
    return rows
