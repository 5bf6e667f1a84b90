"""Extract the main text and metadata of an article page into a Document.

trafilatura does the work (precision over recall: a missing paragraph costs less than a
cookie banner quoted as a source); a plain lxml ``<article>``/``<p>`` reader is the
fallback. Pages whose text is too short to be an article raise ExtractionError.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import lxml.html
import trafilatura
from lxml import etree

from newsdesk.records import Document, hash_text

MIN_CHARS = 200
MIN_WORDS = 25
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Browsers decode these labels as windows-1252 (WHATWG Encoding), a superset of latin-1.
_AS_WINDOWS_1252 = frozenset({"iso-8859-1", "iso8859-1", "latin-1", "latin1", "us-ascii", "ascii"})
_TRACKING_PARAMS = frozenset({"fbclid", "gclid", "mc_cid", "mc_eid", "ocid", "cmpid"})
_NOT_CONTENT = "//script|//style|//noscript|//nav|//header|//footer|//aside|//form"


class ExtractionError(ValueError):
    """The page holds no article text; the message names the page."""


def extract_document(
    html: bytes | str,
    *,
    url: str | None = None,
    doc_id: str | None = None,
    source: str | None = None,
) -> Document:
    """Build a Document from an article page.

    ``url`` is where the page was fetched (final URL); a same-site canonical link in the
    page replaces it. The id is ``doc_id``, else derived from the canonical URL, else from
    the text. ``source`` overrides the site name found in the page.
    """
    page = html if isinstance(html, str) else decode_html(html)
    found = run_trafilatura(page, url)
    tree = parse_tree(page)
    title = clean(found.get("title")) or (
        clean(tree.findtext(".//title")) if tree is not None else None
    )
    text = choose_text([found.get("text"), extract_fallback(tree)], title)
    if text is None:
        raise ExtractionError(f"no article text found in {url or doc_id or 'the page'}")
    canonical = pick_canonical(url, clean(found.get("url")))
    return Document(
        id=doc_id or make_document_id(canonical or "text:" + hash_text(text)),
        url=canonical,
        source=source or pick_sitename(clean(found.get("sitename")), canonical),
        title=title,
        published=parse_published(found.get("date")),
        language=read_language(tree),
        text=text,
    )


def make_document_id(canonical_url: str) -> str:
    """``doc-`` + the first 16 hex digits of the SHA-256 of the canonical URL."""
    return "doc-" + hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()[:16]


# --- decoding ------------------------------------------------------------------------


def decode_html(data: bytes, declared: str | None = None) -> str:
    """Decode a page: BOM, then the HTTP charset, then <meta charset>, then UTF-8."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace")
    meta = _META_CHARSET.search(data[:4096])
    for label in (declared, meta.group(1).decode("ascii") if meta else None):
        charset = lookup_codec(label)
        if charset is not None:
            return data.decode(charset, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def lookup_codec(label: str | None) -> str | None:
    """Python's codec name for a charset label, or None if unknown or not ASCII-based."""
    if not label:
        return None
    label = label.strip().lower()
    if label in _AS_WINDOWS_1252:
        return "cp1252"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # A page that could declare utf-16 in ASCII is not utf-16 (WHATWG says: use utf-8).
    return "utf-8" if name.startswith("utf-16") or name.startswith("utf-32") else name


# --- extraction ----------------------------------------------------------------------


def run_trafilatura(page: str, url: str | None) -> dict[str, Any]:
    """trafilatura's text and metadata as a dict (empty when it finds nothing)."""
    result = trafilatura.bare_extraction(
        page,
        url=url,
        favor_precision=True,
        include_comments=False,
        include_tables=False,
        with_metadata=True,
        # No "extensive" date search: it mistakes copyright years for publication dates.
        date_extraction_params={
            "extensive_search": False,
            "original_date": True,
            "outputformat": "%Y-%m-%dT%H:%M:%S%z",
        },
    )
    if result is None:
        return {}
    return dict(result.as_dict()) if hasattr(result, "as_dict") else dict(result)


def parse_tree(page: str) -> Any:
    """An lxml tree of the page, or None when it cannot be parsed at all."""
    try:
        return lxml.html.document_fromstring(_XML_DECLARATION.sub("", page, count=1))
    except (etree.ParserError, ValueError):
        return None


def extract_fallback(tree: Any) -> str | None:
    """Paragraphs of the largest <article> (or <main>, or the body), one per line."""
    if tree is None:
        return None
    tree = lxml.html.fromstring(lxml.html.tostring(tree))  # work on a copy
    for element in tree.xpath(_NOT_CONTENT):
        element.drop_tree()
    roots = tree.xpath("//article") or tree.xpath("//main") or [tree]
    root = max(roots, key=lambda element: len(element.text_content()))
    paragraphs = (" ".join(p.text_content().split()) for p in root.iter("p"))
    return "\n".join(p for p in paragraphs if p) or None


def choose_text(candidates: list[str | None], title: str | None) -> str | None:
    """The first candidate long enough to be an article, without a leading headline."""
    for candidate in candidates:
        text = tidy_text(candidate or "", title)
        if len(text) >= MIN_CHARS and len(text.split()) >= MIN_WORDS:
            return text
    return None


def tidy_text(text: str, title: str | None) -> str:
    """One paragraph per line, spaces collapsed, the repeated headline dropped."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    if lines and title and lines[0].casefold() == title.casefold():
        lines = lines[1:]
    return "\n".join(lines)


# --- metadata ------------------------------------------------------------------------


def clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    return text or None


def pick_canonical(fetched: str | None, declared: str | None) -> str | None:
    """The page's canonical URL when it is on the fetched site, else the fetched URL.

    A page may not claim another site's URL: ids derive from it, and a false claim would
    make the real article look already known.
    """
    if declared is not None and urlsplit(declared).scheme not in ("http", "https"):
        declared = None
    if fetched is None:
        return canonicalize_url(declared) if declared else None
    if declared is not None and site_of(declared) == site_of(fetched):
        return canonicalize_url(declared)
    return canonicalize_url(fetched)


def site_of(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def canonicalize_url(url: str) -> str:
    """Lower-case scheme and host, no default port, no fragment, no tracking parameters."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    if port is not None and (scheme, port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{port}"
    # Filter the raw pieces rather than re-encoding them, so other parameters stay as sent.
    query = "&".join(piece for piece in parts.query.split("&") if piece and not is_tracking(piece))
    return urlunsplit((scheme, host, parts.path or "/", query, ""))


def is_tracking(query_piece: str) -> bool:
    key = query_piece.split("=", 1)[0].lower()
    return key.startswith("utm_") or key in _TRACKING_PARAMS


def pick_sitename(sitename: str | None, url: str | None) -> str | None:
    """The outlet's name from the page; None when trafilatura only echoed the host name."""
    if sitename is None:
        return None
    echoes = {site_of(url), urlsplit(url).netloc.lower().removeprefix("www.")} if url else set()
    if sitename.lower().removeprefix("www.") in echoes:
        return None
    return sitename


def parse_published(value: object) -> datetime | None:
    """trafilatura's date string as an aware datetime (UTC when no offset is given)."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def read_title(tree: Any) -> str | None:
    return clean(tree.findtext(".//title")) if tree is not None else None


def read_language(tree: Any) -> str | None:
    """The primary language subtag of <html lang>, lower case ("en-GB" -> "en")."""
    if tree is None:
        return None
    lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    if not isinstance(lang, str) or not lang.strip():
        return None
    primary = lang.strip().replace("_", "-").split("-", 1)[0].lower()
    return primary if primary.isalpha() and len(primary) <= 8 else None
