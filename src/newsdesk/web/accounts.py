"""Sign up, sign in, sign out and password reset: POST forms with CSRF tokens.

No answer tells whether an e-mail address has an account. Signing up asks for the address
first and mails it a link to finish signing up or, if it has an account already, a note
that someone tried; only the mailbox learns which. Signing in with an unknown address
checks the password against a dummy hash, so it takes as long as a wrong password.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, BackgroundTasks, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from newsdesk.accounts import mails, tokens
from newsdesk.accounts.passwords import (
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from newsdesk.mail import deliver_outbox
from newsdesk.settings import Settings
from newsdesk.store.db import Store
from newsdesk.store.site import accounts
from newsdesk.web.http import ratelimit
from newsdesk.web.http.csrf import CsrfVisitor
from newsdesk.web.http.deps import StoreDep
from newsdesk.web.http.ratelimit import client_address
from newsdesk.web.http.render import redirect, render
from newsdesk.web.http.sessions import (
    Visitor,
    VisitorDep,
    end_session,
    is_https,
    start_session,
)

router = APIRouter(include_in_schema=False)

DEVICE_COOKIE = "nd_device"
DEVICE_COOKIE_AGE = timedelta(days=180)
SIGNUP_MAILS_PER_ADDRESS = 3  # sign-up mails that one e-mail address gets per hour, at most
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s.]{2,63}")
_NAME = re.compile(r"[\w][\w .'-]{0,38}[\w.]", re.UNICODE)

BAD_EMAIL = "Enter a valid e-mail address."
BAD_NAME = "The display name needs 2-40 letters, digits, spaces, dots, dashes or apostrophes."
BAD_SIGNUP_LINK = (
    "This sign-up link has expired or was sent to another e-mail address: check the "
    "address, or ask for a new link."
)
LOGIN_FAILED = "That e-mail address and password do not match an account."

Text = Annotated[str, Form(max_length=400)]
Secret = Annotated[str, Form(max_length=1024)]
NextPath = Annotated[str, Form(max_length=400)]


def safe_next(path: str | None) -> str:
    """Only a path on this site (never //host or a scheme), else the front page."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    return path


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _form(
    request: Request, template: str, visitor: Visitor, status: int = 200, **context: Any
) -> Response:
    return render(request, template, context, visitor, status_code=status, with_form=True)


def _absolute(request: Request, path: str) -> str:
    base = _settings(request).public_url.rstrip("/") or str(request.base_url).rstrip("/")
    return base + path


def _signed_in(request: Request, visitor: Visitor, user_id: int, email: str, next: str) -> Response:
    """A fresh session for ``user_id``, a redirect to ``next``, and the device cookie that
    spares this browser the sign-in limits counted against others (see ``ratelimit``)."""
    visitor = start_session(request, visitor, user_id)
    response = redirect(request, safe_next(next), visitor)
    response.set_cookie(
        DEVICE_COOKIE,
        tokens.make_device_token(request.app.state.secret_key, email),
        max_age=int(DEVICE_COOKIE_AGE.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=is_https(request),
    )
    return response


# --- sign up: the address first, then the form that the mailed link opens ---------


@router.get("/signup", response_class=HTMLResponse)
def signup_page(request: Request, visitor: VisitorDep, next: str = "/") -> Response:
    return _form(request, "signup.html", visitor, error=None, email="", next=next, sent=False)


@router.post("/signup", response_class=HTMLResponse)
def signup_request(
    request: Request,
    store: StoreDep,
    visitor: CsrfVisitor,
    tasks: BackgroundTasks,
    email: Text,
    next: NextPath = "/",
) -> Response:
    email = email.strip().lower()
    if not _EMAIL.fullmatch(email):
        context: dict[str, Any] = {"error": BAD_EMAIL, "email": email, "next": next, "sent": False}
        return _form(request, "signup.html", visitor, 400, **context)
    with store.session() as session:
        ratelimit.check_and_count(
            session,
            f"signup:addr:{client_address(request)}",
            _settings(request).signups_per_address,
            ratelimit.SIGNUP_WINDOW,
            "sign-ups from your address",
        )
        _mail_signup(request, session, email, next)
    tasks.add_task(deliver_outbox, store, request.app.state.mail_sender)
    # The same answer whether or not the address has an account: no account discovery.
    return _form(request, "signup.html", visitor, error=None, email=email, next=next, sent=True)


def _mail_signup(request: Request, session: Session, email: str, next: str) -> None:
    """Mail ``email`` a link to finish signing up, or a note if it has an account."""
    key, window = f"signup:mail:{email}", ratelimit.SIGNUP_WINDOW
    if not ratelimit.allow(session, key, SIGNUP_MAILS_PER_ADDRESS, window):
        return  # no mail bombing of one address; the answer does not change
    site = _settings(request).site_name
    if accounts.find_user_row(session, email) is not None:
        login, reset = _absolute(request, "/login"), _absolute(request, "/reset")
        mails.signup_attempted(session, email, site, login, reset)
        return
    token = tokens.make_signup_token(request.app.state.secret_key, email)
    query = "" if safe_next(next) == "/" else "?" + urlencode({"next": safe_next(next)})
    mails.signup_link(session, email, site, _absolute(request, f"/signup/{token}{query}"))


@router.get("/signup/{token}", response_class=HTMLResponse)
def signup_finish_page(
    request: Request, visitor: VisitorDep, token: str, next: str = "/"
) -> Response:
    if not tokens.signup_token_live(token):
        raise HTTPException(400, BAD_SIGNUP_LINK)
    context: dict[str, Any] = {"token": token, "error": None, "email": "", "name": "", "next": next}
    return _form(request, "signup_finish.html", visitor, **context)


@router.post("/signup/{token}", response_class=HTMLResponse)
def signup_finish(
    request: Request,
    store: StoreDep,
    visitor: CsrfVisitor,
    token: str,
    email: Text,
    display_name: Text,
    password: Secret,
    next: NextPath = "/",
) -> Response:
    email, name = email.strip().lower(), display_name.strip()
    problem = _finish_problem(request, store, token, email, name, password)
    user_id = None
    if problem is None:
        user_id, problem = _create_account(store, email, name, password)
    if user_id is None:
        context: dict[str, Any] = {
            "token": token,
            "error": problem,
            "email": email,
            "name": display_name,
        }
        return _form(request, "signup_finish.html", visitor, 400, next=next, **context)
    return _signed_in(request, visitor, user_id, email, next)


def _finish_problem(
    request: Request, store: Store, token: str, email: str, name: str, password: str
) -> str | None:
    """Why the account cannot be made; only the holder of the mailed link sees this."""
    if not tokens.check_signup_token(request.app.state.secret_key, token, email):
        return BAD_SIGNUP_LINK
    if not _NAME.fullmatch(name):
        return BAD_NAME
    with store.session() as session:
        if accounts.find_user_row(session, email) is not None:
            return "This e-mail address has an account already: sign in, or reset its password."
        if accounts.is_name_taken(session, name):
            return "That display name is taken; choose another."
    return password_problem(password, email, name, _settings(request).site_name)


def _create_account(
    store: Store, email: str, name: str, password: str
) -> tuple[int | None, str | None]:
    """(the new user's id, None), or (None, why not) when another request came first."""
    password_hash = hash_password(password)
    try:
        with store.session() as session:
            return accounts.add_user(session, email, name, password_hash).id, None
    except IntegrityError:
        return None, "That e-mail address or display name was taken just now; try again."


# --- sign in / out ---------------------------------------------------------


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, visitor: VisitorDep, next: str = "/") -> Response:
    return _form(request, "login.html", visitor, error=None, email="", next=next)


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    store: StoreDep,
    visitor: CsrfVisitor,
    email: Text,
    password: Secret,
    next: NextPath = "/",
) -> Response:
    key: bytes = request.app.state.secret_key
    device = tokens.device_id(key, request.cookies.get(DEVICE_COOKIE), email)
    with store.session() as session:
        # Counted before the password is checked, so parallel guesses cannot outrun it.
        attempt = ratelimit.count_login(
            session, _settings(request), email, client_address(request), device
        )
        row = accounts.find_user_row(session, email)
        user_id, stored = (row.id, row.password_hash) if row else (None, None)
    # Checked first and always, against a dummy hash if there is no account: same work.
    if not verify_password(stored, password) or user_id is None or stored is None:
        return _form(
            request, "login.html", visitor, 400, error=LOGIN_FAILED, email=email, next=next
        )
    with store.session() as session:
        ratelimit.login_succeeded(session, attempt)
        accounts.purge_expired_sessions(session)
        if needs_rehash(stored):
            accounts.set_password_hash(session, user_id, hash_password(password))
    return _signed_in(request, visitor, user_id, email, next)


@router.post("/logout")
def logout(request: Request, visitor: CsrfVisitor) -> Response:
    return redirect(request, "/", end_session(request, visitor))


# --- password reset --------------------------------------------------------


@router.get("/reset", response_class=HTMLResponse)
def reset_request_page(request: Request, visitor: VisitorDep) -> Response:
    return _form(request, "reset_request.html", visitor, sent=False)


@router.post("/reset", response_class=HTMLResponse)
def reset_request(
    request: Request, store: StoreDep, visitor: CsrfVisitor, tasks: BackgroundTasks, email: Text
) -> Response:
    key: bytes = request.app.state.secret_key
    with store.session() as session:
        ratelimit.check_and_count(
            session,
            f"reset:addr:{client_address(request)}",
            5,
            ratelimit.SIGNUP_WINDOW,
            "password-reset requests from your address",
        )
        row = accounts.find_user_row(session, email)
        if row is not None:
            token = tokens.make_reset_token(key, row.id, row.password_hash)
            link = _absolute(request, f"/reset/{token}")
            mails.reset_link(session, row.email, _settings(request).site_name, link)
    tasks.add_task(deliver_outbox, store, request.app.state.mail_sender)
    # The same answer whether or not the address has an account: no account discovery.
    return _form(request, "reset_request.html", visitor, sent=True)


def _reset_user(store: StoreDep, request: Request, token: str) -> tuple[int, str, str]:
    key: bytes = request.app.state.secret_key
    named = tokens.read_reset_token(token)
    if named is not None:
        with store.session() as session:
            user = accounts.get_user(session, named[0])
            row = accounts.find_user_row(session, user.email) if user else None
        if row is not None and tokens.check_reset_token(key, token, row.password_hash):
            return row.id, row.email, row.display_name
    raise HTTPException(
        400, "This password-reset link is invalid or has expired; ask for a new one."
    )


@router.get("/reset/{token}", response_class=HTMLResponse)
def reset_page(request: Request, store: StoreDep, visitor: VisitorDep, token: str) -> Response:
    _reset_user(store, request, token)
    return _form(request, "reset.html", visitor, token=token, error=None)


@router.post("/reset/{token}", response_class=HTMLResponse)
def reset(
    request: Request, store: StoreDep, visitor: CsrfVisitor, token: str, password: Secret
) -> Response:
    user_id, email, name = _reset_user(store, request, token)
    problem = password_problem(password, email, name, _settings(request).site_name)
    if problem is not None:
        return _form(request, "reset.html", visitor, 400, token=token, error=problem)
    with store.session() as session:
        accounts.set_password_hash(session, user_id, hash_password(password))
        accounts.delete_user_sessions(session, user_id)  # sign out everywhere
        accounts.clear_events(session, f"login:acct:{email}")
    visitor = start_session(request, Visitor(), user_id)
    return redirect(request, "/", visitor)
