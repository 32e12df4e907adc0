"""The text estimators: cold start from seeds, learning from labels, reasons
that name the thread's own words, scikit-learn conventions, save/load."""

from __future__ import annotations

import socket
import zipfile

import numpy as np
import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from classifiers.capability import Capability, CapabilityError, CapabilityModel
from classifiers.persistence import (
    ModelFileError,
    load_model,
    read_card,
    save_model,
    saved_bytes,
)
from classifiers.problems import (
    KindClassifier,
    ProblemClassifier,
    SeedError,
    TextFeatures,
    load_seeds,
)


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Nothing here may reach the network."""

    def refuse(*args, **kwargs):
        raise AssertionError("a text classifier tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture(scope="module")
def kind_model():
    return KindClassifier().fit()


@pytest.fixture(scope="module")
def problem_model():
    return ProblemClassifier().fit()


# Threads written for these tests (not from any forum).
BUG = "Dashboard crashes after upgrade to 4.2\nOpening the dashboard shows TypeError: cannot read properties of null. It worked in 4.1."
HOWTO = "How do I move my pool to a new server?\nWhat is the right order to copy the keys and restart the relay?"
FEATURE = "Please add an export to Excel\nIt would be great to export the monthly report as xlsx."
CHAT = "Our community meetup was great\nThanks everyone for coming, photos from the evening are up."
SPANISH_BUG = "La cartera se cierra al abrirla\nDesde la versión 2.1 me sale un error al iniciar."
GERMAN_HOWTO = "Wie richte ich den Knoten ein?\nIch brauche Hilfe bei der Konfiguration."


def test_seeds_cover_every_kind_in_five_languages():
    seeds = load_seeds()
    assert {(s.lang, s.kind) for s in seeds} == {
        (lang, kind)
        for lang in ("en", "es", "de", "pt", "fr")
        for kind in ("bug", "howto", "feature_request", "other")
    }


def test_cold_start_kinds_from_seeds_alone(kind_model):
    assert list(kind_model.classes_) == ["bug", "feature_request", "howto", "other"]
    assert list(kind_model.predict([BUG, HOWTO, FEATURE, CHAT, SPANISH_BUG, GERMAN_HOWTO])) == [
        "bug",
        "howto",
        "feature_request",
        "other",
        "bug",
        "howto",
    ]
    assert kind_model.label_counts_ == {}
    assert kind_model.n_seed_examples_ == len(load_seeds())


def test_cold_start_problem_probability(problem_model):
    probabilities = problem_model.problem_probability([BUG, HOWTO, FEATURE, CHAT])
    assert list(probabilities > 0.5) == [True, True, True, False]


def test_labels_improve_the_model():
    """A community whose 'bugs' talk about a word the seeds never saw: with a
    few labels the model learns it."""
    texts = [f"Gearbox {i} grinds\nThe flux capacitor {i} grinds when cold." for i in range(6)]
    texts += [f"Is gearbox {i} compatible?\nCan I fit part {i} on my frame?" for i in range(6)]
    labels = ["bug"] * 6 + ["howto"] * 6
    probe = ["Capacitor grinds\nmy flux capacitor grinds every morning"]
    before = KindClassifier().fit().predict_proba(probe)[0]
    model = KindClassifier().fit(texts, labels)
    after = model.predict_proba(probe)[0]
    bug = list(model.classes_).index("bug")
    assert after[bug] > before[bug]
    assert model.label_counts_ == {"bug": 6, "howto": 6}


def test_labels_outside_the_seed_classes_are_refused():
    with pytest.raises(SeedError, match="label 'question' is not one of the seed classes"):
        KindClassifier().fit(["a text"], ["question"])
    model = KindClassifier(seeds=None).fit(["crash on save", "how to save?"], ["bug", "question"])
    assert list(model.classes_) == ["bug", "question"]


def test_explanation_names_words_of_the_thread(kind_model):
    explanation = kind_model.explain(BUG)
    assert explanation.label == "bug"
    names = [name for name, _ in explanation.features]
    assert names, "an explanation must name features"
    lowered = BUG.lower()
    for name in names:
        if name.startswith("signal:"):
            continue
        term = name.split('"')[1]
        assert term.strip() in lowered, f"{name} is not a feature of the thread"
    assert any(reason.startswith("error (exception_name)") for reason in explanation.signals)
    assert explanation.reasons()[0].startswith("bug (")


def test_domain_features_learn_a_community_vocabulary():
    texts = ["Relay drops\nthe relay drops peers", "Relay question\nwhich relay port?"] * 3
    labels = ["bug", "howto"] * 3
    domains = ["pool-forum"] * 6
    model = KindClassifier(seeds=None).fit(texts, labels, domains=domains)
    assert model.features_.domains_ == ("pool-forum",)
    with_domain = model.predict_proba(["the relay drops"], domains=["pool-forum"])
    without = model.predict_proba(["the relay drops"])
    assert with_domain[0][0] > without[0][0]
    explanation = model.explain("the relay drops", domain="pool-forum")
    assert any(name.endswith("in pool-forum") for name, _ in explanation.features)


def test_text_features_keep_no_vocabulary():
    features = TextFeatures(n_features=2**12).fit(["the pool keys were rotated yesterday"])
    state = features.__dict__
    assert not any(isinstance(v, str) and "rotated" in v for v in state.values())
    assert features.transform(["rotated keys"]).shape == (1, 4 * 2**12 + 8)


# --- capability ------------------------------------------------------------------------

NODE_OPS = Capability(
    id="node-ops",
    description="Running, syncing and upgrading relay and block-producer nodes",
    keywords=("relay", "sync", "topology", "peers"),
    examples=(
        "Relay not syncing\nMy relay is stuck and has no peers after the upgrade.",
        "Topology file for block producer\nHow should the topology list my relays?",
    ),
)
SMART = Capability(
    id="contracts",
    description="Writing and auditing on-chain validator scripts",
    keywords=("validator", "datum", "redeemer"),
    examples=("Validator fails with datum mismatch\nMy script rejects the redeemer.",),
)
COMMUNITY = [
    "Relay stuck at 97%\nSync never finishes and peers drop to zero.",
    "Datum hash mismatch in my validator\nThe redeemer is rejected on testnet.",
    "Best laptop for gaming?\nLooking for a light one.",
    "Wallet shows wrong balance\nI see zero after restore.",
    "Price prediction thread\nWhere will the price be next year?",
]


def test_capability_cold_start_scores_and_reasons():
    model = CapabilityModel(capabilities=[NODE_OPS, SMART]).fit(COMMUNITY)
    judgements = model.judge(COMMUNITY)
    assert [j.capability for j in judgements[:2]] == ["node-ops", "contracts"]
    assert judgements[0].score > 0.5 and judgements[1].score > 0.5
    assert judgements[2].score < 0.3 and judgements[4].score < 0.3
    assert 'names "relay", "sync", "peers"' in judgements[0].reasons
    assert list(model.classes_) == ["node-ops", "contracts", "unsolvable"]
    assert np.allclose(model.predict_proba(COMMUNITY).sum(axis=1), 1.0)


def test_capability_from_playbook_tables_and_bad_ones():
    model = CapabilityModel(
        capabilities=[{"id": "node-ops", "keywords": ["relay"], "description": "relays"}]
    ).fit()
    assert model.judge(["my relay is down"])[0].capability == "node-ops"
    from types import SimpleNamespace

    playbook_object = SimpleNamespace(
        id="node-ops", description="relays", keywords=("relay",), examples=()
    )
    assert (
        CapabilityModel(capabilities=[playbook_object]).fit().judge(["relay down"])[0].capability
        == "node-ops"
    )
    with pytest.raises(CapabilityError, match="unknown field 'keyword'"):
        CapabilityModel(capabilities=[{"id": "x", "keyword": ["a"]}]).fit()
    with pytest.raises(CapabilityError, match="reserved"):
        CapabilityModel(capabilities=[{"id": "unsolvable"}]).fit()


def test_capability_labels_help():
    texts = [
        f"Stake pool {i} misses blocks\nleader schedule is empty in epoch {i}" for i in range(12)
    ]
    texts += [f"Exchange {i} withdrawal delayed\nsupport ticket {i} unanswered" for i in range(12)]
    labels = ["node-ops"] * 12 + ["unsolvable"] * 12
    probe = [
        "Pool misses blocks\nleader schedule empty",
        "Withdrawal delayed\nexchange ticket open",
    ]
    cold = CapabilityModel(capabilities=[NODE_OPS]).fit(texts)
    warm = CapabilityModel(capabilities=[NODE_OPS]).fit(texts, labels)
    assert warm.calibrator_ is not None
    cold_gap = np.subtract(*cold.solvable_score(probe))
    warm_gap = np.subtract(*warm.solvable_score(probe))
    assert warm_gap > cold_gap
    assert warm.label_counts_ == {"node-ops": 12, "unsolvable": 12}


# --- scikit-learn conventions ------------------------------------------------------------

TEXT_MODEL_REASON = (
    "a text model reads each number as word tokens (integer and fraction "
    "parts), so how well the Gaussian blobs separate depends on how the floats "
    "print: the float32 variant misses the 0.83 training accuracy"
)
WEIGHT_REASON = (
    "idf and min_df count distinct training texts, so a repeated text and a "
    "doubled sample_weight differ on purpose"
)


def expected_failures(estimator):
    if isinstance(estimator, KindClassifier):
        return {
            "check_classifiers_train": TEXT_MODEL_REASON,
            "check_sample_weight_equivalence_on_dense_data": WEIGHT_REASON,
        }
    if isinstance(estimator, CapabilityModel):
        return {"check_classifiers_train": TEXT_MODEL_REASON}
    return {}


@parametrize_with_checks(
    [
        TextFeatures(n_features=2**10),
        # The seeded configuration fixes its classes to the problem kinds, so
        # the generic checks (integer classes) run on the label-only one.
        KindClassifier(seeds=None, n_features=2**10),
        CapabilityModel(n_features=2**10),
    ],
    expected_failed_checks=expected_failures,
)
def test_sklearn_conventions(estimator, check):
    check(estimator)


# --- persistence -----------------------------------------------------------------------------

TRAINING_SENTENCE = "The quartz gearbox on my tandem squeals whenever the ferry docks"


def test_save_load_predicts_identically_and_leaks_no_text(tmp_path, kind_model):
    texts = [TRAINING_SENTENCE + "\nIt started last week.", "How do I tune a tandem?\nAny tips?"]
    model = KindClassifier().fit(texts, ["bug", "howto"])
    path = tmp_path / "kind.model"
    card = save_model(model, path, metrics={"macro_f1": 0.81})
    loaded, loaded_card = load_model(path)
    probe = [BUG, HOWTO, FEATURE, CHAT, SPANISH_BUG]
    assert np.array_equal(loaded.predict_proba(probe), model.predict_proba(probe))
    assert loaded_card == card
    assert card.label_counts == {"bug": 1, "howto": 1}
    assert card.metrics == {"macro_f1": 0.81}
    assert card.kind == "KindClassifier"
    content = saved_bytes(path)
    assert b"card.json" not in content  # fully expanded
    for fragment in (TRAINING_SENTENCE, "quartz gearbox", "ferry docks", "tandem squeals"):
        assert fragment.encode() not in content
        assert fragment.encode("utf-16-le") not in content


def test_capability_model_saved_without_training_texts(tmp_path):
    model = CapabilityModel(capabilities=[NODE_OPS]).fit(
        [TRAINING_SENTENCE, "relay sync issue"], ["unsolvable", "node-ops"]
    )
    path = tmp_path / "capability.model"
    save_model(model, path)
    loaded, _ = load_model(path)
    assert np.array_equal(loaded.solvable_score(COMMUNITY), model.solvable_score(COMMUNITY))
    assert b"ferry docks" not in saved_bytes(path)


def test_model_from_another_version_is_refused(tmp_path, kind_model):
    path = tmp_path / "kind.model"
    save_model(kind_model, path)
    old = tmp_path / "old.model"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(old, "w") as target:
        card = source.read("card.json").decode().replace('"model_format": 1', '"model_format": 0')
        target.writestr("card.json", card)
        target.writestr("model.skops", source.read("model.skops"))
    assert read_card(old).model_format == 0
    with pytest.raises(ModelFileError) as error:
        load_model(old)
    assert str(error.value).startswith(f"model file '{old}' was saved with model format 0")
    assert "Retrain it (beachhead train)" in str(error.value)


def test_not_a_model_file(tmp_path):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("hello")
    with pytest.raises(ModelFileError, match="is not a Beachhead model file"):
        load_model(bogus)
    with pytest.raises(ModelFileError, match="does not exist"):
        load_model(tmp_path / "missing.model")
