"""Galleries, videos, adverts and index pages are kept, marked, and never clustered."""

from __future__ import annotations

from pathlib import Path

from newsdesk.extract import extract_document
from newsdesk.extract.pagekind import not_news_reason
from newsdesk.pipeline import Pipeline
from newsdesk.records import Document
from newsdesk.settings import Settings
from newsdesk.store import Store, repo

ARTICLE = (
    "The harbour authority in Corvel closed the north quay on Tuesday after a crane "
    "collapsed onto a cargo ship. Nobody was hurt, the authority said in a statement. "
    "Inspectors will examine the crane's base plate this week. The quay handles a third "
    "of the port's container traffic, and shippers expect delays of several days."
)
CAPTIONS = (
    "Hide Caption 1 of 4 The crane lies across the deck of the cargo ship. "
    "Photo: Corvel Harbour Authority. "
    "Hide Caption 2 of 4 Inspectors walk along the north quay. "
    "Hide Caption 3 of 4 The crane's base plate, cracked in two. "
    "Getty Images The quay seen from the harbour wall."
)


def _doc(text: str = ARTICLE, url: str | None = None, title: str | None = None) -> Document:
    return Document(id="d", url=url, title=title, text=text)


def test_what_a_page_declares_decides() -> None:
    assert not_news_reason(_doc(), ["ImageGallery"]) == "a photo gallery (declared imagegallery)"
    assert not_news_reason(_doc(), ["video.other"]) == "a video page (declared video.other)"
    gallery_url = "https://example.org/gallery/crane-collapse"
    assert not_news_reason(_doc(url=gallery_url), ["NewsArticle", "ImageGallery"]) is None


def test_the_address_title_and_text_decide_where_nothing_is_declared() -> None:
    assert not_news_reason(_doc()) is None
    assert not_news_reason(_doc(url="https://example.org/news/crane-collapse")) is None
    assert "photo gallery" in (not_news_reason(_doc(url="https://example.org/photos/c")) or "")
    assert "video" in (not_news_reason(_doc(url="https://example.org/video/crane")) or "")
    assert "front page" in (not_news_reason(_doc(url="https://example.org/")) or "")
    assert "advert" in (not_news_reason(_doc(title="Sponsored: the best cranes")) or "")
    assert "furniture" in (not_news_reason(_doc(CAPTIONS)) or "")


def test_a_page_declared_a_video_is_extracted_and_marked() -> None:
    page = (
        '<html><head><title>Crane falls on ship</title><meta property="og:type" '
        f'content="video.other"></head><body><article><p>{ARTICLE}</p></article></body></html>'
    )
    document = extract_document(page, url="https://example.org/news/crane")
    assert document.not_news == "a video page (declared video.other)"


def test_a_page_that_is_not_news_is_stored_but_never_clustered(
    store: Store, tmp_path: Path
) -> None:
    pipeline = Pipeline(store, Settings(_env_file=None, data_dir=tmp_path))
    gallery = Document(id="g", url="https://example.org/gallery/crane", text=ARTICLE)
    news = Document(id="n", url="https://example.org/news/crane", text=ARTICLE + " More.")
    marked = [d.model_copy(update={"not_news": not_news_reason(d)}) for d in (gallery, news)]
    assert pipeline.import_documents(marked).items == 2
    pipeline.cluster()
    with store.session() as session:
        assert repo.count_documents(session) == 2
        assert repo.unassigned_documents(session) == []
        (story,) = repo.documents_by_story(session).values()
    assert [d.id for d in story] == ["n"]
