"""User types, member value and cross-community links.

Members, companies and posts are invented for these tests.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from classifiers.linking import (
    LinkProposal,
    MemberRef,
    extract_signature,
    linked_people,
    normalise_url,
    propose_links,
)
from classifiers.users import (
    FEATURE_NAMES,
    USER_TYPES,
    MemberProfile,
    TypeHints,
    UserTypeClassifier,
    UserTypeError,
    UserTypeGuess,
    classify_member,
    member_features,
    member_value,
)

HINTS = TypeHints(
    vendor_names=("Kestrel",),
    vendor_domains=("kestrel.io",),
    competitor_names=("Falconry Cloud",),
    competitor_domains=("falconry.cloud",),
    channel_partner_names=("Nordic Bits",),
    channel_partner_domains=("nordicbits.se",),
    complementor_names=("Perchly",),
    complementor_domains=("perchly.app",),
)


def kind(profile: MemberProfile) -> UserTypeGuess:
    return classify_member(profile, HINTS)


def test_a_reseller_is_a_channel_partner():
    guess = kind(MemberProfile("r", texts=[
        "We resell Kestrel licences in Portugal and one of our clients hit this after the upgrade.",
    ], questions=2))
    assert guess.user_type == "channel_partner"
    assert guess.reasons == ("writes 'We resell'", "writes 'our clients'")
    assert guess.confidence > 0.9


def test_a_consultant_is_a_channel_partner():
    guess = kind(MemberProfile("c", about="I'm an independent consultant helping logistics firms with their data.",
                               answers=3, questions=1))
    assert guess.user_type == "channel_partner"
    assert guess.reasons == ("writes \"I'm an independent consultant\"",)


def test_a_named_channel_partner_by_domain():
    guess = kind(MemberProfile("n", website="https://www.nordicbits.se/team"))
    assert guess.user_type == "channel_partner"
    assert guess.reasons == ("profile links to a channel partner's domain nordicbits.se",)


def test_a_competitor_by_domain():
    guess = kind(MemberProfile("f", website="https://blog.falconry.cloud/authors/lena",
                               texts=["Have you tried exporting to CSV first?"], answers=4))
    assert guess.user_type == "competitor"
    assert guess.reasons == ("profile links to a competitor's domain falconry.cloud",)


def test_a_competitor_who_says_where_they_work():
    guess = kind(MemberProfile("w", texts=["Disclosure: I work at Falconry Cloud, but here is a neutral answer."]))
    assert guess.user_type == "competitor"
    assert guess.reasons[0] == "says they belong to competitor: 'Disclosure: I work at Falconry Cloud'"


def test_vendor_staff_by_platform_flag():
    guess = kind(MemberProfile("s", is_staff=True, texts=["A fix ships in 4.3 next week."], answers=10))
    assert guess.user_type == "vendor_staff"
    assert guess.reasons == ("flagged as staff by the platform",)


def test_vendor_staff_by_their_own_words():
    guess = kind(MemberProfile("v", about="Support engineer at Kestrel, mostly on sync issues."))
    assert guess.user_type == "vendor_staff"
    assert guess.reasons == ("says they belong to the vendor: 'engineer at Kestrel'",)


def test_a_plugin_author_is_a_complementor():
    guess = kind(MemberProfile("p", texts=["We built a plugin that mirrors Kestrel boards into a calendar."]))
    assert guess.user_type == "complementor"
    assert guess.reasons == ("writes 'We built a plugin'",)


def test_an_expert_by_behaviour():
    guess = kind(MemberProfile("e", answers=120, questions=2, accepted_answers=40, voice_percentile=99.0))
    assert guess.user_type == "expert"
    assert guess.reasons == (
        "voice in the top 1% of the community",
        "40 accepted answers",
        "answers far more than asks (120 answers, 2 questions)",
    )


def test_a_moderator_with_a_trust_level_is_an_expert():
    guess = kind(MemberProfile("m", is_moderator=True, trust_level=4, answers=8, questions=1))
    assert guess.user_type == "expert"
    assert guess.reasons[:2] == ("a moderator of the community", "trust level 4")


def test_a_customer_says_they_run_it_in_production():
    guess = kind(MemberProfile("u", texts=["In our production cluster the nightly sync stalls at 80%."],
                               questions=1))
    assert guess.user_type == "customer"
    assert guess.reasons == ("writes 'In our production'", "mostly asks (1 questions, 0 answers)")


def test_nobody_known_is_unknown():
    guess = kind(MemberProfile("x"))
    assert guess.user_type == "unknown"
    assert guess.reasons == ("no cue about who they are",)


def test_mentioning_a_competitor_is_not_working_there():
    guess = kind(MemberProfile("y", texts=["Falconry Cloud does this better, why can't Kestrel?"], questions=1))
    assert guess.user_type == "customer"


def test_member_value_is_the_expected_weight_over_types():
    guess = UserTypeGuess("z", "customer", 0.6, (("customer", 0.6), ("channel_partner", 0.3), ("unknown", 0.1)), ())
    value = member_value(guess, {"customer": 3.0, "channel_partner": 5.0, "competitor": -1.0})
    assert value.value == pytest.approx(0.6 * 3.0 + 0.3 * 5.0)
    assert value.reasons == ("value 3.30 = customer 60% x 3 + channel_partner 30% x 5 + unknown 10% x 0",)


def test_member_value_refuses_unknown_types():
    guess = UserTypeGuess("z", "customer", 1.0, (("customer", 1.0),), ())
    with pytest.raises(UserTypeError, match="value weights name unknown user type\\(s\\): reseller"):
        member_value(guess, {"reseller": 2.0})


def test_labels_correct_the_rules():
    # The rules read "our clients" as a channel partner; in this community the
    # analysts say such members are customers (their clients are patients).
    profiles = [MemberProfile(f"c{i}", texts=[f"Our clients' records vanish after sync number {i}."], questions=1)
                for i in range(12)]
    X = member_features(profiles, HINTS)
    assert {classify_member(p, HINTS).user_type for p in profiles} == {"channel_partner"}
    model = UserTypeClassifier().fit(X, ["customer"] * 12)
    assert list(model.classes_) == list(USER_TYPES)
    assert set(model.predict(X)) == {"customer"}
    retyped = classify_member(profiles[0], HINTS, model)
    assert retyped.user_type == "customer"
    assert retyped.reasons[-1] == "weights adjusted by analysts' labels"
    # types nobody labelled are still predicted from the rules
    staff = member_features([MemberProfile("s", is_staff=True)], HINTS)
    assert model.predict(staff).tolist() == ["vendor_staff"]


def test_rules_prior_needs_member_features():
    with pytest.raises(UserTypeError, match=f"expected {len(FEATURE_NAMES)} member features \\(FEATURE_NAMES\\), got 3"):
        UserTypeClassifier().fit(np.zeros((4, 3)), ["customer"] * 4)
    with pytest.raises(UserTypeError, match="unknown user type\\(s\\): reseller"):
        UserTypeClassifier().fit(np.zeros((2, len(FEATURE_NAMES))), ["customer", "reseller"])


# With prior="rules" the input must be the member features and the labels
# user types, so scikit-learn's generic checks (random features, integer
# labels) cannot apply; the same estimator without the prior passes them all.
@parametrize_with_checks([UserTypeClassifier(prior=None)])
def test_sklearn_conventions(estimator, check):
    check(estimator)


# --- linking ------------------------------------------------------------------


def test_profile_links_link_two_accounts_with_the_reason():
    members = [
        MemberRef("discourse:kestrel", "77", handle="lena_b", website="https://github.com/lena-builds"),
        MemberRef("stackexchange:kestrel", "9", handle="LB", profile_urls=["http://www.github.com/Lena-Builds/"]),
    ]
    assert propose_links(members) == [LinkProposal(
        ("discourse:kestrel", "77"), ("stackexchange:kestrel", "9"), 0.9,
        ("both profiles link to github.com/lena-builds",),
    )]


def test_signature_and_handle_add_up():
    members = [
        MemberRef("reddit:r/kestrel", "u1", handle="Ana_Silva-PT", texts=[
            "Try clearing the cache.\n--\nAna Silva · Lisbon data plumbing",
            "Same here on 4.2.\n--\nAna Silva · Lisbon data plumbing",
        ]),
        MemberRef("discourse:kestrel", "77", handle="ana.silva.pt",
                  signature="Ana Silva · Lisbon data plumbing"),
    ]
    [link] = propose_links(members)
    assert link.confidence == pytest.approx(1 - 0.2 * 0.3)
    assert link.reasons == (
        "same signature 'ana silva · lisbon data plumbing'",
        "same handle 'Ana_Silva-PT' / 'ana.silva.pt'",
    )
    assert link.to_dict()["b_member"] == "u1"


def test_common_handles_and_same_community_accounts_are_not_linked():
    members = [
        MemberRef("reddit:r/kestrel", "u1", handle="john"),
        MemberRef("discourse:kestrel", "5", handle="John"),
        MemberRef("discourse:kestrel", "6", handle="kestrel_fan_1987"),
        MemberRef("discourse:kestrel", "7", handle="Kestrel-Fan-1987"),
    ]
    assert propose_links(members) == []


def test_undoing_a_link_separates_the_people_again():
    a, b, c = ("reddit", "u1"), ("discourse", "7"), ("se", "9")
    link_ab = LinkProposal(a, b, 0.9, ("x",))
    link_bc = LinkProposal(b, c, 0.8, ("y",))
    people = linked_people([a, b, c], [link_ab, link_bc])
    assert people[a] == people[b] == people[c] == "discourse:7"
    after_undo = linked_people([a, b, c], [link_ab])
    assert after_undo[a] == after_undo[b] == "discourse:7"
    assert after_undo[c] == "se:9"


def test_signatures_need_repeating():
    assert extract_signature(["Hi\nCheers, Bo from Bergen", "Another\nCheers, Bo from Bergen"]) == "Cheers, Bo from Bergen"
    assert extract_signature(["Hi\nCheers, Bo from Bergen", "Another\nThanks all"]) is None


def test_urls_are_normalised_to_what_identifies_a_person():
    assert normalise_url("https://www.linkedin.com/in/lena-b/") == "linkedin.com/lena-b"
    assert normalise_url("http://lena.example.net/blog") == "lena.example.net"
    assert normalise_url("https://gmail.com") is None
