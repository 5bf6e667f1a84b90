"""The publish stage: which written versions go out now (the review policy and the
source count), and what each published story is related to.

Like every stage it never touches the store: ``newsdesk.operations.publish_versions`` is
the one publish operation (run by the pipeline, the desk and the API) that reads the
store, asks these functions, and saves what they decide.
"""

from newsdesk.publish.outlets import independent_outlets
from newsdesk.publish.related import (
    RELATED_COUNT,
    Nearest,
    Related,
    article_text,
    embed_articles,
    find_related,
    related_lists,
)
from newsdesk.publish.review import (
    APPROVED,
    BLOCKING_STATES,
    WAITING,
    Decision,
    Pending,
    ReleaseRules,
    ReviewState,
    releasable,
    should_hold,
    with_enough_sources,
)
from newsdesk.publish.sections import topics_of

__all__ = [
    "APPROVED",
    "BLOCKING_STATES",
    "RELATED_COUNT",
    "WAITING",
    "Decision",
    "Nearest",
    "Pending",
    "Related",
    "ReleaseRules",
    "ReviewState",
    "article_text",
    "embed_articles",
    "find_related",
    "independent_outlets",
    "related_lists",
    "releasable",
    "should_hold",
    "topics_of",
    "with_enough_sources",
]
