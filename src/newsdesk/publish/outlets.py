"""Whether a story has enough independent sources to be published."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

from newsdesk.records import Document


def independent_outlets(documents: Sequence[Document]) -> int:
    """Outlets that reported the story themselves: a syndicated copy (``duplicate_of``)
    is not another source, and one outlet's several reports count once."""
    outlets = {_outlet(d) for d in documents if d.duplicate_of is None}
    return len(outlets)


def _outlet(document: Document) -> str:
    if document.source:
        return document.source.casefold()
    host = urlsplit(document.url).hostname if document.url else None
    return (host or document.id).removeprefix("www.")
