"""Drop documents whose content was already seen (same text up to whitespace and case)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from newsdesk.records import Document


def drop_exact_duplicates(
    documents: Iterable[Document], seen_hashes: set[str] | None = None
) -> Iterator[Document]:
    """Yield each document whose content hash has not been seen; remembers what it yields."""
    seen = seen_hashes if seen_hashes is not None else set()
    seen_ids: set[str] = set()
    for doc in documents:
        digest = doc.content_hash
        if digest in seen or doc.id in seen_ids:
            continue
        seen.add(digest)
        seen_ids.add(doc.id)
        yield doc
