"""Extract the main text and metadata of an article page into a Document.

The page is parsed once. Metadata comes from what the page declares
(:mod:`newsdesk.extract.meta`). The text comes from the first of four extractors whose
output passes a quality check (long enough, not absurdly long, not a list of menu
lines): trafilatura tuned for precision (a missing paragraph costs less than a cookie
banner quoted as a source), then trafilatura's default mode (its baseline rescue and
recall retry read pages whose paragraphs precision mode discards as link lists or
layout), then readability-lxml, then a plain reader of the paragraphs of ``<article>``.
The Document records which one was used (``extractor``); a page none of them can read
raises ExtractionError naming what each found wrong.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import lxml.html
import trafilatura
from lxml import etree
from readability import Document as ReadabilityPage

from newsdesk.canonical import canonicalize_url
from newsdesk.extract.meta import PageMetadata, read_metadata
from newsdesk.extract.pagekind import not_news_reason
from newsdesk.records import Document, hash_text

MIN_CHARS = 200
MIN_WORDS = 25
MAX_CHARS = 200_000
"""Longer than any news article: a whole forum thread, a book, a page dump."""
SHORT_LINE_WORDS = 6
SHORT_TEXT_WORDS = 80
"""A text shorter than this is compared with the next extractor's."""
LONGER_FACTOR = 3.0
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_SENTENCE_END = re.compile(r"[.!?:;\"'\u201d\u2019)\u3002\uff01\uff1f\u300d\u300f\uff09]$")
# Han, kana and Hangul are written without spaces: count each character as half a word.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
_CJK_CHAR = re.compile(f"[{_CJK}]")
_WORD = re.compile(f"[^\\W{_CJK}]+")
# Comments and processing instructions removed as trafilatura's own loader does: a comment
# inside a paragraph otherwise splits it.
_PARSER = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Browsers decode these labels as windows-1252 (WHATWG Encoding), a superset of latin-1.
_AS_WINDOWS_1252 = frozenset({"iso-8859-1", "iso8859-1", "latin-1", "latin1", "us-ascii", "ascii"})
_NOT_CONTENT = "//script|//style|//noscript|//nav|//header|//footer|//aside|//form"

# <noscript> is not among them: a page rendered by JavaScript may hold its whole article
# there, and only trafilatura's default mode reads it back (the other extractors drop it
# themselves). Nothing in it runs, and judge_text and the furniture filter still apply.
NEVER_TEXT = ("script", "style", "template", "svg", "iframe", "object", "embed")
TextExtractor = Callable[[Any, str | None], str | None]


__all__ = ["ExtractionError", "canonicalize_url", "decode_html", "extract_document"]


class ExtractionError(ValueError):
    """The page holds no article text; the message names the page."""


@dataclass(frozen=True)
class ExtractedText:
    text: str
    extractor: str
    """Which extractor's output passed the quality check."""


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
    where = url or doc_id or "the page"
    page = html if isinstance(html, str) else decode_html(html)
    tree = parse_tree(page)
    if tree is None:
        raise ExtractionError(f"no article text found in {where} (not parseable as HTML)")
    meta = read_metadata(tree, url)
    # Every extractor drops these anyway; dropping them once makes their copies cheaper.
    etree.strip_elements(tree, *NEVER_TEXT, with_tail=False)
    extracted = extract_text(tree, url, meta.title, where)
    canonical = pick_canonical(url, meta.canonical)
    return build_document(extracted, meta, canonical, doc_id=doc_id, source=source)


def build_document(
    extracted: ExtractedText,
    meta: PageMetadata,
    canonical: str | None,
    *,
    doc_id: str | None,
    source: str | None,
) -> Document:
    document = Document(
        id=doc_id or make_document_id(canonical or "text:" + hash_text(extracted.text)),
        url=canonical,
        source=source or pick_sitename(meta.sitename, canonical),
        title=meta.title,
        author=meta.author,
        published=meta.published,
        updated=meta.updated,
        language=meta.language,
        image_url=meta.image,
        text=extracted.text,
        extractor=extracted.extractor,
    )
    return document.model_copy(update={"not_news": not_news_reason(document, meta.types)})


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


def extract_text(tree: Any, url: str | None, title: str | None, where: str) -> ExtractedText:
    """The first extractor's text that passes :func:`judge_text`; raise if none does.

    A passing text that is short is checked against the next extractors: a page whose
    article trafilatura missed often leaves it a short notice (reprints, paywall,
    consent), and a much longer text that also passes is then the article.
    """
    problems: list[str] = []
    chosen: ExtractedText | None = None
    for name, extractor in EXTRACTORS:
        if chosen is not None and name in RESCUES_ONLY:
            continue
        text = tidy_text(extractor(tree, url) or "", title)
        problem = judge_text(text)
        if problem is not None:
            problems.append(f"{name}: {problem}")
        elif chosen is None:
            chosen = ExtractedText(text, name)
        elif count_words(text) >= LONGER_FACTOR * count_words(chosen.text):
            return ExtractedText(text, name)
        if chosen is not None and count_words(chosen.text) >= SHORT_TEXT_WORDS:
            return chosen
    if chosen is None:
        raise ExtractionError(f"no article text found in {where} ({'; '.join(problems)})")
    return chosen


def judge_text(text: str) -> str | None:
    """Why ``text`` does not look like an article's body, or None when it does."""
    if len(text) < MIN_CHARS or count_words(text) < MIN_WORDS:
        return "too short"
    if len(text) > MAX_CHARS:
        return "too long"
    if looks_like_boilerplate(text):
        return "boilerplate-like"
    return None


def looks_like_boilerplate(text: str) -> bool:
    """Mostly short lines that do not end like sentences: menus, link lists, tag clouds."""
    lines = text.split("\n")
    words = [count_words(line) for line in lines]
    prose = sum(count for line, count in zip(lines, words, strict=True) if is_prose(line, count))
    return prose < 0.5 * sum(words)


def is_prose(line: str, words: float) -> bool:
    return words > SHORT_LINE_WORDS or _SENTENCE_END.search(line) is not None


def count_words(text: str) -> float:
    """Words in any script: space-separated runs, and half a word per CJK character."""
    return len(_WORD.findall(text)) + len(_CJK_CHAR.findall(text)) / 2


def run_trafilatura(tree: Any, url: str | None) -> str | None:
    """trafilatura's main text, tuned for precision (it works on its own copy of the tree)."""
    return trafilatura_text(tree, url, favor_precision=True)


def run_trafilatura_default(tree: Any, url: str | None) -> str | None:
    """trafilatura's default mode: asked only when precision mode's text failed."""
    return trafilatura_text(tree, url, favor_precision=False)


def trafilatura_text(tree: Any, url: str | None, *, favor_precision: bool) -> str | None:
    result = trafilatura.bare_extraction(
        tree,
        url=url,
        favor_precision=favor_precision,
        include_comments=False,
        include_tables=True,
        with_metadata=False,
    )
    text = getattr(result, "text", None)
    return text if isinstance(text, str) and text else None


def run_readability(tree: Any, url: str | None) -> str | None:
    """readability-lxml's article, as paragraphs of plain text."""
    page = lxml.html.tostring(tree, encoding="unicode")
    summary = ReadabilityPage(page, url=url).summary(html_partial=True)
    return paragraphs_of(parse_tree(summary))


def parse_tree(page: str) -> Any:
    """An lxml tree of the page, or None when it cannot be parsed at all."""
    try:
        return lxml.html.document_fromstring(
            _XML_DECLARATION.sub("", page, count=1), parser=_PARSER
        )
    except (etree.ParserError, ValueError):
        return None


def extract_fallback(tree: Any, url: str | None = None) -> str | None:
    """Paragraphs of the largest <article> (or <main>, or the body), one per line."""
    if tree is None:
        return None
    tree = lxml.html.fromstring(lxml.html.tostring(tree))  # work on a copy
    for element in tree.xpath(_NOT_CONTENT):
        element.drop_tree()
    roots = tree.xpath("//article") or tree.xpath("//main") or [tree]
    root = max(roots, key=lambda element: len(element.text_content()))
    return paragraphs_of(root)


def paragraphs_of(root: Any) -> str | None:
    if root is None:
        return None
    paragraphs = (" ".join(p.text_content().split()) for p in root.iter("p"))
    return "\n".join(p for p in paragraphs if p) or None


EXTRACTORS: tuple[tuple[str, TextExtractor], ...] = (
    ("trafilatura", run_trafilatura),
    ("trafilatura-default", run_trafilatura_default),
    ("readability", run_readability),
    ("paragraphs", extract_fallback),
)
# Default mode keeps what precision mode dropped, the short notice included: after a
# passing but short text, readability's article is the cleaner longer candidate (measured
# on the scrapinghub pages), so default mode only runs when precision mode's text failed.
RESCUES_ONLY = frozenset({"trafilatura-default"})


def tidy_text(text: str, title: str | None) -> str:
    """One paragraph per line, spaces collapsed, the repeated headline dropped."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    if lines and title and lines[0].casefold() == title.casefold():
        lines = lines[1:]
    return "\n".join(lines)


# --- metadata ------------------------------------------------------------------------


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


def pick_sitename(sitename: str | None, url: str | None) -> str | None:
    """The outlet's name from the page; None when trafilatura only echoed the host name."""
    if sitename is None:
        return None
    echoes = {site_of(url), urlsplit(url).netloc.lower().removeprefix("www.")} if url else set()
    if sitename.lower().removeprefix("www.") in echoes:
        return None
    return sitename
