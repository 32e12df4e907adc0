"""Community scouting: a community of unanswered, solvable, international
problems ranks above a chatty local one, with exact shares and reasons, and
nothing is written to the user's database. Text here is invented for the tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant import scout
from assistant.cli import cli
from playbooks import load_playbook
from tests.builders import member_line, post, thread_line, write_lines, write_playbook

CORPUS = Path(__file__).resolve().parent.parent / "assistant" / "demo" / "corpus"

PLACES = {"ana": "Porto, Portugal", "bo": "Berlin, Germany", "cy": "Lima, Peru",
          "dee": "Accra, Ghana", "eri": "Osaka, Japan", "fay": "Pune, India"}
GLOBAL_THREADS = [
    ("ana", "Mailbox fetch fails after the password change",
     "Our imap mailbox stopped creating tickets on Monday. How can I fix this error?"),
    ("bo", "Postfach holt keine Mails mehr ab",
     "Seit dem Update holt unser imap Postfach keine Mails mehr ab. Weiß jemand, warum das "
     "passiert und wie man es behebt?"),
    ("cy", "El buzón no crea tickets desde ayer",
     "Desde ayer el buzón imap no crea tickets y no funciona la conexión. ¿Cómo lo arreglo?"),
    ("dee", "SMTP replies bounce from the support mailbox",
     "Every reply from the smtp mailbox bounces with an authentication error. Any idea why?"),
    ("eri", "Mailbox shows a certificate error",
     "The mailbox settings page fails with a certificate error when we test imap. Help?"),
    ("fay", "Shared mailbox stopped syncing",
     "Our shared mailbox stopped syncing after IT moved the imap server. How do we fix it?"),
    ("ana", "SMTP relay rejected after the upgrade",
     "Since the upgrade the smtp relay rejects our outgoing mail with an error. Why?"),
    ("bo", "Fehler beim SMTP Versand aus dem Postfach",
     "Der smtp Versand aus dem Postfach schlägt mit einem Fehler fehl. Was kann ich tun?"),
]
ANSWERED = {"1", "4", "7"}

LOCAL_THREADS = [
    ("luz", "Fotos del encuentro en Medellín", "Gracias a todos por venir al encuentro del sábado."),
    ("raul", "Almuerzo el viernes", "Nos vemos el viernes a la una en el sitio de siempre."),
    ("sol", "Nuevo diseño del logo del grupo", "Les comparto el nuevo logo que hizo mi prima."),
    ("tito", "Bienvenidos los nuevos miembros", "Hoy se unieron cinco personas nuevas al grupo."),
    ("luz", "Resultados del torneo de fútbol", "Ganamos tres a uno, qué partidazo el de anoche."),
    ("raul", "¿Cómo cambio el idioma del portal?", "¿Cómo cambio el idioma del portal a español?"),
]


def global_lines() -> list[str]:
    lines = [member_line(handle, location=place) for handle, place in PLACES.items()]
    for n, (author, title, body) in enumerate(GLOBAL_THREADS, start=1):
        posts = []
        if str(n) in ANSWERED:
            posts = [post(f"g{n}-1", "eri" if author != "eri" else "fay",
                          f"2026-11-{n + 1:02d}T12:00:00Z", "Re-authorise the mailbox in the admin.")]
        lines.append(thread_line(str(n), title, author, f"2026-11-{n + 1:02d}T08:00:00Z", body,
                                 posts=posts))
    return lines


def local_lines() -> list[str]:
    lines = [member_line(h, location="Medellín, Colombia") for h in ("luz", "raul", "sol", "tito")]
    for n, (author, title, body) in enumerate(LOCAL_THREADS, start=1):
        replies = [post(f"l{n}-{k}", other, f"2026-11-{n + 1:02d}T{9 + k:02d}:00:00Z",
                        "¡Qué bien! Nos vemos allá.")
                   for k, other in enumerate(h for h in ("luz", "raul", "sol", "tito") if h != author)]
        lines.append(thread_line(str(n), title, author, f"2026-11-{n + 1:02d}T08:00:00Z", body,
                                 posts=replies))
    return lines


@pytest.fixture
def candidates(tmp_path: Path):
    write_playbook(tmp_path)
    write_lines(tmp_path / "global.jsonl", global_lines())
    write_lines(tmp_path / "local.jsonl", local_lines())
    return load_playbook(tmp_path / "beachhead.toml"), tmp_path


def test_unanswered_solvable_international_ranks_above_chatty_local(candidates):
    playbook, tmp_path = candidates
    fits = scout.scout(playbook, [f"jsonl:{tmp_path / 'local.jsonl'}",
                                  f"jsonl:{tmp_path / 'global.jsonl'}"])
    best, other = fits
    assert best.spec.endswith("global.jsonl") and other.spec.endswith("local.jsonl")
    assert best.fit > other.fit
    assert (best.sampled, best.problem_share, best.solvable_share, best.unanswered_share) == (
        8, 1.0, 1.0, 0.625)
    assert best.countries == ["DE", "GH", "IN", "JP", "PE", "PT"]
    assert best.abroad_share == 1.0
    assert best.capabilities == {"mail": 8}
    assert best.reasons[:3] == ["100% of 8 threads are problems",
                                "100% are problems we can solve (mail 8)",
                                "62% of problems unanswered"]
    assert other.countries == ["CO"]
    assert other.abroad_share == 0.0
    assert other.solvable_share == 0.0
    assert other.unanswered_share == 0.0


def test_sample_takes_the_most_recent_threads(candidates):
    playbook, tmp_path = candidates
    (fit,) = scout.scout(playbook, [f"jsonl:{tmp_path / 'global.jsonl'}"], sample=3)
    assert fit.sampled == 3
    assert fit.unanswered_share == 0.6667  # threads 6, 7, 8: only 7 was answered


def test_unreadable_candidates_come_last_with_their_error(candidates):
    playbook, tmp_path = candidates
    fits = scout.scout(playbook, [f"jsonl:{tmp_path / 'missing.jsonl'}",
                                  f"jsonl:{tmp_path / 'global.jsonl'}"])
    assert fits[0].error is None
    assert fits[1].error == f"community 'scout-1': archive {tmp_path / 'missing.jsonl'} does not exist"


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("sysadmin", "candidate 'sysadmin' is not PLATFORM:LOCATOR (e.g. reddit:r/sysadmin)"),
        ("myspace:tom", "candidate 'myspace:tom': platform 'myspace' is not one of reddit, discourse, "
                        "stackexchange, feed, jsonl"),
    ],
)
def test_bad_candidates_are_named(spec, message):
    with pytest.raises(scout.ScoutError) as raised:
        scout.parse_spec(spec)
    assert str(raised.value) == message


def test_cli_scout_ranks_and_leaves_the_database_alone(candidates):
    _, tmp_path = candidates
    db = tmp_path / "mine.db"
    result = CliRunner().invoke(
        cli, ["--db", str(db), "--playbook", str(tmp_path / "beachhead.toml"), "scout",
              f"jsonl:{tmp_path / 'local.jsonl'}", f"jsonl:{tmp_path / 'global.jsonl'}"],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    first = result.output.index("global.jsonl")
    assert first < result.output.index("local.jsonl")
    assert "62% of problems unanswered" in result.output
    assert not db.exists()


def test_cli_scout_refuses_to_save_into_the_users_database(candidates):
    _, tmp_path = candidates
    db = tmp_path / "mine.db"
    result = CliRunner().invoke(
        cli, ["--db", str(db), "--playbook", str(tmp_path / "beachhead.toml"), "scout",
              "--save", str(db), f"jsonl:{tmp_path / 'global.jsonl'}"])
    assert result.exit_code == 1
    assert result.output == f"Error: --save {str(db)!r} is your own database; choose another file\n"


def test_demo_candidates_rank_the_helpdesk_pros_first():
    if not (CORPUS / "scout-helpdesk-pros.jsonl").exists():
        pytest.skip("the demo's scouting candidates are not in assistant/demo/corpus yet")
    from playbooks import default_playbook_path

    fits = scout.scout(load_playbook(default_playbook_path()),
                       [f"jsonl:{CORPUS / 'scout-local-chat.jsonl'}",
                        f"jsonl:{CORPUS / 'scout-helpdesk-pros.jsonl'}"])
    assert [Path(f.locator).name for f in fits] == ["scout-helpdesk-pros.jsonl",
                                                    "scout-local-chat.jsonl"]
    assert fits[0].fit > fits[1].fit
