"""The storyline of the demo corpus, written down as tables.

What the demo must be able to show is decided here rather than left to chance:
which problems recur where and when, who asks, who answers (a founder, an
expert, vendor staff, the competitor) and whether the asker says it worked.
The generator fills in the words; these tables fix the facts that the tests
and the demo rely on (founders answering more as the weeks go by, the mail
problem spreading after the 8.4 release, fresh unanswered threads in the last
week).

Reply plans are space-separated steps, in order:
  m          a "me too" from another member (another country where possible)
  F:who:how  a founder answers; how = steps | short | link | steps+link | steps+nodisc
  E          a recognised expert answers with a solution
  S          vendor staff answer
  C          the competitor answers with a pitch and a link
  X          a member says only the vendor can fix it
  q          someone asks a clarifying question and the asker replies
  A / a      the asker says it worked, and accepts the answer (A) or not (a)
  t          the asker thanks without confirming a fix
Flags: early (Mon/Tue), late (Thu/Fri of the last week), pt / fr (asker writes
Portuguese / French), partner (asks for clients), log (pastes a ~20 KB log),
hostile (title and body a renderer must neutralise).
"""

from __future__ import annotations

from assistant.demo.cast import DE, ES, FORUM, REDDIT

F, R, E, D = FORUM, REDDIT, ES, DE

WEEKS = tuple(range(36, 48))  # ISO weeks 2026-W36 … 2026-W47

# Threads per community and ISO week; the last week is cut at the demo clock.
WEEK_TOTALS = {
    F: (10, 10, 11, 11, 11, 12, 12, 13, 13, 14, 17, 20),
    R: (4, 5, 5, 5, 5, 6, 6, 6, 6, 7, 8, 9),
    E: (3, 4, 4, 4, 4, 4, 5, 5, 5, 5, 6, 7),
    D: (3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 5, 5),
}

GROUPS = {
    "mail-401": {"anchor": "KST-MAIL-401", "capability": "email-channels", "category": "pervasive_solvable"},
    "sla-weekend": {"anchor": "KST-SLA-220", "capability": "sla-automation", "category": "pervasive_solvable"},
    "csv-import": {"anchor": "KST-IMP-17", "capability": "migrations", "category": "pervasive_solvable"},
    "webhook-502": {"anchor": "KST-API-502", "capability": "integrations-api", "category": "pervasive_solvable"},
    "smtp-535": {"anchor": "KST-MAIL-535", "capability": "email-channels", "category": "pervasive_solvable"},
    "escalation-reopen": {"anchor": "reopen_resets_escalation", "capability": "sla-automation",
                          "category": "pervasive_solvable"},
    "mob-9": {"anchor": "KST-MOB-9", "capability": None, "category": "unsolvable"},
    "seat-licence": {"anchor": "KST-LIC-3", "capability": None, "category": "unsolvable"},
}

# (ref, group, community, week, asker, plan, flags)
GROUP_THREADS: tuple[tuple[str, str, str, int, str, str, str], ...] = (
    ("mail1", "mail-401", F, 40, "sarah", "m F:mateo:steps A m m", ""),
    ("mail2", "mail-401", F, 41, "joao", "m F:lucia:steps A m", "pt"),
    ("mail3", "mail-401", R, 41, "kat", "m E C m", ""),
    ("mail4", "mail-401", E, 42, "jorge", "m F:lucia:steps A m", ""),
    ("mail5", "mail-401", F, 43, "priya", "m m S F:lucia:steps A", ""),
    ("mail6", "mail-401", D, 43, "huber", "m F:mateo:steps A", ""),
    ("mail7", "mail-401", F, 44, "erik", "m F:mateo:steps+link A m", "partner"),
    ("mail8", "mail-401", R, 44, "ozzie", "m F:lucia:steps a m", ""),
    ("mail9", "mail-401", E, 44, "diego", "m F:lucia:steps A m", ""),
    ("mail10", "mail-401", F, 45, "bas", "m q E A m", "log"),
    ("mail11", "mail-401", D, 45, "stefan", "m F:mateo:steps A", ""),
    ("mail12", "mail-401", F, 46, "kwame", "m m F:lucia:steps A m", ""),
    ("mail13", "mail-401", R, 46, "goblin", "m F:mateo:steps a m", "hostile"),
    ("mail14", "mail-401", E, 46, "camila", "m F:lucia:steps A", ""),
    ("mail15", "mail-401", F, 47, "lwazi", "m F:mateo:steps A m", "early"),
    ("mail16", "mail-401", R, 47, "tanvir", "", "late"),
    ("mail17", "mail-401", E, 47, "martin", "m m", "late"),
    ("mail18", "mail-401", D, 47, "ursula", "m F:mateo:steps", "early"),
    ("sla1", "sla-weekend", F, 36, "greg", "F:lucia:short m E A", ""),
    ("sla2", "sla-weekend", R, 37, "macro", "C E a m", ""),
    ("sla3", "sla-weekend", E, 38, "valentina", "F:lucia:steps A m", ""),
    ("sla4", "sla-weekend", F, 39, "amelie", "m F:lucia:steps A", "fr"),
    ("sla5", "sla-weekend", D, 40, "markus", "F:mateo:steps A m", ""),
    ("sla6", "sla-weekend", F, 42, "hannah", "m F:mateo:steps A m", ""),
    ("sla7", "sla-weekend", E, 43, "nuria", "m C F:lucia:steps a", ""),
    ("sla8", "sla-weekend", F, 45, "emma", "m F:lucia:steps A", ""),
    ("sla9", "sla-weekend", R, 46, "lonestar", "m E C a", ""),
    ("sla10", "sla-weekend", D, 46, "brunner", "m F:mateo:steps A m", ""),
    ("sla11", "sla-weekend", F, 47, "ben", "", "late"),
    ("sla12", "sla-weekend", E, 47, "fer", "m F:lucia:steps", "early"),
    ("csv1", "csv-import", F, 37, "dkowalski", "E A m", ""),
    ("csv2", "csv-import", R, 39, "csv", "m E a", ""),
    ("csv3", "csv-import", F, 40, "olivia", "F:lucia:link t m E A", ""),
    ("csv4", "csv-import", E, 41, "andres", "F:lucia:steps A", ""),
    ("csv5", "csv-import", F, 43, "helena", "m C E A", ""),
    ("csv6", "csv-import", D, 44, "petra", "E A", ""),
    ("csv7", "csv-import", R, 45, "kiwi", "F:lucia:short t m", ""),
    ("csv8", "csv-import", F, 46, "dave", "m E a m", "partner"),
    ("csv9", "csv-import", E, 47, "integral", "", "late partner"),
    ("hook1", "webhook-502", F, 42, "chen", "m E A", ""),
    ("hook2", "webhook-502", R, 43, "dana", "F:mateo:steps+nodisc a m", ""),
    ("hook3", "webhook-502", F, 44, "mike", "m C m E a", ""),
    ("hook4", "webhook-502", D, 44, "tobias", "m E A", ""),
    ("hook5", "webhook-502", E, 45, "pablo", "m C E A", ""),
    ("hook6", "webhook-502", F, 45, "jessica", "m F:mateo:steps m", ""),
    ("hook7", "webhook-502", R, 46, "samsf", "m S m", ""),
    ("hook8", "webhook-502", F, 47, "yusuf", "m m", "late"),
    ("hook9", "webhook-502", D, 47, "nils", "", "late"),
    ("smtp1", "smtp-535", F, 38, "nick", "F:mateo:steps m", ""),
    ("smtp2", "smtp-535", E, 39, "rodrigo", "F:lucia:steps A", ""),
    ("smtp3", "smtp-535", R, 40, "mrqueue", "E a", ""),
    ("smtp4", "smtp-535", F, 42, "anders", "m E A", ""),
    ("smtp5", "smtp-535", D, 42, "florian", "F:mateo:steps A", ""),
    ("smtp6", "smtp-535", F, 46, "zoe", "m C m E a", ""),
    ("esc1", "escalation-reopen", F, 37, "rachel", "F:mateo:steps A", ""),
    ("esc2", "escalation-reopen", E, 40, "javier", "E A", ""),
    ("esc3", "escalation-reopen", F, 44, "sofie", "m E A", ""),
    ("esc4", "escalation-reopen", D, 45, "reto", "m E a", ""),
    ("mob1", "mob-9", F, 39, "kenji", "m S m m", ""),
    ("mob2", "mob-9", R, 41, "hero_ph", "m m S", ""),
    ("mob3", "mob-9", D, 43, "sabine", "m S", ""),
    ("mob4", "mob-9", F, 43, "fatima", "m S m", ""),
    ("mob5", "mob-9", E, 44, "luis", "m S m", ""),
    ("mob6", "mob-9", R, 45, "mumbai", "m C X m", ""),
    ("mob7", "mob-9", F, 46, "matt", "m m S", ""),
    ("seat1", "seat-licence", F, 38, "noah", "S t", ""),
    ("seat2", "seat-licence", E, 40, "sebas", "m S t", ""),
    ("seat3", "seat-licence", R, 42, "quiet", "X m", ""),
    ("seat4", "seat-licence", F, 45, "isabel", "m S", ""),
    ("seat5", "seat-licence", D, 47, "claudia", "S", "early"),
)

# One-off threads whose shape matters: (ref, kind, community, week, asker, plan, flags).
# asker "" = chosen by the generator; None = a deleted account.
SPECIAL_THREADS: tuple[tuple[str, str, str, int, str | None, str, str], ...] = (
    ("howto_mateo", "howto", F, 41, "", "F:mateo:steps t", "email"),
    ("howto_lucia_r", "howto", R, 42, "", "F:lucia:short t", "email"),
    ("howto_lucia_es", "howto", E, 45, "", "F:lucia:steps A", "email"),
    ("howto_open_f", "howto", F, 47, "", "", "late"),
    ("howto_open_r", "howto", R, 47, "", "", "late"),
    ("howto_open_e", "howto", E, 47, "", "", "late"),
    ("bug_open", "bug", F, 44, "", "", ""),
    ("deleted_asker", "howto", F, 38, None, "E", ""),
    ("chat_deleted_reply", "chat", R, 44, "", "", "deleted"),
)

# Announcements by vendor staff: (community, week, release version or None, index into ANNOUNCE_OTHER)
ANNOUNCEMENTS: tuple[tuple[str, int, str | None, int | None], ...] = (
    (F, 36, None, 0), (F, 37, "8.3.2", None), (F, 39, None, 4), (F, 40, "8.4.0", None),
    (F, 41, None, 1), (F, 43, "8.4.1", None), (F, 44, None, 2), (F, 46, "8.4.2", None), (F, 47, None, 3),
    (R, 40, "8.4.0", None), (R, 46, "8.4.2", None),
    (E, 40, "8.4.0", None), (E, 41, None, 0), (E, 43, "8.4.1", None), (E, 46, "8.4.2", None),
    (D, 40, "8.4.0", None), (D, 41, None, 0), (D, 43, "8.4.1", None), (D, 46, "8.4.2", None),
)

WEEKLY = {
    F: WEEKS,
    R: tuple(range(38, 48)),
    E: (37, 39, 41, 43, 45, 47),
    D: (37, 40, 43, 45, 47),
}

CHATBRIDGE_THREADS = ((F, 38, 0), (F, 45, 1), (R, 41, 2))
TOOL_THREAD = (R, 46)

# The review thread: (week, person, index into REVIEWS); the founder replies to critical ones.
REVIEW_POSTS = (
    (38, "greg", 2), (42, "sarah", 0), (42, "joao", 9), (43, "hannah", 3), (44, "chen", 5),
    (44, "dave", 6), (45, "olivia", 7), (46, "jessica", 1), (46, "erik", 4), (47, "emma", 8),
)

# Leads the founders recorded: (thread ref, person, stage, value in USD, country, days after the founder's answer)
LEADS = (
    ("mail1", "sarah", "customer", 4800, "US", 5),
    ("mail6", "huber", "customer", 3600, "AT", 4),
    ("mail9", "diego", "lead", 2500, "MX", 3),
    ("hook2", "dana", "contacted", 1200, "CA", 2),
    ("mail7", "erik", "lead", 6000, "SE", 6),
    ("sla3", "valentina", "customer", 1800, "CO", 7),
    ("sla8", "emma", "contacted", 1500, "GB", 4),
)
