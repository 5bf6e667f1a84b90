"""The one spelling of a page's URL under which newsdesk knows it (used to tell a page
already fetched, under any of its addresses, and to store its canonical address)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "ocid",
        "cmpid",
        "smid",
        "ref_src",
        "ref_url",
        "_ga",
        "_gl",
        "amp",
        "outputtype",
    }
)
TRACKING_PREFIXES = ("utm_", "at_", "pk_", "mtm_")
MOBILE_HOST_LABELS = frozenset({"m", "mobile", "amp"})
_AMP_PATH = re.compile(r"(?:/amp/?$)|(?:/amp(?=/))|(?:\.amp(?=\.html?$|$))", re.I)


def canonicalize_url(url: str) -> str:
    """The one spelling of a page's URL under which newsdesk knows it.

    Lower-case scheme and host, no default port, no fragment, no tracking parameters
    (``utm_*``, ``fbclid`` ...), and AMP or mobile variants (``amp.`` / ``m.`` hosts,
    ``/amp`` paths, ``.amp.html``) mapped to the ordinary page. Other query parameters
    stay as sent, in their order: they may select the article.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = strip_mobile_label((parts.hostname or "").lower())
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    if port is not None and (scheme, port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{port}"
    path = _AMP_PATH.sub("", parts.path) or "/"
    query = "&".join(piece for piece in parts.query.split("&") if piece and not is_tracking(piece))
    return urlunsplit((scheme, host, path, query, ""))


def strip_mobile_label(host: str) -> str:
    """ "m.news.example" -> "news.example"; a bare two-label host is left alone."""
    labels = host.split(".")
    if len(labels) > 2 and labels[0] in MOBILE_HOST_LABELS:
        return ".".join(labels[1:])
    return host


def is_tracking(query_piece: str) -> bool:
    key = query_piece.split("=", 1)[0].lower()
    return key.startswith(TRACKING_PREFIXES) or key in TRACKING_PARAMS
