"""Accounts: sign up, sign in, sign out, sessions, CSRF, rate limits, password reset."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from newsdesk.accounts import tokens
from newsdesk.store.db import Store
from newsdesk.store.site import accounts
from newsdesk.store.site_models import OutboxRow, UserRow, WebSessionRow
from newsdesk.web import create_app
from newsdesk.web.accounts import DEVICE_COOKIE, SIGNUP_MAILS_PER_ADDRESS, safe_next
from newsdesk.web.http.sessions import COOKIE, hash_token
from web_seed import (
    PASSWORD,
    csrf_from,
    finish_sign_up,
    form_token,
    mailed_link,
    make_user,
    request_sign_up,
    seeded_store,
    sign_in,
    sign_up,
    site_settings,
    use_fast_hashing,
)


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[TestClient, Store]]:
    use_fast_hashing(monkeypatch)
    settings, store = seeded_store(tmp_path)
    with TestClient(create_app(site_settings(settings), store)) as client:
        yield client, store
    store.close()


def new_client(client: TestClient, address: str = "testclient") -> TestClient:
    """Another browser, by default on the same address as the others."""
    return TestClient(client.app, client=(address, 50000))


def test_sign_up_signs_in_and_stores_an_argon2id_hash(site: tuple[TestClient, Store]) -> None:
    client, store = site
    response = sign_up(client, "Ada@Example.org", "Ada Reader")
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    assert "Signed in as Ada Reader" in client.get("/").text
    with store.session() as session:
        row = accounts.find_user_row(session, "ada@example.org")
        assert row is not None and row.role == "reader"
        assert row.password_hash.startswith("$argon2id$")
        assert PASSWORD not in row.password_hash


def test_session_cookie_flags(site: tuple[TestClient, Store]) -> None:
    client, _ = site
    response = sign_up(client, "ada@example.org", "Ada")
    cookie = next(v for k, v in response.headers.multi_items() if k == "set-cookie" and COOKIE in v)
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie or "samesite=lax" in cookie.lower()
    assert "Secure" not in cookie  # plain http here; see the https test below
    assert re.search(r"Max-Age=\d+", cookie)


def test_cookie_is_secure_over_https(site: tuple[TestClient, Store]) -> None:
    client, _ = site
    secure = TestClient(client.app, base_url="https://testserver")
    response = secure.get("/login")
    cookie = response.headers["set-cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie


@pytest.mark.parametrize(
    ("email", "name", "password", "problem"),
    [
        ("not-an-address", "Bob", PASSWORD, "valid e-mail"),
        ("bob@example.org", "B", PASSWORD, "display name"),
        ("bob@example.org", "Bob", "short", "at least 12"),
        ("bob@example.org", "Bob", "elevenchars", "at least 12"),
        ("bob@example.org", "Bob", "bob@example.org", "mostly your e-mail address"),
        ("bob@example.org", "Bob", "aaaaaaaaaaaa", "mostly repeated characters"),
        # Found accepted by the security review (ASVS 2.1.7): now refused, saying why.
        ("bob@example.org", "Bob", "password1234", "a word common in passwords"),
        ("bob@example.org", "Bob", "123456789012", "a run of letters or digits"),
        ("bob@example.org", "Bob", "qwertyuiop123", "a keyboard row"),
    ],
)
def test_sign_up_refuses_bad_input_with_a_clear_message(
    site: tuple[TestClient, Store], email: str, name: str, password: str, problem: str
) -> None:
    client, store = site
    response = sign_up(client, email, name, password)
    assert response.status_code == 400
    assert problem in response.text
    with store.session() as session:
        assert accounts.list_users(session) == []


def test_duplicate_email_or_name_is_refused(site: tuple[TestClient, Store]) -> None:
    client, store = site
    assert sign_up(client, "ada@example.org", "Ada").status_code == 303
    other = new_client(client)
    again = sign_up(other, "ADA@example.org", "Someone")
    assert again.status_code == 200 and "Check your e-mail" in again.text  # no link: no account
    assert "taken" in sign_up(other, "else@example.org", "ada").text
    with store.session() as session:
        assert len(accounts.list_users(session)) == 1


def _answer(response: Response, email: str) -> str:
    """A page as any visitor would compare it: without its CSRF token and the typed address."""
    return re.sub(r'value="[^"]*"', "", response.text).replace(email, "EMAIL")


def test_sign_up_answers_the_same_whether_or_not_the_address_has_an_account(
    site: tuple[TestClient, Store],
) -> None:
    client, store = site
    make_user(store, "ada@example.org", "Ada")
    known = request_sign_up(new_client(client), "ada@example.org")
    fresh = request_sign_up(new_client(client), "bob@example.org")
    assert known.status_code == fresh.status_code == 200
    assert _answer(known, "ada@example.org") == _answer(fresh, "bob@example.org")
    assert "Check your e-mail" in fresh.text and "exists" not in known.text
    with store.session() as session:
        mails = {m.recipient: m for m in session.query(OutboxRow)}
        assert len(accounts.list_users(session)) == 1  # nothing made before the link is opened
    # The owner hears that someone tried, with the ways back in; no link to a new account.
    note = mails["ada@example.org"]
    assert "already has an account" in note.body and "/signup/" not in note.body
    assert "http://testserver/login" in note.body and "http://testserver/reset" in note.body
    assert note.sent_at is not None
    assert "/signup/" in mails["bob@example.org"].body


def test_the_real_user_finishes_signing_up_through_the_mailed_link(
    site: tuple[TestClient, Store],
) -> None:
    client, store = site
    asked = request_sign_up(client, "Bob@Example.org", next="/stories/story-rail-bill")
    assert asked.status_code == 200
    link = mailed_link(client, "bob@example.org", "/signup/")
    assert link is not None and "bob" not in link.lower()  # no address in the link
    # The link is good for the address it was sent to, and no other.
    other = finish_sign_up(new_client(client), link, "eve@example.org", "Eve")
    assert other.status_code == 400 and "sent to another e-mail address" in other.text
    done = finish_sign_up(client, link, "bob@example.org", "Bob")
    assert done.status_code == 303
    assert done.headers["location"] == "/stories/story-rail-bill"
    assert "Signed in as Bob" in client.get("/").text
    assert client.cookies.get(DEVICE_COOKIE)
    with store.session() as session:
        assert [u.email for u in accounts.list_users(session)] == ["bob@example.org"]
    # Used: the address has an account now, and the link cannot make another.
    assert finish_sign_up(new_client(client), link, "bob@example.org", "Bob2").status_code == 400


def test_an_expired_or_forged_sign_up_link_is_refused(site: tuple[TestClient, Store]) -> None:
    client, _ = site
    key: bytes = client.app.state.secret_key  # type: ignore[attr-defined]
    expired = tokens.make_signup_token(key, "bob@example.org", now=1000.0)
    assert client.get(f"/signup/{expired}").status_code == 400
    assert client.get("/signup/garbage").status_code == 400
    assert client.get("/signup/²².x").status_code == 400
    assert client.get(f"/signup/{'9' * 5000}.x").status_code == 400
    forged = f"/signup/{int(time.time()) + 60}.forgedsignature"
    response = finish_sign_up(client, forged, "bob@example.org", "Bob")
    assert response.status_code == 400 and "sent to another e-mail address" in response.text


def test_sign_up_mails_to_one_address_are_capped(site: tuple[TestClient, Store]) -> None:
    client, store = site
    for n in range(5):
        assert (
            request_sign_up(new_client(client, f"198.51.100.{n}"), "bob@example.org").status_code
            == 200
        )
    with store.session() as session:
        assert session.query(OutboxRow).count() == SIGNUP_MAILS_PER_ADDRESS


def test_sign_in_starts_a_new_session_id_no_fixation(site: tuple[TestClient, Store]) -> None:
    client, store = site
    sign_up(new_client(client), "ada@example.org", "Ada")
    client.get("/login")  # an anonymous session for the form
    planted = client.cookies.get(COOKIE)
    assert planted
    response = sign_in(client, "ada@example.org")
    assert response.status_code == 303
    fresh = client.cookies.get(COOKIE)
    assert fresh and fresh != planted
    with store.session() as session:
        assert session.get(WebSessionRow, hash_token(planted)) is None
        row = session.get(WebSessionRow, hash_token(fresh))
        assert row is not None and row.user_id is not None
    # The planted id is worth nothing afterwards.
    attacker = new_client(client)
    attacker.cookies.set(COOKIE, planted)
    assert "Signed in as" not in attacker.get("/").text


def test_cookie_replay_after_sign_out_is_anonymous(site: tuple[TestClient, Store]) -> None:
    client, store = site
    sign_up(client, "ada@example.org", "Ada")
    stolen = client.cookies.get(COOKIE)
    token = csrf_from(client.get("/").text)
    response = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert "Sign in" in client.get("/").text
    replay = new_client(client)
    replay.cookies.set(COOKIE, stolen)
    assert "Signed in as" not in replay.get("/").text
    with store.session() as session:
        assert session.query(WebSessionRow).filter_by(id=hash_token(stolen)).count() == 0


def test_expired_session_is_not_accepted(site: tuple[TestClient, Store]) -> None:
    client, store = site
    sign_up(client, "ada@example.org", "Ada")
    with store.session() as session:
        for row in session.query(WebSessionRow):
            row.expires_at = row.created_at
    assert "Signed in as" not in client.get("/").text


def test_wrong_password_and_unknown_account_get_the_same_answer(
    site: tuple[TestClient, Store],
) -> None:
    client, _ = site
    sign_up(new_client(client), "ada@example.org", "Ada")
    wrong = sign_in(client, "ada@example.org", "wrong password here")
    unknown = sign_in(client, "nobody@example.org", "wrong password here")
    assert wrong.status_code == unknown.status_code == 400
    message = "do not match an account"
    assert message in wrong.text and message in unknown.text


@pytest.mark.parametrize("path", ["/login", "/signup", "/logout", "/reset"])
def test_forms_without_csrf_token_are_refused(site: tuple[TestClient, Store], path: str) -> None:
    client, store = site
    client.get("/login")
    data = {"email": "ada@example.org", "display_name": "Ada", "password": PASSWORD}
    assert client.post(path, data=data).status_code == 403
    assert client.post(path, data={**data, "csrf_token": "forged"}).status_code == 403
    with store.session() as session:
        assert accounts.list_users(session) == []


def test_csrf_token_from_another_session_is_refused(site: tuple[TestClient, Store]) -> None:
    client, _ = site
    other_token = form_token(new_client(client), "/signup")
    client.get("/signup")
    data = {
        "csrf_token": other_token,
        "email": "a@example.org",
        "display_name": "Ada",
        "password": PASSWORD,
    }
    assert client.post("/signup", data=data).status_code == 403


def test_cross_site_origin_is_refused_even_with_a_token(site: tuple[TestClient, Store]) -> None:
    client, _ = site
    token = form_token(client, "/signup")
    data = {
        "csrf_token": token,
        "email": "a@example.org",
        "display_name": "Ada",
        "password": PASSWORD,
    }
    response = client.post("/signup", data=data, headers={"Origin": "https://evil.example"})
    assert response.status_code == 403


def test_brute_force_is_stopped_with_429_but_not_the_real_user(
    site: tuple[TestClient, Store],
) -> None:
    client, _ = site
    owner = new_client(client)
    sign_up(owner, "ada@example.org", "Ada")
    attacker = new_client(client, "203.0.113.9")
    codes = [
        sign_in(attacker, "ada@example.org", f"guess number {n}").status_code for n in range(7)
    ]
    assert codes[:5] == [400] * 5
    assert codes[5:] == [429, 429]
    blocked = sign_in(attacker, "ada@example.org", PASSWORD)
    assert blocked.status_code == 429
    assert "Retry-After" in blocked.headers
    # The account holder, at another address, still signs in.
    assert sign_in(new_client(client, "198.51.100.7"), "ada@example.org").status_code == 303


def test_failures_from_many_addresses_spare_the_owners_known_device(
    site: tuple[TestClient, Store],
) -> None:
    client, store = site
    sign_up(new_client(client), "ada@example.org", "Ada")
    owner = new_client(client)
    assert sign_in(owner, "ada@example.org").status_code == 303
    with store.session() as session:
        for _ in range(25):  # as if many addresses had failed against this account
            accounts.add_event(session, "login:acct:ada@example.org")
    stranger = new_client(client, "198.51.100.8")
    assert sign_in(stranger, "ada@example.org").status_code == 429
    owner.cookies.delete(COOKIE)  # signed out, but the device cookie stays
    assert sign_in(owner, "ada@example.org").status_code == 303


def test_sign_up_is_rate_limited_per_address(site: tuple[TestClient, Store]) -> None:
    client, _ = site
    codes = [
        sign_up(new_client(client), f"u{n}@example.org", f"User {n}").status_code for n in range(6)
    ]
    assert codes == [303] * 5 + [429]


def test_password_reset_by_signed_single_use_link(site: tuple[TestClient, Store]) -> None:
    client, store = site
    sign_up(new_client(client), "ada@example.org", "Ada")
    token = form_token(client, "/reset")
    answer = client.post("/reset", data={"csrf_token": token, "email": "ada@example.org"})
    unknown = client.post("/reset", data={"csrf_token": token, "email": "zed@example.org"})
    assert answer.status_code == unknown.status_code == 200
    assert "If an account uses that address" in answer.text
    with store.session() as session:
        mails = session.query(OutboxRow).filter_by(subject="Reset your password").all()
        assert [m.recipient for m in mails] == ["ada@example.org"]
        link = re.search(r"http://testserver(/reset/\S+)", mails[0].body)
        assert link is not None
        assert mails[0].sent_at is not None  # handed to the (log) sender
    path = link.group(1)
    form = client.get(path)
    assert form.status_code == 200
    new_password = "a brand new passphrase"
    done = client.post(path, data={"csrf_token": csrf_from(form.text), "password": new_password})
    assert done.status_code == 200 and "Signed in as Ada" in done.text
    assert sign_in(new_client(client), "ada@example.org", new_password).status_code == 303
    assert sign_in(new_client(client), "ada@example.org").status_code == 400
    assert client.get(path).status_code == 400  # used once: the hash it signed changed


def test_reset_link_with_a_forged_signature_is_refused(site: tuple[TestClient, Store]) -> None:
    client, store = site
    sign_up(new_client(client), "ada@example.org", "Ada")
    with store.session() as session:
        user_id = session.query(UserRow).one().id
    response = client.get(f"/reset/{user_id}.9999999999.forgedsignature")
    assert response.status_code == 400
    assert "invalid or has expired" in response.text
    assert client.get("/reset/garbage").status_code == 400
    # Not a server error: a digit that int() refuses, or a signature that is not ASCII.
    assert client.get(f"/reset/{user_id}.².x").status_code == 400
    assert client.get(f"/reset/{user_id}.9999999999.é").status_code == 400


def test_redirect_after_sign_in_stays_on_this_site() -> None:
    assert safe_next("/stories/x") == "/stories/x"
    for hostile in ("https://evil.example", "//evil.example", "/\\evil.example", "", None):
        assert safe_next(hostile) == "/"


def test_forms_have_labels_and_autocomplete(site: tuple[TestClient, Store]) -> None:
    client, _ = site
    assert '<label for="email"' in client.get("/signup").text
    request_sign_up(client, "bob@example.org")
    link = mailed_link(client, "bob@example.org", "/signup/")
    assert link is not None
    html = client.get(link).text
    for field in ("email", "display_name", "password"):
        assert f'<label for="{field}"' in html
    assert 'autocomplete="new-password"' in html and 'minlength="12"' in html
    assert 'autocomplete="current-password"' in client.get("/login").text
