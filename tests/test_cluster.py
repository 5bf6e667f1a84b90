from datetime import UTC, datetime, timedelta

from newsdesk.cluster import cluster_documents, story_id_for
from newsdesk.records import Document

FLOOD_A = (
    "Floodwater from the Orrin river covered the market town of Pelham on Tuesday after "
    "three days of rain. The town council opened two shelters at the Pelham school and "
    "the river gauge reached 6.2 metres, the highest level since records began."
)
FLOOD_B = (
    "Residents of Pelham spent Tuesday night in shelters as the Orrin river burst its "
    "banks. Council staff said the gauge at Pelham bridge peaked at 6.2 metres and that "
    "the school shelters would stay open until the water falls."
)
CHESS = (
    "The national chess championship in Carrow ended with a surprise as the 17-year-old "
    "Ines Marlow beat the defending champion in the final round of the Carrow open, "
    "taking the title and the prize of 40,000 crowns."
)
CHESS_B = (
    "Ines Marlow, 17, won the Carrow open chess championship on Sunday, beating the "
    "defending champion in the last round and collecting a prize of 40,000 crowns."
)

T0 = datetime(2026, 11, 1, 8, tzinfo=UTC)


def doc(doc_id: str, text: str, hours: float = 0, title: str | None = None) -> Document:
    return Document(id=doc_id, text=text, title=title, published=T0 + timedelta(hours=hours))


def groups(assignments: list) -> dict[str, set[str]]:
    result: dict[str, set[str]] = {}
    for a in assignments:
        result.setdefault(a.story, set()).add(a.id)
    return result


def test_two_stories_are_found_and_kept_apart() -> None:
    docs = [doc("f1", FLOOD_A), doc("c1", CHESS, 1), doc("f2", FLOOD_B, 2), doc("c2", CHESS_B, 3)]
    found = sorted(groups(cluster_documents(docs)).values(), key=sorted)
    assert found == [{"c1", "c2"}, {"f1", "f2"}]


def test_story_id_comes_from_the_first_document() -> None:
    assignments = cluster_documents([doc("f1", FLOOD_A), doc("f2", FLOOD_B, 1)])
    assert {a.story for a in assignments} == {story_id_for("f1")}


def test_new_documents_join_existing_stories() -> None:
    existing = {"story-old": [doc("f1", FLOOD_A)]}
    assignments = cluster_documents([doc("f2", FLOOD_B, 5)], existing=existing)
    assert [a.story for a in assignments] == ["story-old"]


def test_time_window_separates_a_later_similar_event() -> None:
    docs = [doc("f1", FLOOD_A), doc("f2", FLOOD_B, 24 * 30)]
    assert len(groups(cluster_documents(docs, window=timedelta(days=4)))) == 2


def test_empty_and_stopword_only_documents_do_not_crash() -> None:
    docs = [doc("e1", " "), doc("e2", "the and of"), doc("x", "Pelham")]
    assignments = cluster_documents(docs)
    assert [a.id for a in assignments] == ["e1", "e2", "x"]


def test_no_documents_gives_no_assignments() -> None:
    assert cluster_documents([]) == []


def test_same_input_same_output() -> None:
    docs = [doc("f1", FLOOD_A), doc("c1", CHESS, 1), doc("f2", FLOOD_B, 2)]
    assert cluster_documents(docs) == cluster_documents(list(docs))
