"""Entity-level alignment: a claim built from one source sentence must keep that sentence's
names, numbers, dates, modifiers, hedges, negations and actors (``verify/entities.py``).

The article is ours, written for these tests; each probe is a careless writer's edit of one
of its sentences with a word taken from another of its sentences.
"""

from __future__ import annotations

import pytest

from newsdesk.verify import check_text

ARTICLE = "\n\n".join(
    [
        "Fighting near the border town of Kessa has forced about 20,000 civilians from "
        "their homes since Monday, the UN refugee agency said.",
        "The agency condemned the shelling of a clinic in the town, which it said had "
        "treated 30,000 patients last year.",
        "The Sudanese government denied that its forces had fired on the clinic.",
        "The South Sudanese foreign ministry called for a ceasefire on Tuesday.",
        "Colonel Amir Haddad said he would move his family to Florida.",
        "The World Health Organization sent medicines by lorry.",
        "Haddad's former wife, Lena Osman, was killed in the shelling.",
        "Police said the man was believed to have crossed the river at night.",
        "Rebels attacked the convoy near the bridge, and the army shelled the hills.",
        "The ministry said the 3, 800 km pipeline was not damaged.",
        "In May, officials said the road was open.",
        "Tahir thanked Haddad for the medicines.",
    ]
)
SOURCE = [("kessa", ARTICLE)]


def label(claim: str) -> str:
    return check_text(claim, SOURCE).label


@pytest.mark.parametrize(
    "claim",
    [
        # A number from elsewhere in the article in place of the sentence's own.
        "Fighting near the border town of Kessa has forced about 30,000 civilians from "
        "their homes since Monday, the UN refugee agency said.",
        # An organisation from elsewhere.
        "Fighting near the border town of Kessa has forced about 20,000 civilians from "
        "their homes since Monday, the World Health Organization said.",
        # A name where the sentence has a description of someone else.
        "The World Health Organization condemned the shelling of a clinic in the town.",
        # A place from elsewhere.
        "Colonel Amir Haddad said he would move his family to Kessa.",
        # A modifier from elsewhere put before a name.
        "The South Sudanese government denied that its forces had fired on the clinic.",
        # A surname from the next sentence.
        "Colonel Amir Osman said he would move his family to Florida.",
        # A day from elsewhere.
        "Fighting near the border town of Kessa has forced about 20,000 civilians from "
        "their homes since Tuesday, the UN refugee agency said.",
    ],
)
def test_a_word_swapped_in_from_elsewhere_in_the_article_is_caught(claim: str) -> None:
    assert label(claim) == "contradicted"


@pytest.mark.parametrize(
    "claim",
    [
        "The Sudanese government did not deny that its forces had fired on the clinic.",
        "The ministry said the 3, 800 km pipeline was damaged.",
    ],
)
def test_a_negation_added_or_dropped_is_caught(claim: str) -> None:
    assert label(claim) == "contradicted"


@pytest.mark.parametrize(
    "claim",
    [
        # "about 20,000" stated as exactly 20,000.
        "Fighting near the border town of Kessa has forced 20,000 civilians from their "
        "homes since Monday, the UN refugee agency said.",
        "Police said the man crossed the river at night.",
    ],
)
def test_a_hedge_cut_off_is_caught(claim: str) -> None:
    assert label(claim) == "unsupported"


def test_actors_trading_places_are_caught_even_at_the_start() -> None:
    assert label("Haddad thanked Tahir for the medicines.") == "contradicted"
    assert label("Haddad was thanked by Tahir for the medicines.") != "contradicted"


@pytest.mark.parametrize(
    "claim",
    [
        # Verbatim, shortened, a description resolved from the sentence before.
        "The agency condemned the shelling of a clinic in the town.",
        "The UN refugee agency condemned the shelling of a clinic in the town.",
        "Fighting near the border town of Kessa has forced about 20,000 civilians from "
        "their homes since Monday.",
        "Colonel Amir Haddad said Colonel Amir Haddad would move his family to Florida.",
        # One number written two ways; "May" the month is no hedge.
        "The ministry said the 3,800 km pipeline was not damaged.",
        "Officials said the road was open.",
    ],
)
def test_faithful_edits_pass(claim: str) -> None:
    assert label(claim) == "supported"


def test_a_pronoun_resolved_from_the_sentence_before_passes() -> None:
    source = [
        (
            "d",
            "Colonel Amir Haddad spoke to reporters on Friday.\n\n"
            "He said the convoy had reached the town before dawn.",
        )
    ]
    claim = "Amir Haddad said the convoy had reached the town before dawn."
    assert check_text(claim, source).label == "supported"


def test_a_shortened_sentence_that_is_verbatim_up_to_a_negation_is_not_verbatim() -> None:
    source = [("d", "It was a hard win for the team, but a pretty one it wasn't.")]
    verdict = check_text("It was a hard win for the team, but a pretty one it was.", source)
    assert verdict.label != "supported"
