"""CSRF protection: every state-changing form carries the token bound to the session.

Checked on every POST form route through the ``CsrfVisitor`` dependency: the token in the
form must equal the session's (constant-time), and a browser's Origin header, when sent,
must name this site. Both failures are a 403 page.
"""

from __future__ import annotations

import hmac
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, HTTPException, Request

from newsdesk.web.http.sessions import Visitor, load_visitor

FIELD = "csrf_token"
RELOAD = "reload the page and try again."


def _origin_matches(request: Request) -> bool:
    origin = request.headers.get("origin")
    if origin is None or origin == "null":  # not sent, or hidden: the token decides
        return True
    parts = urlsplit(origin)
    return parts.netloc == request.headers.get("host", request.url.netloc)


async def check_csrf(request: Request) -> Visitor:
    visitor = load_visitor(request)
    form = await request.form()
    sent = form.get(FIELD)
    expected = visitor.csrf_token
    if not _origin_matches(request):
        raise HTTPException(403, "This form was sent from another site.")
    if not isinstance(sent, str) or expected is None:
        raise HTTPException(403, f"The form's security token is missing or expired; {RELOAD}")
    if not hmac.compare_digest(sent.encode(), expected.encode()):
        raise HTTPException(403, f"The form's security token does not match; {RELOAD}")
    return visitor


CsrfVisitor = Annotated[Visitor, Depends(check_csrf)]
