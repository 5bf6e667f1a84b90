from newsdesk.records import Article, Citation, Document, Fact, Section, Sentence, SourceRef
from newsdesk.verify import CHECKER, check_claim, is_publishable, verify_article

SOURCE = Document(
    id="d1",
    text=(
        "The Orrin river peaked at 6.2 metres in Pelham on Tuesday. "
        "“We have never seen water this high,” said Mayor Ada Finch. "
        "About 300 residents spent the night in two shelters."
    ),
)
TEXTS = {"d1": SOURCE.text}


def cite(quote: str) -> list[Citation]:
    return [Citation(document="d1", quote=quote)]


def test_verbatim_sentence_is_supported() -> None:
    quote = "The Orrin river peaked at 6.2 metres in Pelham on Tuesday."
    assert check_claim(quote, cite(quote), TEXTS).supported


def test_changed_number_is_unsupported() -> None:
    quote = "The Orrin river peaked at 6.2 metres in Pelham on Tuesday."
    check = check_claim("The Orrin river peaked at 7.2 metres in Pelham.", cite(quote), TEXTS)
    assert not check.supported
    assert "7.2" in check.reason


def test_quote_that_is_not_in_the_document_is_unsupported() -> None:
    check = check_claim("The river peaked.", cite("The river peaked at 9 metres."), TEXTS)
    assert not check.supported
    assert "verbatim" in check.reason


def test_invented_speech_is_unsupported() -> None:
    quote = "“We have never seen water this high,” said Mayor Ada Finch."
    claim = "“We will rebuild everything,” said Mayor Ada Finch."
    assert not check_claim(claim, cite(quote), TEXTS).supported


def test_unknown_document_and_missing_citation_are_unsupported() -> None:
    assert not check_claim("Anything.", [], TEXTS).supported
    bad = [Citation(document="nope", quote="The Orrin river")]
    assert "unknown document" in check_claim("The Orrin river.", bad, TEXTS).reason


def test_verify_article_removes_unsupported_and_counts() -> None:
    good = "About 300 residents spent the night in two shelters."
    article = Article(
        story="s1",
        headline="Orrin river floods Pelham",
        standfirst=good,
        standfirst_citations=cite(good),
        sections=[
            Section(
                heading="Flooding",
                paragraphs=[
                    [
                        Sentence(text=good, citations=cite(good)),
                        Sentence(text="About 900 residents fled.", citations=cite(good)),
                    ]
                ],
            )
        ],
        facts=[
            Fact(aspect="Shelters", detail="two shelters", citations=cite(good)),
            Fact(aspect="Evacuated", detail="900 residents", citations=cite(good)),
        ],
        sources=[SourceRef(document="d1")],
    )
    checked = verify_article(article, [SOURCE])
    assert [s.text for s in checked.sentences()] == [good]
    assert [f.aspect for f in checked.facts] == ["Shelters"]
    v = checked.verification
    assert (v.checked, v.supported, v.removed, v.checker) == (4, 2, 2, CHECKER)
    assert is_publishable(checked)


def test_article_with_nothing_supported_is_not_publishable() -> None:
    article = Article(
        story="s1",
        headline="h",
        standfirst="Invented 42.",
        sections=[
            Section(
                heading=None,
                paragraphs=[[Sentence(text="Invented 42.", citations=cite("Pelham"))]],
            )
        ],
        facts=[],
        sources=[],
    )
    assert not is_publishable(verify_article(article, [SOURCE]))
