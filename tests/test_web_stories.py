"""The front page and story pages (newsdesk.web.stories).

Served in-process over a real SQLite file with three invented stories.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest
from fastapi.testclient import TestClient

from newsdesk.records import Article, Citation, Document, Section, Sentence, SourceRef
from newsdesk.store import repo
from newsdesk.store.db import Store
from newsdesk.web import create_app
from web_seed import (
    STORY_IDS,
    add_story,
    css,
    executable_scripts,
    load_fixtures,
    page,
    seeded_store,
    text_of,
)

BRIDGE = "story-harbour-bridge"
DISCLAIMER = (
    "AI-generated from the source articles listed below; errors may occur; "
    "verify with the original sources"
)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[TestClient, Store]]:
    settings, store = seeded_store(tmp_path)
    with TestClient(create_app(settings, store)) as client:
        yield client, store
    store.close()


@pytest.fixture
def client(site: tuple[TestClient, Store]) -> TestClient:
    return site[0]


def test_fixture_quotes_are_verbatim_substrings_of_their_documents() -> None:
    for fixture in load_fixtures():
        texts = {d["id"]: d["text"] for d in fixture["documents"]}
        article = Article.model_validate(fixture["article"])
        citations = [c for s in article.sentences() for c in s.citations]
        citations += [c for f in article.facts for c in f.citations]
        assert all(s.citations for s in article.sentences())
        for citation in citations:
            assert citation.quote in texts[citation.document]


def test_front_page_lists_every_published_story(client: TestClient) -> None:
    doc = page(client, "/")
    assert doc.get("lang") == "en"
    headlines = {a.get("href"): text_of(a) for a in css(doc, ".story-list h2 a")}
    assert set(headlines) == {f"/stories/{story}" for story in STORY_IDS}
    assert "Calder harbour bridge reopens after storm repairs" in headlines.values()
    cards = css(doc, ".story-card")
    assert len(cards) == 3
    for card in cards:
        assert text_of(css(card, ".standfirst")[0])
        time = css(card, "time")[0]
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", time.get("datetime"))
    assert "3 sources" in text_of(doc)
    assert "2 sources" in text_of(doc)


def test_front_page_leaves_out_unpublished_stories(site: tuple[TestClient, Store]) -> None:
    client, store = site
    draft = Article(
        story="story-draft",
        headline="A draft nobody should see",
        standfirst="Not yet.",
        sections=[],
        facts=[],
        sources=[],
    )
    add_story(store, [Document(id="draft-doc", text="Draft text.")], draft, publish=False)
    assert "A draft nobody should see" not in client.get("/").text
    assert client.get("/stories/story-draft").status_code == 404


def test_story_page_has_the_reference_page_parts_in_order(client: TestClient) -> None:
    doc = page(client, f"/stories/{BRIDGE}")
    assert [text_of(h) for h in css(doc, "h1")] == [
        "Calder harbour bridge reopens after storm repairs"
    ]
    assert "six months of repairs" in text_of(css(doc, "p.standfirst")[0])
    h2s = [text_of(h) for h in css(doc, "h2")]
    assert h2s[:2] == ["Reopening on Monday", "Cables and costs"]
    for heading in ("Where sources disagree", "Sources", "Cited passages", "Related stories"):
        assert heading in h2s
    assert h2s[-1] == "Thoughts"
    html = client.get(f"/stories/{BRIDGE}").text
    markers = [
        "<h1",
        'class="standfirst"',
        "Reopening on Monday",
        "<table",
        "Where sources disagree",
        DISCLAIMER,
        "Cited passages",
        "Related stories",
        "Thoughts",
    ]
    positions = [html.index(marker) for marker in markers]
    assert positions == sorted(positions)


def test_headings_never_skip_a_level(client: TestClient) -> None:
    for path in ("/", f"/stories/{BRIDGE}", "/stories/nope"):
        doc = page(client, path, 404 if path.endswith("nope") else 200)
        levels = [int(h.tag[1]) for h in doc.iter("h1", "h2", "h3", "h4", "h5", "h6")]
        assert levels[0] == 1
        assert all(b <= a + 1 for a, b in itertools.pairwise(levels))


def test_page_has_landmarks(client: TestClient) -> None:
    doc = page(client, f"/stories/{BRIDGE}")
    for tag in ("header", "nav", "main", "footer"):
        assert css(doc, tag), tag
    assert css(doc, 'meta[name="viewport"]')
    assert css(doc, 'a.skip-link[href="#main"]')


def test_every_sentence_is_cited_and_every_marker_reaches_its_passage(
    client: TestClient,
) -> None:
    doc = page(client, f"/stories/{BRIDGE}")
    sentences = css(doc, "span.sentence")
    assert [s.get("id") for s in sentences] == [f"s-{n}" for n in range(1, 7)]
    for sentence in sentences:
        marker = sentence.getnext()
        assert marker is not None
        assert marker.tag == "a"
        assert marker.get("class") == "cite"
        assert re.fullmatch(r"\[\d+\]", marker.text_content())
    ids = {el.get("id") for el in doc.iter() if el.get("id")}
    cites = css(doc, "a.cite")
    assert len(cites) >= 12
    for cite in cites:
        href = cite.get("href")
        assert re.fullmatch(r"#q-\d+-\d+", href)
        assert href[1:] in ids
    html = client.get(f"/stories/{BRIDGE}").text
    assert '<span class="sentence" id="s-1">' in html
    # s-1 cites the standfirst's passage, which is listed once: its link points there.
    assert re.search(r'id="s-1">[^<]*</span><a class="cite" href="#q-[01]-1">\[1\]</a>', html)


def test_cited_passages_quote_the_source_and_link_to_it(client: TestClient) -> None:
    doc = page(client, f"/stories/{BRIDGE}")
    passage = doc.get_element_by_id("q-5-2")
    quote = text_of(css(passage, "blockquote")[0])
    assert quote == (
        "Port authority figures seen by the Ledger put the final bill at more than "
        "50 million crowns."
    )
    assert "Harbor Ledger" in text_of(passage)
    links = [a.get("href") for a in css(passage, "a")]
    assert "https://harbor-ledger.example/shipping/calder-bridge-costs" in links
    assert "#s-5" in links
    assert doc.get_element_by_id("q-0-1") is not None  # standfirst citation


def test_key_facts_table(client: TestClient) -> None:
    doc = page(client, f"/stories/{BRIDGE}")
    table = css(doc, "table")[0]
    assert text_of(css(table, "caption")[0]) == "Key facts"
    assert [text_of(th) for th in css(table, "thead th")] == ["Aspect", "Details"]
    rows = css(table, "tbody tr")
    assert len(rows) == 4
    cost = next(r for r in rows if text_of(css(r, "th")[0]) == "Cost")
    assert "an estimated 48 million crowns" in text_of(css(cost, "td")[0])
    assert css(cost, "td a.cite")


def test_disagreements_are_listed_with_citations(client: TestClient) -> None:
    doc = page(client, f"/stories/{BRIDGE}")
    section = css(doc, "section.disagreements")[0]
    assert "Cost of the repairs" in text_of(section)
    claims = css(section, "li")
    assert len(claims) == 2
    assert all(css(claim, "a.cite") for claim in claims)
    rail = client.get("/stories/story-rail-bill").text
    assert "Where sources disagree" not in rail


def test_verification_note_and_disclaimer(client: TestClient) -> None:
    doc = page(client, f"/stories/{BRIDGE}")
    note = text_of(css(doc, ".verification")[0])
    assert "7 of 7 sentences checked against their sources; 1 removed" in note
    assert DISCLAIMER in text_of(doc)
    rail = text_of(page(client, "/stories/story-rail-bill"))
    assert "4 of 4 sentences checked against their sources; 0 removed" in rail


def test_verification_note_says_what_the_llm_judge_decided(
    site: tuple[TestClient, Store],
) -> None:
    client, store = site
    with store.session() as session:
        article = repo.latest_article(session, "story-rail-bill")
        assert article is not None
        judged = article.model_copy(
            update={
                "version": article.version + 1,
                "verification": article.verification.model_copy(
                    update={"judged": 2, "checker": "newsdesk-lexical-check/3.0 + llm-judge:x"}
                ),
            }
        )
        repo.save_article(session, judged)
        repo.publish_version(session, judged.story, judged.version)
    note = text_of(css(page(client, "/stories/story-rail-bill"), ".verification")[0])
    assert "2 decided by a second opinion from a language model" in note
    assert "Checker: newsdesk-lexical-check/3.0 + llm-judge:x." in note


def test_flagged_sentence_is_marked(client: TestClient) -> None:
    doc = page(client, f"/stories/{BRIDGE}")
    flagged = css(doc, "span.sentence.flagged")
    assert [s.get("id") for s in flagged] == ["s-6"]
    note = css(doc, "em.flag")[0]
    assert note.getprevious().get("class") == "cite"
    assert "not fully confirmed" in text_of(note)


def test_sources_are_listed_and_linked(client: TestClient) -> None:
    doc = page(client, f"/stories/{BRIDGE}")
    items = css(doc, "section.sources li")
    assert len(items) == 3
    first = items[0]
    assert "The Meridian Post" in text_of(first)
    link = css(first, "a")[0]
    assert link.get("href") == "https://meridian-post.example/2026/03/calder-bridge-reopens"
    assert link.get("rel") == "noopener nofollow"
    assert text_of(link) == "Calder harbour bridge reopens after six months of repairs"
    assert css(first, "time")[0].get("datetime").startswith("2026-03-02")


def test_related_stories_link_with_summaries(client: TestClient) -> None:
    doc = page(client, f"/stories/{BRIDGE}")
    related = css(doc, "section.related li")
    assert len(related) >= 2
    hrefs = {css(li, "a")[0].get("href") for li in related}
    assert hrefs == {"/stories/story-rail-bill", "/stories/story-eastbrook-reservoir"}
    assert all(css(li, "p") and text_of(css(li, "p")[0]) for li in related)


def test_comments_section_asks_readers_to_sign_in(client: TestClient) -> None:
    doc = page(client, f"/stories/{BRIDGE}")
    section = css(doc, "section.comments")[0]
    assert text_of(css(section, "h2")[0]) == "Thoughts"
    assert "Share your thoughts on this article" in text_of(section)
    link = next(a for a in css(section, "a") if "Sign in" in text_of(a))
    assert text_of(link) == "Sign in to join the conversation"
    assert link.get("href") == f"/login?next=/stories/{BRIDGE}"


def test_unknown_story_is_an_html_404(client: TestClient) -> None:
    doc = page(client, "/stories/no-such-story", 404)
    assert text_of(css(doc, "h1")[0]) == "Story not found"
    assert "no-such-story" in text_of(doc)


def test_untrusted_text_renders_inert(site: tuple[TestClient, Store]) -> None:
    client, store = site
    evil = "<script>alert(1)</script>"
    text = f"The mayor said {evil} at the meeting."
    doc = Document(id="evil-doc", url="https://evil.example/a", title=evil, text=text)
    cite = Citation(document="evil-doc", quote=text)
    article = Article(
        story="story-evil",
        headline=f"Headline {evil}",
        standfirst=f"Standfirst {evil}",
        sections=[Section(heading=evil, paragraphs=[[Sentence(text=text, citations=[cite])]])],
        facts=[],
        sources=[
            SourceRef(document="evil-doc", url="javascript:alert(1)", source=evil, title=evil)
        ],
    )
    add_story(store, [doc], article)
    for path in ("/", "/stories/story-evil"):
        html = client.get(path).text
        assert evil not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        parsed = lxml.html.fromstring(html)
        assert all(s.get("src") == "/static/cite.js" for s in executable_scripts(parsed))
        for data in css(parsed, 'script[type="application/ld+json"]'):
            assert "<" not in data.text and "\\u003cscript\\u003e" in data.text
        assert not [a for a in css(parsed, "a") if "javascript" in (a.get("href") or "")]
    story = page(client, "/stories/story-evil")
    assert text_of(css(story, "span.sentence")[0]) == text


def test_a_merged_story_redirects_to_its_survivor(site: tuple[TestClient, Store]) -> None:
    client, store = site
    gone, survivor = STORY_IDS[0], STORY_IDS[1]
    with store.session() as session:
        moved = [d.id for d in repo.documents_by_story(session, [gone])[gone]]
        repo.apply_move(session, "merge", gone, survivor, moved, score=1.5)
    response = client.get(f"/stories/{gone}", follow_redirects=False)
    assert response.status_code == 301
    assert response.headers["location"] == f"/stories/{survivor}"
    api = client.get(f"/api/stories/{gone}", follow_redirects=False)
    assert (api.status_code, api.headers["location"]) == (301, f"/api/stories/{survivor}")
    listed = {s["id"] for s in client.get("/api/stories").json()["stories"]}
    assert gone not in listed and survivor in listed
