"""A parser for untrusted XML (sitemaps, OPML): no entities, no DTDs, no network.

Sitemaps and OPML files never need entity declarations, so a document that declares
any is refused outright: that closes XXE (an entity naming a local file or a URL) and
"billion laughs" (entities expanding into each other) before the parser runs.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.I)
_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    huge_tree=False,
    remove_comments=True,
    remove_pis=True,
)


class UnsafeXMLError(ValueError):
    """The document is not XML we are willing to read; the message says why."""


def parse_xml(body: bytes, what: str) -> Any:
    """The root element of ``body``; ``what`` names the document in errors."""
    if not body.strip():
        raise UnsafeXMLError(f"{what} is empty")
    if _ENTITY_DECLARATION.search(body):
        raise UnsafeXMLError(f"{what} declares XML entities, which are never read")
    try:
        root = etree.fromstring(body, parser=_PARSER)
    except etree.XMLSyntaxError as error:
        raise UnsafeXMLError(f"{what} is not well-formed XML ({error.msg})") from None
    if root is None:
        raise UnsafeXMLError(f"{what} has no root element")
    return root


def local_name(element: Any) -> str:
    """The tag without its namespace ("{http://...}url" -> "url")."""
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def child_text(element: Any, name: str) -> str | None:
    """The stripped text of the first descendant called ``name`` (any namespace)."""
    for child in element.iter():
        if local_name(child) == name and child.text and child.text.strip():
            return str(child.text.strip())
    return None
