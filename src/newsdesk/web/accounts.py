"""Sign up, sign in, sign out and password reset: POST forms with CSRF tokens."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.exc import IntegrityError

from newsdesk.settings import Settings
from newsdesk.store import accounts, outbox
from newsdesk.web import ratelimit, tokens
from newsdesk.web.csrf import CsrfVisitor
from newsdesk.web.deps import StoreDep
from newsdesk.web.mail import deliver_outbox
from newsdesk.web.passwords import (
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from newsdesk.web.render import redirect, render
from newsdesk.web.sessions import Visitor, VisitorDep, end_session, start_session

router = APIRouter(include_in_schema=False)

DEVICE_COOKIE = "nd_device"
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s.]{2,63}")
_NAME = re.compile(r"[\w][\w .'-]{0,38}[\w.]", re.UNICODE)

Text = Annotated[str, Form(max_length=400)]
Secret = Annotated[str, Form(max_length=1024)]
NextPath = Annotated[str, Form(max_length=400)]


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


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


# --- sign up ---------------------------------------------------------------


@router.get("/signup", response_class=HTMLResponse)
def signup_page(request: Request, visitor: VisitorDep, next: str = "/") -> Response:
    return _form(request, "signup.html", visitor, error=None, email="", name="", next=next)


def _signup_problem(
    request: Request, store: StoreDep, email: str, name: str, pw: str
) -> str | None:
    if not _EMAIL.fullmatch(email):
        return "Enter a valid e-mail address."
    if not _NAME.fullmatch(name):
        return "The display name needs 2-40 letters, digits, spaces, dots, dashes or apostrophes."
    with store.session() as session:
        ratelimit.check_and_count(
            session,
            f"signup:addr:{client_address(request)}",
            _settings(request).signups_per_address,
            ratelimit.SIGNUP_WINDOW,
            "sign-ups from your address",
        )
        if accounts.is_name_taken(session, name):
            return "That display name is taken; choose another."
    return password_problem(pw, email, name)


@router.post("/signup", response_class=HTMLResponse)
def signup(
    request: Request,
    store: StoreDep,
    visitor: CsrfVisitor,
    email: Text,
    display_name: Text,
    password: Secret,
    next: NextPath = "/",
) -> Response:
    email = email.strip().lower()
    problem = _signup_problem(request, store, email, display_name.strip(), password)
    if problem is None:
        try:
            with store.session() as session:
                user = accounts.add_user(session, email, display_name, hash_password(password))
        except IntegrityError:
            problem = "An account with that e-mail address or name exists; sign in instead."
    if problem is not None:
        return _form(
            request,
            "signup.html",
            visitor,
            400,
            error=problem,
            email=email,
            name=display_name,
            next=next,
        )
    visitor = start_session(request, visitor, user.id)
    return redirect(request, safe_next(next), visitor)


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
    settings, address = _settings(request), client_address(request)
    key: bytes = request.app.state.secret_key
    known = tokens.is_device_of(key, request.cookies.get(DEVICE_COOKIE), email)
    with store.session() as session:
        ratelimit.check_login(session, settings, email, address, known)
        row = accounts.find_user_row(session, email)
        user_id, stored = (row.id, row.password_hash) if row else (None, None)
    if user_id is None or not verify_password(stored, password):
        with store.session() as session:
            ratelimit.record_login_failure(session, email, address)
        message = "That e-mail address and password do not match an account."
        return _form(request, "login.html", visitor, 400, error=message, email=email, next=next)
    with store.session() as session:
        ratelimit.record_login_success(session, email, address)
        accounts.purge_expired_sessions(session)
        if stored and needs_rehash(stored):
            accounts.set_password_hash(session, user_id, hash_password(password))
    visitor = start_session(request, visitor, user_id)
    response = redirect(request, safe_next(next), visitor)
    response.set_cookie(
        DEVICE_COOKIE,
        tokens.make_device_token(key, email),
        max_age=int(timedelta(days=180).total_seconds()),
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return response


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
            link = _absolute(
                request, f"/reset/{tokens.make_reset_token(key, row.id, row.password_hash)}"
            )
            body = (
                "Someone asked to reset the password of your account on "
                f"{_settings(request).site_name}.\n\n"
                f"To choose a new password, open this link within an hour:\n{link}\n\n"
                "If it was not you, ignore this mail; your password stays as it is.\n"
            )
            outbox.enqueue(session, row.email, "Reset your password", body)
    tasks.add_task(deliver_outbox, store, request.app.state.mail_sender)
    # The same answer whether or not the address has an account: no account discovery.
    return _form(request, "reset_request.html", visitor, sent=True)


def _absolute(request: Request, path: str) -> str:
    base = _settings(request).public_url.rstrip("/") or str(request.base_url).rstrip("/")
    return base + path


def _reset_user(store: StoreDep, request: Request, token: str) -> tuple[int, str]:
    key: bytes = request.app.state.secret_key
    named = tokens.read_reset_token(token)
    if named is not None:
        with store.session() as session:
            user = accounts.get_user(session, named[0])
            row = accounts.find_user_row(session, user.email) if user else None
        if row is not None and tokens.check_reset_token(key, token, row.password_hash):
            return row.id, row.email
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
    user_id, email = _reset_user(store, request, token)
    problem = password_problem(password, email, "")
    if problem is not None:
        return _form(request, "reset.html", visitor, 400, token=token, error=problem)
    with store.session() as session:
        accounts.set_password_hash(session, user_id, hash_password(password))
        accounts.delete_user_sessions(session, user_id)  # sign out everywhere
        accounts.clear_events(session, f"login:acct:{email}")
    visitor = start_session(request, Visitor(), user_id)
    return redirect(request, "/", visitor)
