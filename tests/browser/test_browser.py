"""The site in a real browser: Playwright driving Debian's chromium against a live server.

Reads a story, follows a citation, signs up, signs in, comments, replies, signs out, and
an editor approves a held story; screenshots go to tests/browser/artifacts/ and axe-core
(from npm, tests/browser/node_modules) scans three pages for serious or critical issues.
If chromium cannot start, these tests fail; set NEWSDESK_SKIP_BROWSER_TESTS=1 to skip them.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from newsdesk.records import Article, Document
from newsdesk.store.db import Store
from newsdesk.web import create_app
from web_seed import PASSWORD, add_story, load_fixtures, make_user, seeded_store, site_settings

HERE = Path(__file__).parent
ARTIFACTS = HERE / "artifacts"
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("NEWSDESK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BRIDGE = "story-harbour-bridge"
HELD = "story-held-ferry"

if os.environ.get("NEWSDESK_SKIP_BROWSER_TESTS") == "1":
    pytest.skip("browser tests skipped by NEWSDESK_SKIP_BROWSER_TESTS=1", allow_module_level=True)

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _held_story(store: Store) -> None:
    """A copy of the bridge story under another id, written but not published."""
    fixture = next(f for f in load_fixtures() if f["article"]["story"] == BRIDGE)
    article = Article.model_validate(fixture["article"])
    article.story = HELD
    article.headline = "Ferry timetable held for an editor's check"
    ferry = Document(id="doc-ferry", text="The ferry timetable changes on Monday.")
    add_story(store, [ferry], article, publish=False)
    from newsdesk.store import desk

    with store.session() as session:
        desk.hold_story(session, article, "checker flagged a figure")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Store]]:
    settings, store = seeded_store(tmp_path_factory.mktemp("browser"))
    _held_story(store)
    make_user(store, "editor@example.org", "Desk Editor", "editor")
    app = create_app(site_settings(settings), store)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started:
        assert time.monotonic() < deadline, "the site did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", store
    running.should_exit = True
    thread.join(timeout=10)
    store.close()


@pytest.fixture(scope="module")
def server(served: tuple[str, Store]) -> str:
    return served[0]


def mailed_path(store: Store, email: str, prefix: str) -> str:
    """The path of the newest link under ``prefix`` mailed to ``email`` (the outbox)."""
    from newsdesk.store.site_models import OutboxRow

    with store.session() as session:
        mails = session.query(OutboxRow).filter_by(recipient=email).order_by(OutboxRow.id)
        match = re.search(rf"https?://[^/\s]+({prefix}\S+)", mails.all()[-1].body)
    assert match is not None, "no link in the mail"
    return match.group(1)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), f"chromium not found at {CHROMIUM} (apt-get install chromium)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    yield opened
    context.close()


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def serious_violations(page: Page) -> list[dict[str, Any]]:
    assert AXE.exists(), "axe-core missing: run `npm ci` in tests/browser"
    # Injected through the DevTools protocol, which the page's CSP does not govern.
    page.evaluate(AXE.read_text("utf-8"))
    result: dict[str, Any] = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def sign_in(page: Page, base: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".account")).to_contain_text("Signed in as")


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in", exact=True)).to_be_visible()


def test_front_page_and_story_page_read_well(page: Page, server: str) -> None:
    page.goto(server + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Latest stories")
    shot(page, "front-page")
    assert serious_violations(page) == []
    page.get_by_role("link", name="Calder harbour bridge reopens after storm repairs").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Calder harbour bridge reopens after storm repairs"
    )
    shot(page, "story-page")
    assert serious_violations(page) == []


def test_follow_a_citation(page: Page, server: str) -> None:
    page.goto(f"{server}/stories/{BRIDGE}")
    marker = page.locator('a.cite[href="#q-5-2"]').first  # a passage cited twice: two links
    marker.click()
    popover = page.locator(".cite-popover")
    expect(popover).to_be_visible()
    expect(popover.locator(".cite-quote")).to_contain_text("final bill at more than 50 million")
    original = popover.get_by_role("link", name="Open the original", exact=False).first
    assert original.get_attribute("href", timeout=2000).startswith("https://")
    page.keyboard.press("Escape")
    expect(popover).to_have_count(0)
    marker.click()
    page.locator(".cite-jump").click()
    assert page.url.endswith("#q-5-2")
    expect(page.locator("#q-5-2 blockquote")).to_be_in_viewport()


def test_sign_in_page_is_accessible(page: Page, server: str) -> None:
    page.goto(server + "/login")
    shot(page, "sign-in-page")
    assert serious_violations(page) == []


def test_sign_up_comment_reply_sign_out(page: Page, served: tuple[str, Store]) -> None:
    server, store = served
    page.goto(f"{server}/signup")
    page.get_by_label("E-mail address").fill("reader@example.org")
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("status")).to_contain_text("Check your e-mail")
    page.goto(server + mailed_path(store, "reader@example.org", "/signup/"))
    page.get_by_label("E-mail address").fill("reader@example.org")
    page.get_by_label("Display name").fill("Rita Reader")
    page.get_by_label("Password").fill("a fine long passphrase")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator(".account")).to_have_text("Signed in as Rita Reader")
    sign_out(page)
    sign_in(page, server, "reader@example.org", "a fine long passphrase")
    page.goto(f"{server}/stories/{BRIDGE}")
    page.get_by_label("Your comment").fill("The **cable** work was long overdue.")
    page.get_by_role("button", name="Post", exact=True).click()
    comment = page.locator("li.comment").first
    expect(comment.locator(".comment-body strong")).to_have_text("cable")
    comment.locator("summary", has_text="Reply").click()
    comment.get_by_label("Your reply").fill("Replying to myself: agreed.")
    comment.get_by_role("button", name="Post reply").click()
    expect(page.locator("ol.replies li.comment .comment-body")).to_contain_text("agreed")
    shot(page, "story-with-comments")
    sign_out(page)
    page.goto(f"{server}/stories/{BRIDGE}")
    expect(page.get_by_role("link", name="Sign in to join the conversation")).to_be_visible()
    expect(page.locator("ol.replies")).to_contain_text("agreed")


def test_editor_approves_a_held_story(page: Page, server: str) -> None:
    assert page.goto(f"{server}/stories/{HELD}").status == 404
    sign_in(page, server, "editor@example.org")
    page.get_by_role("link", name="Desk", exact=True).click()
    row = page.locator("tr", has_text="Ferry timetable held")
    expect(row).to_contain_text("checker flagged a figure")
    shot(page, "desk")
    row.get_by_role("button", name="Approve and publish").click()
    expect(page.get_by_text("No story is waiting.")).to_be_visible()
    response = page.goto(f"{server}/stories/{HELD}")
    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Ferry timetable held for an editor's check"
    )
