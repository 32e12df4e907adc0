"""Where members are: stated places, ccTLDs, language and posting hours.

Members, posts and profiles are invented for these tests.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from assistant.cli import cli
from classifiers.geography import (
    GeoEvidence,
    country_domains,
    guess_country,
    offset_posterior,
    resolve_location,
)
from tests.shared_data import shared_path

HOUR = 3600.0
MONDAY = 1_780_272_000.0  # a midnight UTC


@pytest.mark.parametrize(
    ("text", "country", "subdivision"),
    [
        ("Kraków, Poland", "PL", None),
        ("Austin, TX", "US", "US-TX"),
        ("Toronto, ON, Canada", "CA", "CA-ON"),
        ("Amsterdam, NL", "NL", None),
        ("Paris, TX", "US", "US-TX"),
        ("Blagoevgrad, България", "BG", "BG-01"),
        ("Milan, MI, Italia", "IT", None),
        ("Bochum, Deutschland", "DE", None),
        ("Jackson Wyoming", "US", "US-WY"),
        ("UK", "GB", None),
        ("Grenoble", "FR", None),
        ("São Paulo, Brasil", "BR", "BR-SP"),
    ],
)
def test_stated_locations_resolve_to_iso_countries(text, country, subdivision):
    place = resolve_location(text)
    assert (place.country, place.subdivision) == (country, subdivision)
    assert place.reason.startswith(f"stated location {text!r} → {country}")


@pytest.mark.parametrize("text", ["Earth", "on the server farm", "https://example.org/me", "", "Laniakea Supercluster"])
def test_non_places_resolve_to_nothing(text):
    assert resolve_location(text) is None


def test_a_region_alone_names_no_country():
    place = resolve_location("Europe")
    assert (place.country, place.region) == (None, "EU")


def test_parts_that_disagree_lower_the_confidence():
    assert resolve_location("Paris, France").confidence == 0.98
    assert resolve_location("Paris, TX").confidence == 0.75


def test_stated_location_wins_over_everything_else():
    guess = guess_country(GeoEvidence("m1", location="Lyon, France", website="https://velo-shop.de",
                                      texts=["Ich fahre jeden Tag mit dem Rad zur Arbeit und repariere es selbst."]))
    assert (guess.country, guess.region, guess.confidence) == ("FR", "EU", 0.98)
    assert guess.reasons == ("stated location 'Lyon, France' → FR (country 'france')",)


def test_a_place_stated_in_the_about_text():
    guess = guess_country(GeoEvidence("m2", about="Mechanic. I live in Porto, Portugal and ride gravel."))
    assert (guess.country, guess.subdivision, guess.confidence) == ("PT", "PT-13", 0.88)
    assert guess.reasons == ("profile says 'I live in Porto, Portugal' → PT",)


def test_country_domains_ignore_generic_cctlds():
    found = country_domains(["see https://atelier-velo.fr/guide and https://kestrel.io and www.bikes.co.uk"])
    assert dict(found) == {"FR": 1, "GB": 1}


def test_a_member_with_a_french_website_and_french_links_is_guessed_french():
    guess = guess_country(GeoEvidence(
        "m3", website="https://atelier-velo.fr",
        texts=["I wrote this up on https://atelier-velo.fr/freins before: check the pads first."],
    ))
    assert guess.country == "FR"
    assert "own website: .fr domain" in guess.reasons


def test_writing_in_german_points_to_germany():
    guess = guess_country(GeoEvidence("m4", texts=[
        "Hallo zusammen, seit dem letzten Update stürzt die Anwendung beim Start immer ab.",
        "Danke für die schnelle Hilfe, das Zurücksetzen der Einstellungen hat funktioniert.",
    ]))
    assert guess.country == "DE"
    assert guess.reasons[0].startswith("writes in de")


def test_posting_hours_reveal_the_time_zone():
    # Every hour from 09:00 to 22:00 local time at UTC+5:30, for a week → India
    times = [MONDAY + day * 24 * HOUR + (hour - 5.5) * HOUR for day in range(7) for hour in range(9, 23)]
    posterior = offset_posterior(times)
    assert 4.5 <= max(posterior, key=posterior.get) <= 6.5
    guess = guess_country(GeoEvidence("m5", texts=["Thanks, that solved the issue with the sync."],
                                      post_times=times))
    assert guess.country == "IN"
    assert any(r.startswith("posting hours of 98 posts fit UTC+") for r in guess.reasons)


def test_no_evidence_means_no_country():
    guess = guess_country(GeoEvidence("m6"))
    assert guess.country is None
    assert guess.reasons == ("no indirect evidence",)


@pytest.mark.shared_data
def test_cli_eval_geography_on_a_real_dump():
    folder = shared_path("stackexchange", "bicycles_meta")
    result = CliRunner().invoke(cli, ["eval", "geography", "--stackexchange", str(folder)])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["n_members"] > 100
    assert 0 < payload["coverage"] <= 1
    assert payload["accuracy"] > payload["majority_accuracy"]


def test_cli_eval_geography_quotes_a_folder_that_is_not_a_dump(tmp_path):
    result = CliRunner().invoke(cli, ["eval", "geography", "--stackexchange", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"Error: '{tmp_path}' has no Posts.xml (expected a Stack Exchange dump folder)"
    )


def test_languages_detected_together_are_those_detected_one_by_one():
    from py3langid.langid import visit_counts

    from classifiers.geography import (
        _feature_counts,
        _identifier,
        detect_language,
        detect_languages,
    )

    texts = [
        "Every export loses its last column since the update. Any idea how to fix it?",
        "Cada exportación pierde la última columna desde la actualización. ¿Alguna idea?",
        "Seit dem Update fehlt bei jedem Export die letzte Spalte. Hat jemand eine Idee?",
        "ЭТО ТЕКСТ НА РУССКОМ ЯЗЫКЕ, ЧТОБЫ ПРОВЕРИТЬ ВЕРХНИЙ РЕГИСТР И ЕЩЁ НЕМНОГО",
        "too short",
        "see `config.yaml` and https://example.com/a/b then run ./sync --all=true please now",
        "",
        "Chaque export perd sa dernière colonne depuis la mise à jour 😕 une idée ?",
    ]
    assert [language for language, _ in detect_languages(texts)] == [
        detect_language(text)[0] for text in texts]
    for (_, probability), text in zip(detect_languages(texts), texts, strict=True):
        assert probability == pytest.approx(detect_language(text)[1], abs=1e-4)
    # The automaton walked for every byte at once counts what py3langid's own walk counts.
    identifier = _identifier()
    encoded = [identifier._encode(text) for text in texts if text]
    rows, features, counts = _feature_counts(encoded)
    together: dict[int, dict[int, int]] = {}
    for row, feature, count in zip(rows.tolist(), features.tolist(), counts.tolist(), strict=True):
        together.setdefault(row, {})[feature] = count
    for row, data in enumerate(encoded):
        alone = visit_counts(identifier.tk_nextmove, identifier._rowbase, identifier.tk_output, data)
        assert together.get(row, {}) == dict(alone or {})
