from newsdesk.dedupe import drop_exact_duplicates
from newsdesk.records import Document


def make(doc_id: str, text: str) -> Document:
    return Document(id=doc_id, text=text)


def test_same_text_up_to_whitespace_and_case_is_dropped() -> None:
    docs = [make("a", "The ferry left at noon."), make("b", "the  ferry left\nat NOON.")]
    assert [d.id for d in drop_exact_duplicates(docs)] == ["a"]


def test_different_texts_are_kept_in_order() -> None:
    docs = [make("a", "One thing happened."), make("b", "Another thing happened.")]
    assert [d.id for d in drop_exact_duplicates(docs)] == ["a", "b"]


def test_previously_seen_hashes_are_respected_and_updated() -> None:
    seen = {make("x", "Old news.").content_hash}
    kept = list(drop_exact_duplicates([make("a", "Old news."), make("b", "New news.")], seen))
    assert [d.id for d in kept] == ["b"]
    assert make("y", "New news.").content_hash in seen


def test_repeated_id_is_dropped_even_with_new_text() -> None:
    docs = [make("a", "First text."), make("a", "Edited text.")]
    assert [d.id for d in drop_exact_duplicates(docs)] == ["a"]
