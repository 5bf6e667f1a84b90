from newsdesk.publish import find_related
from newsdesk.records import Article, Citation, Section, Sentence


def article(story: str, text: str) -> Article:
    sentence = Sentence(text=text, citations=[Citation(document="d", quote=text)])
    return Article(
        story=story,
        headline=text[:40],
        standfirst=text,
        sections=[Section(heading=None, paragraphs=[[sentence]])],
        facts=[],
        sources=[],
    )


def test_nearest_story_by_content_comes_first() -> None:
    articles = [
        article("flood1", "River flood in Pelham forces evacuations and shelters."),
        article("flood2", "Second river flood hits Pelham shelters again."),
        article("chess", "Chess championship in Carrow won by a teenager."),
        article("rates", "Central bank raises interest rates by half a point."),
    ]
    related = find_related(articles, count=2)
    assert related["flood1"][0][0] == "flood2"
    assert len(related["chess"]) == 2
    assert all(story != "chess" for story, _ in related["chess"])


def test_single_article_has_no_related() -> None:
    assert find_related([article("only", "Lonely story.")]) == {"only": []}


def test_related_ties_are_ordered_by_story_id_not_input_order() -> None:
    same = "Harbour wall cracked by an earthquake in Veskar."
    articles = [article("b", same), article("c", same), article("a", same)]
    assert [s for s, _ in find_related(articles, count=2)["b"]] == ["a", "c"]
    assert [s for s, _ in find_related(articles[::-1], count=2)["b"]] == ["a", "c"]


def test_related_index_rejects_mismatched_input() -> None:
    import numpy as np
    import pytest

    from newsdesk.nearest import RelatedIndex

    with pytest.raises(ValueError, match="2 story ids but 1 vectors"):
        RelatedIndex(["a", "b"], np.zeros((1, 4), dtype=np.float32))
