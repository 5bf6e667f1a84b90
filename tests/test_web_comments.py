"""Comments: post, reply, edit and delete within the window, report, moderation, XSS."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from fastapi.testclient import TestClient

from newsdesk.store.base import utcnow
from newsdesk.store.db import Store
from newsdesk.store.site import accounts
from newsdesk.store.site_models import CommentRow
from newsdesk.web import create_app
from web_seed import csrf_from, make_user, seeded_store, sign_in, site_settings, use_fast_hashing

BRIDGE = "story-harbour-bridge"
STORY = f"/stories/{BRIDGE}"


@pytest.fixture
def make_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    use_fast_hashing(monkeypatch)
    settings, store = seeded_store(tmp_path)
    opened: list[TestClient] = []

    def make(**changes: Any) -> tuple[TestClient, Store]:
        client = TestClient(create_app(site_settings(settings, **changes), store))
        opened.append(client)
        return client, store

    yield make
    store.close()


def reader(
    client: TestClient, store: Store, email: str = "ada@example.org", name: str = "Ada"
) -> TestClient:
    browser = TestClient(client.app)
    make_user(store, email, name)
    assert sign_in(browser, email).status_code == 303
    return browser


def post(browser: TestClient, body: str, parent: int | None = None, story: str = STORY) -> Any:
    token = csrf_from(browser.get(story).text)
    data: dict[str, Any] = {"csrf_token": token, "body": body}
    if parent is not None:
        data["parent_id"] = str(parent)
    return browser.post(f"{story}/comments", data=data, follow_redirects=False)


def comment_ids(store: Store) -> list[int]:
    with store.session() as session:
        return [row.id for row in session.query(CommentRow).order_by(CommentRow.id)]


def test_post_and_reply_show_as_a_thread(make_site: Any) -> None:
    client, store = make_site()
    ada = reader(client, store)
    response = post(ada, "The cable work took **six months**.")
    assert response.status_code == 303
    first = comment_ids(store)[0]
    assert response.headers["location"] == f"{STORY}#comment-{first}"
    bob = reader(client, store, "bob@example.org", "Bob")
    assert post(bob, "Reply: _thanks_ for the detail.", parent=first).status_code == 303
    doc = lxml.html.fromstring(client.get(STORY).text)  # an anonymous reader
    top = doc.get_element_by_id(f"comment-{first}")
    assert "Ada" in top.text_content()
    assert top.xpath(".//strong")[0].text == "six months"
    reply = top.xpath(".//ol[@class='replies']/li")[0]
    assert "Bob" in reply.text_content() and reply.xpath(".//em")[0].text == "thanks"
    assert "2 comments so far" in doc.text_content()


def test_anonymous_reader_sees_no_form_and_cannot_post(make_site: Any) -> None:
    client, store = make_site()
    html = client.get(STORY).text
    assert "comment-form" not in html
    assert "Sign in to join the conversation" in html
    client.get("/login")  # an anonymous session with a valid token
    token = csrf_from(client.get("/login").text)
    response = client.post(f"{STORY}/comments", data={"csrf_token": token, "body": "hi"})
    assert response.status_code == 401
    assert comment_ids(store) == []


def test_post_without_csrf_token_is_403(make_site: Any) -> None:
    client, store = make_site()
    ada = reader(client, store)
    assert ada.post(f"{STORY}/comments", data={"body": "x"}).status_code == 403
    assert ada.post(f"{STORY}/comments", data={"body": "x", "csrf_token": "no"}).status_code == 403
    assert comment_ids(store) == []


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        "![pic](https://img.example/x.png)",
        '<iframe src="https://evil.example"></iframe>',
        '"><svg onload=alert(1)>',
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
    ],
)
def test_stored_xss_payloads_in_comments_are_inert(make_site: Any, payload: str) -> None:
    client, store = make_site()
    ada = reader(client, store)
    assert post(ada, f"look {payload} here").status_code == 303
    for browser in (client, ada):
        doc = lxml.html.fromstring(browser.get(STORY).text)
        body = doc.xpath("//div[@class='comment-body']")[0]
        assert not body.xpath(".//script | .//img | .//iframe | .//svg")
        assert not [el for el in body.iter() if any(a.startswith("on") for a in el.attrib)]
        for link in body.xpath(".//a"):
            assert link.get("href", "").startswith(("http://", "https://", "mailto:"))
            assert link.get("rel") == "nofollow ugc noopener"
    api = client.get(f"/api/stories/{BRIDGE}/comments").json()
    assert "<script" not in api["comments"][0]["html"]


def test_links_get_nofollow_ugc(make_site: Any) -> None:
    client, store = make_site()
    ada = reader(client, store)
    post(ada, "See [the port notice](https://port.example/notice).")
    doc = lxml.html.fromstring(client.get(STORY).text)
    link = doc.xpath("//div[@class='comment-body']//a")[0]
    assert link.get("href") == "https://port.example/notice"
    assert "nofollow" in link.get("rel") and "ugc" in link.get("rel")


def test_empty_or_too_long_comment_is_refused_and_text_kept(make_site: Any) -> None:
    client, store = make_site()
    ada = reader(client, store)
    assert post(ada, "   ").status_code == 400
    long = "word " * 1100
    response = post(ada, long)
    assert response.status_code == 400
    assert "longer than 5000" in response.text
    assert "word word" in response.text  # what the reader wrote is not lost
    assert comment_ids(store) == []


def test_first_comment_of_a_new_account_waits_for_moderation(make_site: Any) -> None:
    client, store = make_site(premoderate_first_comments=1)
    ada = reader(client, store)
    post(ada, "My first thought.")
    assert "My first thought." not in client.get(STORY).text
    own = ada.get(STORY).text
    assert "My first thought." in own and "Awaiting moderation" in own
    with store.session() as session:
        session.query(CommentRow).update({"status": "visible"})
    post(ada, "My second thought.")
    assert "My second thought." in client.get(STORY).text


def test_word_filter_holds_the_comment(make_site: Any) -> None:
    client, store = make_site(blocked_words=["Scoundrel"])
    ada = reader(client, store)
    post(ada, "The mayor is a scoundrel.")
    with store.session() as session:
        row = session.query(CommentRow).one()
        assert row.status == "pending" and "filtered word" in (row.hold_reason or "")
    assert "scoundrel" not in client.get(STORY).text


def test_rate_limit_per_account(make_site: Any) -> None:
    client, store = make_site(comments_per_10_minutes=3)
    ada = reader(client, store)
    codes = [post(ada, f"Comment {n}").status_code for n in range(4)]
    assert codes == [303, 303, 303, 429]
    assert len(comment_ids(store)) == 3


def test_banned_account_cannot_post(make_site: Any) -> None:
    client, store = make_site()
    ada = reader(client, store)
    with store.session() as session:
        user = accounts.find_user_row(session, "ada@example.org")
        assert user is not None
        accounts.set_ban(session, user.id, utcnow() + timedelta(days=1), "spam")
    assert "banned from commenting" in ada.get(STORY).text
    token = csrf_from(ada.get(STORY).text)
    response = ada.post(f"{STORY}/comments", data={"csrf_token": token, "body": "x"})
    assert response.status_code == 403
    assert comment_ids(store) == []


def test_edit_and_delete_own_comment_within_the_window(make_site: Any) -> None:
    client, store = make_site()
    ada = reader(client, store)
    post(ada, "Frist!")
    cid = comment_ids(store)[0]
    token = csrf_from(ada.get(STORY).text)
    edited = ada.post(f"/comments/{cid}/edit", data={"csrf_token": token, "body": "First!"})
    assert edited.status_code == 200
    page = client.get(STORY).text
    assert "First!" in page and "Frist!" not in page and "edited" in page
    bob = reader(client, store, "bob@example.org", "Bob")
    bob_token = csrf_from(bob.get(STORY).text)
    assert (
        bob.post(f"/comments/{cid}/edit", data={"csrf_token": bob_token, "body": "x"}).status_code
        == 404
    )
    assert bob.post(f"/comments/{cid}/delete", data={"csrf_token": bob_token}).status_code == 404
    assert ada.post(f"/comments/{cid}/delete", data={"csrf_token": token}).status_code == 200
    page = client.get(STORY).text
    assert "First!" not in page and "[deleted by its author]" in page


def test_editing_after_the_window_is_refused(make_site: Any) -> None:
    client, store = make_site(comment_edit_minutes=10)
    ada = reader(client, store)
    post(ada, "Original text.")
    with store.session() as session:
        session.query(CommentRow).update({"created_at": utcnow() - timedelta(minutes=11)})
    cid = comment_ids(store)[0]
    assert f"/comments/{cid}/edit" not in ada.get(STORY).text
    token = csrf_from(ada.get(STORY).text)
    response = ada.post(f"/comments/{cid}/edit", data={"csrf_token": token, "body": "Changed."})
    assert response.status_code == 403
    assert "10 minutes" in response.text
    assert "Original text." in client.get(STORY).text


def test_report_a_comment(make_site: Any) -> None:
    client, store = make_site()
    ada = reader(client, store)
    post(ada, "Something rude.")
    cid = comment_ids(store)[0]
    bob = reader(client, store, "bob@example.org", "Bob")
    token = csrf_from(bob.get(STORY).text)
    response = bob.post(f"/comments/{cid}/report", data={"csrf_token": token, "reason": "rude"})
    assert response.status_code == 200 and "editors will look" in response.text


def test_reply_must_be_to_a_comment_of_the_same_story(make_site: Any) -> None:
    client, store = make_site()
    ada = reader(client, store)
    post(ada, "On the bridge.")
    cid = comment_ids(store)[0]
    response = post(ada, "Sneaky reply", parent=cid, story="/stories/story-rail-bill")
    assert response.status_code == 400
    assert post(ada, "To nothing", parent=999_999).status_code == 400


def test_comment_on_unknown_story_is_404(make_site: Any) -> None:
    client, store = make_site()
    ada = reader(client, store)
    token = csrf_from(ada.get(STORY).text)
    response = ada.post("/stories/nope/comments", data={"csrf_token": token, "body": "x"})
    assert response.status_code == 404


def test_comments_api_lists_visible_comments_with_paging(make_site: Any) -> None:
    client, store = make_site(comments_per_10_minutes=10)
    ada = reader(client, store)
    for n in range(3):
        post(ada, f"Comment number {n}")
    body = client.get(f"/api/stories/{BRIDGE}/comments?limit=2").json()
    assert body["total"] == 3 and body["limit"] == 2
    assert [c["author"] for c in body["comments"]] == ["Ada", "Ada"]
    assert "Comment number 0" in body["comments"][0]["html"]
    rest = client.get(f"/api/stories/{BRIDGE}/comments?limit=2&offset=2").json()
    assert len(rest["comments"]) == 1
    missing = client.get("/api/stories/nope/comments")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
