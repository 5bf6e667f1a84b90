"""Editing one sentence from the desk: the new text is re-checked before a new version,
which goes live (through the one publish operation) when the story is live."""

from __future__ import annotations

from newsdesk.operations import publish_versions
from newsdesk.records import Article, Sentence
from newsdesk.store import repo
from newsdesk.store.db import Store
from newsdesk.verify import check_claim


def replace_sentence(article: Article, anchor: str, text: str) -> tuple[Article, Sentence] | None:
    """A copy of the article with body sentence ``s-N`` rewritten, or None if no such one."""
    if not anchor.startswith("s-") or not anchor[2:].isdigit():
        return None
    index = int(anchor[2:]) - 1
    edited = article.model_copy(deep=True)
    sentences = edited.sentences()
    if not 0 <= index < len(sentences):
        return None
    sentence = sentences[index]
    sentence.text = text
    sentence.status = "supported"
    return edited, sentence


def edit_sentence(store: Store, story_id: str, anchor: str, text: str) -> tuple[int, str | None]:
    """Save a new version with the sentence changed; (version, None) or (0, why not)."""
    if not text:
        return 0, "The new sentence is empty."
    with store.session() as session:
        article = repo.latest_version(session, story_id)
        if article is None:
            return 0, f"There is no written story '{story_id}'."
        replaced = replace_sentence(article, anchor, text)
        if replaced is None:
            return 0, f"The story has no body sentence '{anchor}'."
        edited, sentence = replaced
        documents = repo.documents_by_story(session, [story_id]).get(story_id, [])
        check = check_claim(text, sentence.citations, {d.id: d.text for d in documents})
        if not check.supported:
            return (
                0,
                f"The checker refused the new text: {check.reason}. Its citations must support it.",
            )
        edited.version = repo.next_version(session, story_id)
        repo.save_article(session, edited)
        if repo.latest_article(session, story_id) is not None:  # an older version is live
            publish_versions(session, story_id, version=edited.version)
    return edited.version, None
