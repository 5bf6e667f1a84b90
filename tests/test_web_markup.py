"""The comment Markdown subset and its sanitizer."""

from __future__ import annotations

from newsdesk.web.presentation.markup import clean_comment_html, comment_problem, render_comment


def test_subset_renders() -> None:
    html = render_comment("**b** *i* `c`\n\n> q\n\n- one\n- two")
    for tag in (
        "<strong>b</strong>",
        "<em>i</em>",
        "<code>c</code>",
        "<blockquote>",
        "<li>one</li>",
    ):
        assert tag in html


def test_raw_html_is_text_and_images_are_not_images() -> None:
    html = render_comment('<b onclick="x()">hi</b> ![i](https://x.example/i.png)')
    assert "<b" not in html and "&lt;b" in html
    assert "<img" not in html


def test_links_are_http_only_and_marked_ugc() -> None:
    html = render_comment("[a](https://a.example) [b](javascript:alert(1)) [c](vbscript:x)")
    assert '<a href="https://a.example" rel="nofollow ugc noopener">a</a>' in html
    assert "javascript:" not in html.replace("[b](javascript:alert(1))", "")
    assert 'href="javascript' not in html and 'href="vbscript' not in html


def test_render_time_sanitizer_strips_what_the_store_should_never_hold() -> None:
    cleaned = str(clean_comment_html("<p>ok</p><script>alert(1)</script><img src=x onerror=y>"))
    assert cleaned == "<p>ok</p>"


def test_comment_problems() -> None:
    assert comment_problem("  ") == "The comment is empty."
    assert comment_problem("x" * 5001) is not None
    assert comment_problem("fine") is None


def test_a_passage_cited_twice_is_listed_once() -> None:
    from newsdesk.records import Article, Citation, Section, Sentence
    from newsdesk.web.presentation.view import build_story_view

    quote = Citation(document="d1", quote="The ferry left the harbour at dawn with forty aboard.")
    other = Citation(document="d2", quote="Forty passengers were on the ferry.")
    article = Article(
        story="s",
        headline="Ferry leaves harbour",
        standfirst="The ferry left the harbour at dawn with forty aboard.",
        standfirst_citations=[quote],
        sections=[
            Section(
                heading=None,
                paragraphs=[[Sentence(text="Forty were aboard.", citations=[other, quote])]],
            )
        ],
        facts=[],
        sources=[],
    )
    view = build_story_view(article)
    assert [p.quote for p in view.passages] == [quote.quote, other.quote]
    (sentence,) = view.sections[0].paragraphs[0]
    assert sentence.cites[1].anchor == view.standfirst_cites[0].anchor
