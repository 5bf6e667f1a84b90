"""The editor desk: access control on every route, review, corrections, moderation, log."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from newsdesk.embed import get_embedder
from newsdesk.pipeline import Pipeline
from newsdesk.publish import embed_articles
from newsdesk.records import Article
from newsdesk.store import desk, repo
from newsdesk.store.db import Store
from newsdesk.store.site_models import CommentRow, DeskLogRow, UserRow
from newsdesk.web import create_app
from related_seed import (
    hold,
    related_after_pipeline_publish,
    related_rows,
    store_vectors,
)
from web_seed import (
    add_story,
    csrf_from,
    load_fixtures,
    make_user,
    seeded_store,
    sign_in,
    site_settings,
    use_fast_hashing,
)

BRIDGE = "story-harbour-bridge"
DESK_GETS = ["/desk", "/desk/log", f"/desk/stories/{BRIDGE}"]
DESK_POSTS = [
    f"/desk/stories/{BRIDGE}/approve",
    f"/desk/stories/{BRIDGE}/hold",
    f"/desk/stories/{BRIDGE}/unpublish",
    f"/desk/stories/{BRIDGE}/sentences",
    f"/desk/stories/{BRIDGE}/corrections",
    "/desk/reports/1/resolve",
    "/desk/comments/1/approve",
    "/desk/comments/1/remove",
    "/desk/users/1/ban",
    "/desk/users/1/unban",
]


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[TestClient, Store]]:
    use_fast_hashing(monkeypatch)
    settings, store = seeded_store(tmp_path)
    with TestClient(create_app(site_settings(settings), store)) as client:
        yield client, store
    store.close()


def browser(client: TestClient, store: Store, role: str, email: str | None = None) -> TestClient:
    email = email or f"{role}@example.org"
    make_user(store, email, role.title(), role)
    signed = TestClient(client.app)
    assert sign_in(signed, email).status_code == 303
    return signed


def act(editor: TestClient, path: str, **data: Any) -> Any:
    token = csrf_from(editor.get("/desk").text)
    return editor.post(path, data={"csrf_token": token, **data}, follow_redirects=False)


def test_every_desk_route_refuses_anonymous_and_readers(site: tuple[TestClient, Store]) -> None:
    client, store = site
    reader = browser(client, store, "reader")
    token = csrf_from(reader.get("/").text)
    for path in DESK_GETS:
        anonymous = client.get(path, follow_redirects=False)
        assert anonymous.status_code == 303, path
        assert anonymous.headers["location"].startswith("/login?next=")
        assert reader.get(path).status_code == 403, path
    for path in DESK_POSTS:
        assert client.post(path, data={"csrf_token": "x"}).status_code in {401, 403}, path
        refused = reader.post(path, data={"csrf_token": token, "reason": "r", "note": "n"})
        assert refused.status_code == 403, path
    with store.session() as session:
        assert session.query(DeskLogRow).count() == 0
    with store.session() as session:
        assert repo.latest_article(session, BRIDGE) is not None


def test_editor_sees_the_desk_and_link(site: tuple[TestClient, Store]) -> None:
    client, store = site
    editor = browser(client, store, "editor")
    assert 'href="/desk"' in editor.get("/").text
    page = editor.get("/desk")
    assert page.status_code == 200
    assert "Stories awaiting review" in page.text
    admin = browser(client, store, "admin")
    assert admin.get("/desk").status_code == 200


def test_hold_takes_a_story_off_and_approve_brings_it_back(site: tuple[TestClient, Store]) -> None:
    client, store = site
    editor = browser(client, store, "editor")
    assert act(editor, f"/desk/stories/{BRIDGE}/hold", reason="check the cost").status_code == 303
    assert client.get(f"/stories/{BRIDGE}").status_code == 404
    assert BRIDGE not in client.get("/").text
    queue = editor.get("/desk").text
    assert "check the cost" in queue
    assert act(editor, f"/desk/stories/{BRIDGE}/approve").status_code == 303
    assert client.get(f"/stories/{BRIDGE}").status_code == 200
    with store.session() as session:
        log = [(e.actor, e.action, e.target) for e in desk.recent_log(session)]
    assert log == [("Editor", "approve", BRIDGE), ("Editor", "hold", BRIDGE)]


def test_pipeline_does_not_republish_an_unpublished_story(site: tuple[TestClient, Store]) -> None:
    client, store = site
    editor = browser(client, store, "editor")
    act(editor, f"/desk/stories/{BRIDGE}/unpublish", reason="legal")
    settings = client.app.state.settings  # type: ignore[attr-defined]
    Pipeline(store, settings).publish()
    assert client.get(f"/stories/{BRIDGE}").status_code == 404


def test_review_policy_holds_flagged_versions_until_approved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_fast_hashing(monkeypatch)
    settings, store = seeded_store(tmp_path)
    settings = site_settings(settings, review_policy="flagged")
    fixture = next(f for f in load_fixtures() if f["article"]["story"] == BRIDGE)
    article = Article.model_validate(fixture["article"])
    article.version = 2
    article.verification.flagged = 1
    add_story(store, [], article, publish=False)
    Pipeline(store, settings).publish()
    with store.session() as session:
        published = repo.latest_article(session, BRIDGE)
        assert published is not None and published.version == 1
        assert [r.story_id for r in desk.review_queue(session)] == [BRIDGE]
    with TestClient(create_app(settings, store)) as client:
        editor = browser(client, store, "editor")
        assert "the checker flagged 1 sentence(s)" in editor.get("/desk").text
        act(editor, f"/desk/stories/{BRIDGE}/approve")
        assert "Version 2" in client.get(f"/stories/{BRIDGE}").text
    store.close()


def test_edit_sentence_is_rechecked(site: tuple[TestClient, Store]) -> None:
    client, store = site
    editor = browser(client, store, "editor")
    refused = act(
        editor,
        f"/desk/stories/{BRIDGE}/sentences",
        anchor="s-1",
        text="Aliens rebuilt the bridge for 900 billion crowns overnight.",
    )
    assert refused.status_code == 400 and "checker refused" in refused.text
    assert client.get(f"/stories/{BRIDGE}").text.count("Version 1") == 1
    shorter = "The Calder harbour bridge reopened to traffic on Monday morning."
    accepted = act(
        editor,
        f"/desk/stories/{BRIDGE}/sentences",
        anchor="s-1",
        text=shorter,
        correction="An earlier version misstated the reopening day.",
    )
    assert accepted.status_code == 303
    page = client.get(f"/stories/{BRIDGE}").text
    assert "Version 2" in page
    assert f'<span class="sentence" id="s-1">{shorter}</span>' in page
    assert "An earlier version misstated the reopening day." in page
    assert (
        act(editor, f"/desk/stories/{BRIDGE}/sentences", anchor="s-99", text="x").status_code == 400
    )


def test_approving_at_the_desk_refreshes_related_stories_as_the_pipeline_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One publish operation: an editor's approval refreshes the related stories of the
    story and of its neighbours exactly as the pipeline's publish stage would."""
    expected = related_after_pipeline_publish(tmp_path / "pipeline", BRIDGE)
    use_fast_hashing(monkeypatch)
    settings, store = seeded_store(tmp_path)
    store_vectors(store)
    hold(store, BRIDGE)
    seeded = related_rows(store)
    with TestClient(create_app(site_settings(settings), store)) as client:
        editor = browser(client, store, "editor")
        assert act(editor, f"/desk/stories/{BRIDGE}/approve").status_code == 303
    refreshed = related_rows(store)
    store.close()
    assert refreshed == expected
    assert set(refreshed) == set(seeded) and all(refreshed[s] != seeded[s] for s in seeded)


def test_a_desk_edit_publishes_through_the_publish_operation(
    site: tuple[TestClient, Store],
) -> None:
    """The edited version of a live story goes out as any version does: the story's
    vector is the new text's, and its related stories and its neighbours' are refreshed."""
    client, store = site
    store_vectors(store)
    seeded = related_rows(store)
    editor = browser(client, store, "editor")
    shorter = "The Calder harbour bridge reopened to traffic on Monday morning."
    edited = act(editor, f"/desk/stories/{BRIDGE}/sentences", anchor="s-1", text=shorter)
    assert edited.status_code == 303
    with store.session() as session:
        article = repo.latest_article(session, BRIDGE)
        assert article is not None and article.version == 2
        vectors = repo.load_story_vectors(session, get_embedder().name)
    stored = np.frombuffer(vectors[BRIDGE], dtype=np.float32)
    assert np.allclose(stored, embed_articles([article])[BRIDGE], atol=1e-6)
    refreshed = related_rows(store)
    for story_id, found in refreshed.items():
        assert found != seeded[story_id]
        for other, score in found:
            mine = np.frombuffer(vectors[story_id], dtype=np.float32)
            theirs = np.frombuffer(vectors[other], dtype=np.float32)
            assert score == pytest.approx(float(mine @ theirs), abs=1e-3)


def test_correction_is_shown_on_the_page(site: tuple[TestClient, Store]) -> None:
    client, store = site
    editor = browser(client, store, "editor")
    assert (
        act(
            editor, f"/desk/stories/{BRIDGE}/corrections", note="The toll was misreported."
        ).status_code
        == 303
    )
    page = client.get(f"/stories/{BRIDGE}").text
    assert "Corrections" in page and "The toll was misreported." in page


def test_reader_error_report_reaches_the_desk(site: tuple[TestClient, Store]) -> None:
    client, store = site
    form = client.get(f"/stories/{BRIDGE}/report?item=s-2")
    assert form.status_code == 200
    sent = client.post(
        f"/stories/{BRIDGE}/report",
        data={"csrf_token": csrf_from(form.text), "item": "s-2", "message": "Wrong day."},
    )
    assert sent.status_code == 200 and "Thank you" in sent.text
    editor = browser(client, store, "editor")
    assert "Wrong day." in editor.get("/desk").text
    assert act(editor, "/desk/reports/1/resolve").status_code == 303
    assert "Wrong day." not in editor.get("/desk").text
    assert client.get(f"/stories/{BRIDGE}/report?item=s-999").status_code == 404


def test_every_sentence_has_a_report_link(site: tuple[TestClient, Store]) -> None:
    client, _ = site
    html = client.get(f"/stories/{BRIDGE}").text
    for n in range(1, 7):
        assert f'href="/stories/{BRIDGE}/report?item=s-{n}"' in html


def test_moderate_pending_comment_and_ban(site: tuple[TestClient, Store]) -> None:
    client, store = site
    settings = client.app.state.settings  # type: ignore[attr-defined]
    client.app.state.settings = settings.model_copy(update={"premoderate_first_comments": 1})  # type: ignore[attr-defined]
    reader = browser(client, store, "reader")
    token = csrf_from(reader.get(f"/stories/{BRIDGE}").text)
    reader.post(f"/stories/{BRIDGE}/comments", data={"csrf_token": token, "body": "Held one."})
    editor = browser(client, store, "editor")
    assert "Held one." in editor.get("/desk").text
    act(editor, "/desk/comments/1/approve")
    assert "Held one." in client.get(f"/stories/{BRIDGE}").text
    act(editor, "/desk/comments/1/remove")
    assert "[removed by an editor]" in client.get(f"/stories/{BRIDGE}").text
    with store.session() as session:
        reader_id = session.query(UserRow).filter_by(role="reader").one().id
        assert session.query(CommentRow).one().status == "removed"
    act(editor, f"/desk/users/{reader_id}/ban", days="7", reason="spam")
    assert "banned from commenting" in reader.get(f"/stories/{BRIDGE}").text
    with store.session() as session:
        actions = [e.action for e in desk.recent_log(session)]
    assert actions == ["ban", "comment-remove", "comment-approve"]


def test_editors_cannot_be_banned(site: tuple[TestClient, Store]) -> None:
    client, store = site
    editor = browser(client, store, "editor")
    with store.session() as session:
        editor_id = session.query(UserRow).filter_by(role="editor").one().id
    assert act(editor, f"/desk/users/{editor_id}/ban").status_code == 400
