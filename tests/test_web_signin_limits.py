"""Sign-in against guessing (security review, ASVS 2.2.1): the same work for unknown
addresses, limits that hold under concurrency, and the owner's device spared."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from newsdesk.accounts import passwords
from newsdesk.store.db import Store
from newsdesk.store.site import accounts
from newsdesk.web import accounts as account_routes
from newsdesk.web import create_app
from newsdesk.web.http import ratelimit
from newsdesk.web.http.sessions import COOKIE
from web_seed import form_token, make_user, seeded_store, sign_in, site_settings

SHARED = "192.0.2.50"  # one address for many people (a NAT, a campus)


class CountingHasher(PasswordHasher):
    """argon2id with test-sized costs that notes the hash each verification used."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=8, parallelism=1)
        self.verified: list[str] = []

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        self.verified.append(hash if isinstance(hash, str) else hash.decode())
        return super().verify(hash, password)


@pytest.fixture
def hasher(monkeypatch: pytest.MonkeyPatch) -> CountingHasher:
    counting = CountingHasher()
    monkeypatch.setattr(passwords, "_HASHER", counting)
    return counting


@pytest.fixture
def site(tmp_path: Path, hasher: CountingHasher) -> Iterator[tuple[TestClient, Store]]:
    settings, store = seeded_store(tmp_path)
    with TestClient(create_app(site_settings(settings), store)) as client:
        yield client, store
    store.close()


def browser(client: TestClient, address: str = "testclient") -> TestClient:
    return TestClient(client.app, client=(address, 50000))


def _costs(stored: str) -> str:
    return stored.rsplit("$", 2)[0]  # $argon2id$v=19$m=...,t=...,p=...


def test_an_unknown_address_costs_the_same_argon2_work_as_a_wrong_password(
    site: tuple[TestClient, Store], hasher: CountingHasher
) -> None:
    client, store = site
    make_user(store, "ada@example.org", "Ada")
    assert sign_in(browser(client), "ada@example.org", "a wrong password").status_code == 400
    assert sign_in(browser(client), "nobody@example.org", "a wrong password").status_code == 400
    # One verification each, with the same costs: response times tell nothing.
    assert len(hasher.verified) == 2
    known, unknown = hasher.verified
    assert _costs(known) == _costs(unknown) and known != unknown


def test_concurrent_wrong_passwords_get_no_more_tries_than_the_limit(
    site: tuple[TestClient, Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    client, store = site
    make_user(store, "ada@example.org", "Ada")
    checked: list[str] = []
    verify = account_routes.verify_password

    def slow_verify(stored: str | None, password: str) -> bool:
        checked.append(password)
        time.sleep(0.3)  # an argon2 check with production costs takes about this long
        return verify(stored, password)

    monkeypatch.setattr(account_routes, "verify_password", slow_verify)
    attackers = [browser(client, "203.0.113.9") for _ in range(30)]
    tokens = [form_token(attacker, "/login") for attacker in attackers]

    def guess(n: int) -> int:
        data = {"csrf_token": tokens[n], "email": "ada@example.org", "password": f"guess {n}"}
        return attackers[n].post("/login", data=data, follow_redirects=False).status_code

    with ThreadPoolExecutor(max_workers=30) as pool:
        codes = list(pool.map(guess, range(30)))
    assert sorted(codes) == [400] * 5 + [429] * 25
    assert len(checked) == 5  # only the allowed attempts reached the password check


def test_check_and_count_is_atomic_under_concurrency(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_event = accounts.add_event

    def slow_add(session: object, key: str) -> int:
        time.sleep(0.05)  # widen the gap between reading the count and writing the attempt
        return add_event(session, key)  # type: ignore[arg-type]

    monkeypatch.setattr(accounts, "add_event", slow_add)
    allowed, gate = [], threading.Barrier(12)

    def attempt() -> None:
        gate.wait()
        try:
            with store.session() as session:
                ratelimit.check_and_count(session, "k", 4, timedelta(hours=1), "tries")
            allowed.append(True)
        except ratelimit.TooManyAttempts:
            pass

    threads = [threading.Thread(target=attempt) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(allowed) == 4
    with store.session() as session:
        assert accounts.count_events(session, "k", accounts.utcnow() - timedelta(hours=1)) == 4


def test_a_spray_from_a_shared_address_spares_the_owner_with_a_device_cookie(
    site: tuple[TestClient, Store],
) -> None:
    client, store = site
    make_user(store, "ada@example.org", "Ada")
    owner = browser(client, SHARED)
    assert sign_in(owner, "ada@example.org").status_code == 303  # leaves the device cookie
    owner.cookies.delete(COOKIE)  # signed out since; the device cookie stays
    sprayer = browser(client, SHARED)
    codes = [sign_in(sprayer, f"u{n}@example.org", "Summer2024!").status_code for n in range(31)]
    assert codes == [400] * 30 + [429]  # the address limit stops the spray ...
    # ... but not the account's owner in the browser that signed in before,
    assert sign_in(owner, "ada@example.org").status_code == 303
    # while a browser without that cookie, at that address, still waits.
    assert sign_in(browser(client, SHARED), "ada@example.org").status_code == 429


def test_a_device_cookie_has_a_limit_of_its_own(site: tuple[TestClient, Store]) -> None:
    client, store = site
    make_user(store, "ada@example.org", "Ada")
    owner = browser(client)
    assert sign_in(owner, "ada@example.org").status_code == 303
    codes = [sign_in(owner, "ada@example.org", f"guess {n}").status_code for n in range(6)]
    assert codes == [400] * 5 + [429]
    assert "from this browser" in sign_in(owner, "ada@example.org").text
    # A stolen cookie is no way around the limit; and others are not blocked by it.
    assert sign_in(browser(client, "198.51.100.7"), "ada@example.org").status_code == 303
