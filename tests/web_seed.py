"""Shared setup for the web tests: a migrated SQLite file holding three invented stories."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import lxml.html
from fastapi.testclient import TestClient
from lxml.html import HtmlElement
from sqlalchemy import make_url

from newsdesk.records import Article, Assignment, Document
from newsdesk.settings import Settings
from newsdesk.store import repo
from newsdesk.store.db import Store, migrate
from testdb import create_database_url, is_postgresql

FIXTURES = Path(__file__).parent / "fixtures" / "web"
STORY_IDS = ("story-harbour-bridge", "story-rail-bill", "story-eastbrook-reservoir")


def load_fixtures() -> list[dict[str, Any]]:
    return [json.loads(path.read_text("utf-8")) for path in sorted(FIXTURES.glob("*.json"))]


def add_story(
    store: Store, documents: list[Document], article: Article, *, publish: bool = True
) -> None:
    with store.session() as session:
        for doc in documents:
            repo.add_document(session, doc)
        repo.assign_documents(
            session, [Assignment(id=d.id, story=article.story) for d in documents]
        )
        repo.save_article(session, article)
        if publish:
            repo.publish_version(session, article.story, article.version)


_TEMPLATES: dict[str, str] = {}


def _seeded_template() -> str:
    """Migrate and seed one database per test process; each test gets a copy of it.

    Returns a SQLite file path, or on the PostgreSQL pass the name of a template database.
    """
    if "seeded" not in _TEMPLATES:
        folder = Path(tempfile.mkdtemp(prefix="newsdesk-web-seed-"))
        url = create_database_url(folder)
        migrate(url)
        store = Store(url)
        for fixture in load_fixtures():
            documents = [Document.model_validate(d) for d in fixture["documents"]]
            add_story(store, documents, Article.model_validate(fixture["article"]))
        related = {
            story: [(other, 0.5) for other in STORY_IDS if other != story] for story in STORY_IDS
        }
        with store.session() as session:
            repo.replace_related(session, related)
        store.close()  # closes every connection: a template must have none
        # A SQLite file's path, or the PostgreSQL database's name.
        _TEMPLATES["seeded"] = make_url(url).database or ""
    return _TEMPLATES["seeded"]


def seeded_store(tmp_path: Path) -> tuple[Settings, Store]:
    """A migrated database with the fixture stories, each linked to the other two."""
    template = _seeded_template()
    if is_postgresql():
        url = create_database_url(tmp_path, template=template)
    else:
        target = tmp_path / "site.db"
        shutil.copyfile(template, target)
        url = f"sqlite:///{target.as_posix()}"
    store = Store(url)
    return Settings(data_dir=tmp_path, database_url=url, site_name="Test Desk"), store


# --- helpers for the tests of accounts, comments and the desk ---------------

PASSWORD = "correct horse battery"


def use_fast_hashing(monkeypatch: Any) -> None:
    """argon2id with test-sized costs (test_accounts_passwords checks the production ones)."""
    from argon2 import PasswordHasher

    from newsdesk.accounts import passwords

    monkeypatch.setattr(
        passwords, "_HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )


def site_settings(settings: Settings, **changes: Any) -> Settings:
    """The seeded site's settings with comment moderation relaxed unless a test asks."""
    defaults: dict[str, Any] = {"premoderate_first_comments": 0, "page_cache_check_s": 0.0}
    return settings.model_copy(update={**defaults, **changes})


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match is not None, "no CSRF token on the page"
    return match.group(1)


def form_token(client: Any, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.text
    return csrf_from(response.text)


def hidden_value(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match is not None, f"no hidden field {name}"
    return match.group(1)


def request_sign_up(client: Any, email: str, next: str = "/") -> Any:
    """Step one of signing up: ask for a link by mail."""
    data = {"csrf_token": form_token(client, "/signup"), "email": email, "next": next}
    return client.post("/signup", data=data, follow_redirects=False)


def last_mail_id(client: Any) -> int:
    from newsdesk.store.site_models import OutboxRow

    with client.app.state.store.session() as session:
        return max([row.id for row in session.query(OutboxRow)], default=0)


def mailed_link(client: Any, email: str, prefix: str, after: int = 0) -> str | None:
    """The path (and query) of the newest link under ``prefix`` mailed to ``email`` in a
    mail newer than the mail numbered ``after``."""
    from newsdesk.store.site_models import OutboxRow

    with client.app.state.store.session() as session:
        rows = session.query(OutboxRow).filter_by(recipient=email.strip().lower())
        for row in rows.filter(OutboxRow.id > after).order_by(OutboxRow.id.desc()):
            match = re.search(rf"https?://[^/\s]+({re.escape(prefix)}\S*)", row.body)
            if match:
                return match.group(1)
    return None


def finish_sign_up(client: Any, link: str, email: str, name: str, password: str = PASSWORD) -> Any:
    """Step two: open the mailed link and fill in the form it shows."""
    form = client.get(link)
    assert form.status_code == 200, form.text
    data = {
        "csrf_token": csrf_from(form.text),
        "email": email,
        "display_name": name,
        "password": password,
        "next": hidden_value(form.text, "next"),
    }
    return client.post(link.split("?")[0], data=data, follow_redirects=False)


def sign_up(client: Any, email: str, name: str, password: str = PASSWORD) -> Any:
    """Sign up as a reader does; the last response (step one's, if it sent no link)."""
    before = last_mail_id(client)
    asked = request_sign_up(client, email)
    link = mailed_link(client, email, "/signup/", before) if asked.status_code == 200 else None
    if link is None:
        return asked
    return finish_sign_up(client, link, email, name, password)


def sign_in(client: Any, email: str, password: str = PASSWORD) -> Any:
    token = form_token(client, "/login")
    data = {"csrf_token": token, "email": email, "password": password}
    return client.post("/login", data=data, follow_redirects=False)


def make_user(store: Store, email: str, name: str, role: str = "reader") -> int:
    from newsdesk.accounts.passwords import hash_password
    from newsdesk.store.site import accounts

    with store.session() as session:
        return accounts.add_user(session, email, name, hash_password(PASSWORD), role).id


# --- reading the HTML pages ----------------------------------------------------


def page(client: TestClient, path: str, status: int = 200) -> HtmlElement:
    response = client.get(path)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/html")
    return lxml.html.fromstring(response.text)


def css(element: HtmlElement, selector: str) -> list[HtmlElement]:
    """The few CSS selectors these tests use (descendant tag.class[attr="v"]), as XPath."""
    xpath = "."
    for part in selector.split():
        match = re.fullmatch(r'([\w*]*)((?:\.[\w-]+)*)(?:\[([\w-]+)(?:="([^"]*)")?\])?', part)
        assert match is not None, part
        tag, classes, attr, value = match.groups()
        conditions = [
            f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"
            for name in classes.split(".")[1:]
        ]
        if attr:
            conditions.append(f'@{attr}="{value}"' if value is not None else f"@{attr}")
        xpath += "//" + (tag or "*") + "".join(f"[{c}]" for c in conditions)
    found: list[HtmlElement] = element.xpath(xpath)
    return found


def executable_scripts(doc: HtmlElement) -> list[HtmlElement]:
    """Script elements a browser would run (JSON-LD data blocks are never executed)."""
    return [s for s in css(doc, "script") if s.get("type") != "application/ld+json"]


def text_of(element: HtmlElement) -> str:
    return " ".join(element.text_content().split())
