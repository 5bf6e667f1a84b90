"""A parser for untrusted XML (sitemaps, OPML): no entities, no DTDs, no network.

Sitemaps and OPML files never need entity declarations, so a document that declares
any is refused outright: that closes XXE (an entity naming a local file or a URL) and
"billion laughs" (entities expanding into each other) before the parser runs.

:func:`parse_xml_leniently` reads what hand-written files get wrong (HTML entity names,
a bare ``&``, unclosed or stray tags) with libxml2's recover mode, under the same rules:
entity references are rewritten to characters before parsing, never declared or fetched.
"""

from __future__ import annotations

import re
from html.entities import html5
from typing import Any

from lxml import etree

_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.I)
_HARDENED = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}
_PARSER = etree.XMLParser(**_HARDENED)
_RECOVERING_PARSER = etree.XMLParser(recover=True, **_HARDENED)
# "&" and what follows it, when that is a reference XML reads itself or a named one.
_REFERENCE = re.compile(rb"&(?:(#[0-9]{1,7};|#x[0-9a-f]{1,6};)|([a-z][a-z0-9]{0,31});)?", re.I)
_XML_NAMES = frozenset({b"amp", b"lt", b"gt", b"quot", b"apos"})


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


def parse_xml_leniently(body: bytes, what: str) -> tuple[Any, str | None]:
    """The root of ``body`` and, when it is not well-formed, why (the recovered tree may
    then lack whatever the damage hid). Raises UnsafeXMLError as :func:`parse_xml` does,
    or with the first error when nothing at all can be recovered."""
    try:
        return parse_xml(body, what), None
    except UnsafeXMLError as error:
        if _ENTITY_DECLARATION.search(body) or not body.strip():
            raise
        problem = str(error)
    repaired = references_as_characters(body)
    try:
        return etree.fromstring(repaired, parser=_PARSER), None  # only references were wrong
    except etree.XMLSyntaxError:
        pass
    try:
        root = etree.fromstring(repaired, parser=_RECOVERING_PARSER)
    except etree.XMLSyntaxError:
        root = None
    if root is None:
        raise UnsafeXMLError(problem)
    return root, problem


def references_as_characters(body: bytes) -> bytes:
    """HTML entity names as numeric references, a bare "&" or unknown name as text: what a
    browser shows. Recover mode would drop them, and cut "?a=1&b=2" to "?a=1=2"."""
    return _REFERENCE.sub(_rewrite_reference, body)


def _rewrite_reference(match: re.Match[bytes]) -> bytes:
    numeric, name = match.groups()
    if numeric is not None or name in _XML_NAMES:
        return match.group(0)
    characters = html5.get(name.decode("ascii") + ";") if name is not None else None
    if characters is None:
        return b"&amp;" + match.group(0)[1:]
    return b"".join(b"&#%d;" % ord(character) for character in characters)


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
