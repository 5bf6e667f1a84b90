"""The extractive writer: grounded, cited, deterministic articles shaped like the reference page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from newsdesk.records import Article, Citation, Document, Story
from newsdesk.write import write_article

FIXTURES = Path(__file__).parent / "fixtures" / "write"
STORIES = ["flood.json", "mine_collapse.json", "acquisition.json"]
PRONOUNS = {"he", "she", "it", "they", "his", "her", "its", "their", "this", "these", "those"}


def load(name: str) -> Story:
    return Story.model_validate(json.loads((FIXTURES / name).read_text(encoding="utf-8")))


def texts_of(story: Story) -> dict[str, str]:
    return {doc.id: doc.text for doc in story.documents}


def assert_verbatim(citations: list[Citation], story: Story) -> None:
    texts = texts_of(story)
    assert citations, "every claim needs at least one citation"
    for citation in citations:
        assert citation.document in texts, f"unknown document {citation.document}"
        assert citation.quote, "empty quote"
        assert citation.quote in texts[citation.document], "quote is not verbatim"


@pytest.fixture(params=STORIES)
def story(request: pytest.FixtureRequest) -> Story:
    return load(request.param)


@pytest.fixture
def article(story: Story) -> Article:
    return write_article(story)


def test_every_sentence_is_cited_verbatim_and_inside_its_quote(
    story: Story, article: Article
) -> None:
    sentences = article.sentences()
    assert len(sentences) >= 6
    for sentence in sentences:
        assert sentence.status == "supported"
        assert_verbatim(sentence.citations, story)
        assert sentence.text in sentence.citations[0].quote


def test_confirming_citations_come_from_other_documents(article: Article) -> None:
    for sentence in article.sentences():
        documents = [c.document for c in sentence.citations]
        assert len(documents) == len(set(documents))


def test_standfirst_is_one_or_two_cited_source_sentences(story: Story, article: Article) -> None:
    assert article.standfirst
    assert_verbatim(article.standfirst_citations, story)
    quotes = " ".join(c.quote for c in article.standfirst_citations)
    pieces = [p for p in re.split(r"(?<=[.!?”\"])\s+(?=[A-Z\"“])", article.standfirst) if p]
    assert 1 <= len(pieces) <= 2
    assert all(piece in quotes for piece in pieces)


def test_headline_is_short_and_has_no_outlet_name(story: Story, article: Article) -> None:
    words = article.headline.split()
    assert 4 <= len(words) <= 14
    for doc in story.documents:
        assert doc.source is None or doc.source not in article.headline
    assert not article.headline.endswith(".")


def test_facts_are_four_to_six_distinct_cited_aspects(story: Story, article: Article) -> None:
    assert 4 <= len(article.facts) <= 6
    aspects = [fact.aspect for fact in article.facts]
    assert len(aspects) == len(set(aspects))
    for fact in article.facts:
        assert_verbatim(fact.citations, story)
        assert len(fact.detail.split()) <= (16 if fact.aspect == "What" else 12)
        quotes = " ".join(c.quote for c in fact.citations).casefold()
        for word in re.findall(r"\w+", fact.detail.casefold()):
            assert word == "or" or word in quotes, f"{word!r} of {fact.detail!r} not quoted"


def test_sections_have_informative_headings(article: Article) -> None:
    assert 2 <= len(article.sections) <= 4
    for section in article.sections:
        assert section.heading and section.heading.strip().lower() != "details"
        assert len(section.heading.split()) <= 10
        assert all(paragraph for paragraph in section.paragraphs)


def test_sources_list_every_document(story: Story, article: Article) -> None:
    assert [s.document for s in article.sources] == sorted(d.id for d in story.documents)
    by_id = {d.id: d for d in story.documents}
    for source in article.sources:
        assert source.url == by_id[source.document].url
        assert source.source == by_id[source.document].source
        assert source.title == by_id[source.document].title


def test_no_sentence_is_repeated_or_opens_with_an_unresolved_pronoun(
    story: Story, article: Article
) -> None:
    sentences = article.sentences()
    assert len({s.text for s in sentences}) == len(sentences)
    texts = texts_of(story)
    for previous, sentence in zip([None, *sentences], sentences, strict=False):
        first = re.match(r"(\w+)", sentence.text)  # a quote's own first word is not the issue
        if first and first.group(1).lower() in PRONOUNS:
            assert previous is not None, sentence.text
            own, before = sentence.citations[0], previous.citations[0]
            assert before.document == own.document
            text = texts[own.document]
            gap = text[text.index(before.quote) + len(before.quote) : text.index(own.quote)]
            assert not gap.strip(), "a pronoun sentence must follow its own predecessor"


def test_writing_is_deterministic_and_ignores_document_order(story: Story) -> None:
    first = write_article(story).to_json()
    assert write_article(story).to_json() == first
    shuffled = Story(id=story.id, documents=list(reversed(story.documents)))
    assert write_article(shuffled).to_json() == first


def test_version_is_passed_through(story: Story) -> None:
    assert write_article(story, version=3).version == 3


def test_flood_article_length_datelines_and_bylines() -> None:
    story = load("flood.json")
    article = write_article(story)
    body = [s.text for s in article.sentences()]
    words = sum(len(t.split()) for t in body) + len(article.standfirst.split())
    assert 250 <= words <= 450
    everything = " ".join([article.standfirst, *body])
    assert "PORT ANSELM" not in everything
    assert "By Mara Quill" not in everything and "By Joren Salt" not in everything
    dateline_quotes = [
        c.quote for s in article.sentences() for c in s.citations if c.quote.startswith("PORT")
    ] + [c.quote for c in article.standfirst_citations if c.quote.startswith("PORT")]
    assert dateline_quotes, "a dateline sentence should be cited with its dateline"


def test_flood_facts_keep_the_sources_figures() -> None:
    facts = {f.aspect: f.detail for f in write_article(load("flood.json")).facts}
    assert facts["Where"] == "Port Anselm, Valdoria"
    assert facts["Deaths"] == "nine"
    assert facts["Injured"] == "31"
    assert "What" in facts and "When" in facts


def test_flood_article_quotes_named_people() -> None:
    article = write_article(load("flood.json"))
    quotes = [s.text for s in article.sentences() if s.text.startswith('"')]
    assert quotes and all(re.search(r"(said|told) [A-Z]|[A-Z]\w+ (said|told)", q) for q in quotes)
    headings = [s.heading or "" for s in article.sections]
    assert any(h.startswith("Reaction") for h in headings)


def test_differing_death_tolls_become_a_cited_disagreement() -> None:
    story = load("mine_collapse.json")
    article = write_article(story)
    [disagreement] = [d for d in article.disagreements if d.topic == "Death toll"]
    cited = {c.document for claim in disagreement.claims for c in claim.citations}
    assert {"mine-01", "mine-02"} <= cited
    for claim in disagreement.claims:
        assert_verbatim(claim.citations, story)
    deaths = next(f for f in article.facts if f.aspect.startswith("Deaths"))
    assert "sources differ" in deaths.aspect
    assert "12" in deaths.detail and "14" in deaths.detail
    assert {c.document for c in deaths.citations} >= {"mine-01", "mine-02"}
    text = " ".join([article.standfirst, *(s.text for s in article.sentences())])
    lowered = text.lower()
    both = ("12" in text or "twelve" in lowered) and ("14" in text or "fourteen" in lowered)
    assert both, "the article must state both sides"


def test_agreeing_sources_give_no_disagreement() -> None:
    assert write_article(load("flood.json")).disagreements == []
    assert write_article(load("acquisition.json")).disagreements == []


def test_acquisition_facts_name_the_buyer_and_the_price() -> None:
    facts = {f.aspect: f.detail for f in write_article(load("acquisition.json")).facts}
    assert facts["Who"] == "Lumora Systems"
    assert facts["Deal value"] == "$2.3 billion"


def test_document_given_as_sentences_works() -> None:
    documents = [
        Document.model_validate(
            {
                "id": f"s{i}",
                "sentences": [
                    "Firefighters in Lorne Bay put out a blaze at the old cannery on Sunday.",
                    f"The fire destroyed two warehouses, officials said in update {i}.",
                    "Nobody was hurt in the fire, according to the Lorne Bay fire brigade.",
                    "The cannery closed in 1998 and had been empty since then.",
                ],
            }
        )
        for i in range(2)
    ]
    story = Story(id="cannery", documents=documents)
    article = write_article(story)
    assert article.sentences()
    assert_verbatim([c for s in article.sentences() for c in s.citations], story)


def test_a_single_short_document_still_gives_a_cited_article() -> None:
    story = Story(
        id="short",
        documents=[Document(id="a", text="He resigned on Monday after ten years as mayor.")],
    )
    article = write_article(story)
    assert article.standfirst and article.sentences()
    assert_verbatim([c for s in article.sentences() for c in s.citations], story)


def test_empty_story_is_rejected_with_a_clear_message() -> None:
    with pytest.raises(ValueError, match="no documents"):
        write_article(Story(id="empty", documents=[]))


def test_story_with_only_empty_text_is_rejected() -> None:
    story = Story(id="blank", documents=[Document(id="a", text=""), Document(id="b", text=" \n")])
    with pytest.raises(ValueError, match="no usable text"):
        write_article(story)


def test_story_without_any_sentence_is_rejected() -> None:
    story = Story(id="tiny", documents=[Document(id="a", text="Hi.\n\nOk")])
    with pytest.raises(ValueError, match="no usable text"):
        write_article(story)


def test_repeated_document_ids_are_rejected() -> None:
    doc = Document(id="a", text="The council approved the new harbour budget on Monday.")
    with pytest.raises(ValueError, match="repeats document ids"):
        write_article(Story(id="twice", documents=[doc, doc]))


def test_unknown_backend_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown writer backend 'gpt'"):
        write_article(load("flood.json"), backend="gpt")


def test_a_later_development_leads_the_standfirst() -> None:
    from datetime import UTC, datetime, timedelta

    from newsdesk.records import Document, Story
    from newsdesk.write.extractive import write_extractive

    day = datetime(2030, 4, 2, 9, 0, tzinfo=UTC)
    trial = (
        "The trial of former harbour master Tomas Velder opened in Corvel on Monday over the "
        "sinking of the ferry Aldra. Prosecutors say Velder ignored storm warnings before the "
        "ferry left port. The trial is expected to last several days."
    )
    more = (
        "Former harbour master Tomas Velder went on trial in Corvel over the sinking of the "
        "ferry Aldra, which killed nine people. His lawyers say the warnings never reached him."
    )
    verdict = (
        "Former harbour master Tomas Velder was sentenced to six years in prison in Corvel on "
        "Thursday over the sinking of the ferry Aldra. The judge said Velder ignored storm "
        "warnings before the ferry left port."
    )
    story = Story(
        id="velder",
        documents=[
            Document(id="a", source="Corvel Post", published=day, text=trial),
            Document(id="b", source="Valley Wire", published=day + timedelta(hours=5), text=more),
            Document(
                id="c", source="Harbour News", published=day + timedelta(days=3), text=verdict
            ),
        ],
    )
    article = write_extractive(story)
    assert "sentenced to six years" in article.standfirst
    told = " ".join(s.text for s in article.sentences())
    assert "expected to last" not in told  # the verdict overtook it


def test_a_sentence_that_mostly_repeats_the_article_is_not_chosen_again() -> None:
    """Each of two chosen sentences shares little with it, but together they hold every
    term of "Velder, who once rebuilt the port, then died ...": a fact told again."""
    from newsdesk.records import Document
    from newsdesk.write.extractive import _candidates
    from newsdesk.write.extractive.rank import rank_candidates
    from newsdesk.write.extractive.select import select_units

    texts = {
        "a": "Harbour master Tomas Velder died in Corvel on Sunday at the age of 81, after a "
        "long illness that kept him at home through the winter. In 1998 Velder rebuilt the "
        "port after the great flood destroyed the quays, the customs house and most of the "
        "old fishing fleet.",
        "b": "The port authority lowered its flags on Monday morning. Velder, who once rebuilt "
        "the port, then died in Corvel on Sunday.",
        "c": "A memorial service will be held at the harbour chapel next week, the family said.",
    }
    documents = [Document(id=k, source=f"Outlet {k}", text=t) for k, t in texts.items()]
    ranking = rank_candidates(_candidates("velder", documents))
    row = {c.text.split()[2]: i for i, c in enumerate(ranking.candidates)}
    taken = [row["Tomas"], row["Velder"]]
    chosen = [r for unit in select_units(ranking, taken, 200, 260) for r in unit]
    assert row["once"] not in chosen
    assert row["service"] in chosen


def test_an_expectation_stays_until_a_later_report_overtakes_it() -> None:
    from datetime import UTC, datetime, timedelta

    from newsdesk.records import Document
    from newsdesk.write.extractive.candidates import read_candidates
    from newsdesk.write.extractive.supersede import drop_overtaken

    day = datetime(2030, 4, 2, 9, 0, tzinfo=UTC)
    early = Document(
        id="a", published=day, text="The trial of the harbour master is expected to last a week."
    )
    same_day = Document(
        id="b", published=day + timedelta(minutes=20), text="The harbour master was charged."
    )
    later = Document(
        id="c", published=day + timedelta(days=3), text="The harbour master was convicted today."
    )

    def usable(documents: list[Document]) -> list[bool]:
        per_doc = drop_overtaken(documents, [read_candidates(d) for d in documents])
        return [c.prose for c in per_doc[0]]

    assert usable([early]) == [True]
    assert usable([early, same_day]) == [True]  # not a later report: the same news cycle
    assert usable([early, later]) == [False]
