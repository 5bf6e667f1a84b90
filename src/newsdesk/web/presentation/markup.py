"""Comments in a small Markdown subset, rendered to HTML and then sanitized with nh3.

Raw HTML in a comment is shown as text (markdown-it's ``html`` option is off); images,
headings and tables are not enabled; nh3 then keeps only the tags below, only http(s) and
mailto links, and gives every link rel="nofollow ugc noopener".
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = {"p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}
MAX_LENGTH = 5000

_MARKDOWN = (
    MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False, "breaks": True})
    .enable(["emphasis", "backticks", "blockquote", "list", "fence", "code", "link", "newline"])
    .enable(["autolink", "escape", "paragraph"])
)


def render_comment(text: str) -> str:
    html = _MARKDOWN.render(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener",
        strip_comments=True,
    )


def comment_problem(text: str) -> str | None:
    """Why a comment text is refused, or None."""
    if not text.strip():
        return "The comment is empty."
    if len(text) > MAX_LENGTH:
        return f"The comment is longer than {MAX_LENGTH} characters."
    return None


def clean_comment_html(html: str) -> Markup:
    """Sanitize stored comment HTML again when showing it (defence in depth)."""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener",
    )
    return Markup(cleaned)
