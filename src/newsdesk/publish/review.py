"""The review policy: which written versions go out now, and which wait on the desk.

A pure decision on records: the desk's state of each story comes in as a
:class:`ReviewState`, and what is to be recorded (holds, waits) goes back to the caller,
``newsdesk.operations``, which reads and writes the store.

- A story the desk held or unpublished stays so (``BLOCKING_STATES``).
- Under the "flagged" policy a version with sentences the checker could not fully confirm
  waits for an editor; under "all" every version waits until an editor approves it.
- A story goes out once NEWSDESK_MIN_SOURCES independent outlets reported it, or an editor
  approved it; until then it waits, visibly on the desk, in the ``WAITING`` state.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from newsdesk.records import Article

BLOCKING_STATES = ("held", "unpublished")
# Not blocking: the story publishes by itself once it has enough independent sources.
WAITING = "waiting"
APPROVED = "approved"

Pending = tuple[str, int]  # (story, version)


@dataclass(frozen=True)
class ReviewState:
    """A story's state at the desk."""

    state: str
    version: int | None = None
    reason: str | None = None


@dataclass(frozen=True)
class ReleaseRules:
    """NEWSDESK_REVIEW_POLICY ("none", "flagged" or "all") and NEWSDESK_MIN_SOURCES."""

    policy: str
    min_sources: int


@dataclass
class Decision:
    """The versions that may go out now, and what the desk is to record about the rest."""

    publish: list[Pending]
    hold: list[tuple[Article, str]] = field(default_factory=list)
    """Versions the desk must review first, and why."""
    wait: list[tuple[Pending, str]] = field(default_factory=list)
    """Stories waiting for sources (with the version and the reason to record)."""
    sourced: list[str] = field(default_factory=list)
    """Stories that were waiting for sources and have them now."""


def should_hold(article: Article, review: ReviewState | None, policy: str) -> str | None:
    """Why a newly written version must wait for the desk, or None to publish it.

    A story the desk held or unpublished stays so; under the "flagged" policy a version
    with sentences the checker could not fully confirm waits; under "all" every version
    waits until an editor approves that version.
    """
    if review is not None and review.state in BLOCKING_STATES:
        return review.reason or f"{review.state} by the desk"
    if review is not None and review.state == APPROVED and (review.version or 0) >= article.version:
        return None
    if policy == "all":
        return "every version is reviewed before publishing"
    if policy == "flagged" and article.verification.flagged:
        return f"the checker flagged {article.verification.flagged} sentence(s)"
    return None


def releasable(
    pending: Sequence[Pending],
    reviews: Mapping[str, ReviewState],
    articles: Mapping[Pending, Article],
    policy: str,
) -> Decision:
    """The versions the review policy lets out now; the others are to be held.

    ``articles`` holds the pending versions (needed unless the policy is "none"). Once one
    version of a story is held, its later versions wait with it.
    """
    blocked = {story for story, review in reviews.items() if review.state in BLOCKING_STATES}
    decision = Decision(publish=[])
    for story_id, version in pending:
        if story_id in blocked:
            continue
        article = articles.get((story_id, version)) if policy != "none" else None
        reason = None if article is None else should_hold(article, reviews.get(story_id), policy)
        if article is not None and reason is not None:
            decision.hold.append((article, reason))
            blocked.add(story_id)
            continue
        decision.publish.append((story_id, version))
    return decision


def with_enough_sources(
    pending: Sequence[Pending],
    reviews: Mapping[str, ReviewState],
    outlets: Mapping[str, int],
    wanted: int,
) -> Decision:
    """The versions whose story has ``wanted`` independent ``outlets`` (or that an editor
    approved); the others wait for more reports.

    Versions are taken in order, each seeing the states the earlier ones left (a story's
    second version finds the first one's wait already recorded).
    """
    states = dict(reviews)
    decision = Decision(publish=[])
    for story_id, version in pending:
        found, review = outlets.get(story_id, 0), states.get(story_id)
        if found >= wanted or (review is not None and review.state == APPROVED):
            decision.publish.append((story_id, version))
            if review is not None and review.state == WAITING:
                decision.sourced.append(story_id)
                del states[story_id]
        elif review is None or review.state == WAITING:
            reason = f"waiting for sources: {found} of {wanted} independent outlets"
            if review is None or review.reason != reason:
                decision.wait.append(((story_id, version), reason))
                states[story_id] = ReviewState(WAITING, version, reason)
    return decision
