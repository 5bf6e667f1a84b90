"""The review policy is a pure decision of the publish stage: versions and desk states in,
what to publish, hold and record out."""

from __future__ import annotations

from newsdesk.publish import (
    WAITING,
    ReviewState,
    releasable,
    should_hold,
    with_enough_sources,
)
from newsdesk.records import Article


def article(story: str, version: int, flagged: int = 0) -> Article:
    return Article.model_validate(
        {
            "story": story,
            "version": version,
            "headline": "h",
            "standfirst": "s",
            "sections": [],
            "facts": [],
            "sources": [],
            "verification": {"flagged": flagged},
        }
    )


def test_should_hold_follows_the_desk_and_the_policy() -> None:
    flagged = article("a", 2, flagged=1)
    assert should_hold(flagged, None, "none") is None
    assert should_hold(flagged, None, "flagged") == "the checker flagged 1 sentence(s)"
    assert should_hold(article("a", 2), None, "flagged") is None
    assert (
        should_hold(article("a", 2), None, "all") == "every version is reviewed before publishing"
    )
    assert should_hold(flagged, ReviewState("approved", 2), "all") is None
    assert should_hold(flagged, ReviewState("approved", 1), "flagged") is not None
    assert should_hold(flagged, ReviewState("held", 1, "legal"), "none") == "legal"
    assert should_hold(flagged, ReviewState("unpublished", 1), "none") == "unpublished by the desk"


def test_a_held_version_holds_the_later_ones_and_blocked_stories_wait() -> None:
    pending = [("a", 1), ("a", 2), ("a", 3), ("b", 1), ("c", 1)]
    articles = {
        ("a", 1): article("a", 1),
        ("a", 2): article("a", 2, flagged=2),
        ("a", 3): article("a", 3),
        ("b", 1): article("b", 1),
    }  # ("c", 1) is not stored: nothing to hold it for
    reviews = {"b": ReviewState("held", 1, "check the cost")}
    decision = releasable(pending, reviews, articles, "flagged")
    assert decision.publish == [("a", 1), ("c", 1)]
    assert [(a.story, a.version, why) for a, why in decision.hold] == [
        ("a", 2, "the checker flagged 2 sentence(s)")
    ]
    assert releasable(pending, reviews, {}, "none").publish == [
        ("a", 1),
        ("a", 2),
        ("a", 3),
        ("c", 1),
    ]


def test_stories_wait_for_sources_once_and_leave_the_wait_when_they_have_them() -> None:
    pending = [("a", 1), ("a", 2), ("b", 1), ("c", 1), ("d", 1)]
    outlets = {"a": 1, "b": 3, "c": 1, "d": 1}
    reviews = {
        "b": ReviewState(WAITING, 1, "waiting for sources: 1 of 2 independent outlets"),
        "c": ReviewState("approved", 1),
        "d": ReviewState(WAITING, 1, "waiting for sources: 1 of 2 independent outlets"),
    }
    decision = with_enough_sources(pending, reviews, outlets, wanted=2)
    assert decision.publish == [("b", 1), ("c", 1)]
    assert decision.sourced == ["b"]
    # The first version's wait is what the second one finds: recorded once, with version 1;
    # "d" waits already, for the same reason.
    assert decision.wait == [(("a", 1), "waiting for sources: 1 of 2 independent outlets")]
