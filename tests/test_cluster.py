import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsdesk.cluster import (
    ClusterConfig,
    StoryClusterer,
    cluster_documents,
    cluster_stream,
    revise,
    story_id_for,
)
from newsdesk.cluster.features import extract_features
from newsdesk.embed import get_embedder
from newsdesk.records import Assignment, Document

TEXTS: dict[str, str] = json.loads(
    (Path(__file__).parent / "fixtures" / "cluster" / "events.json").read_text()
)
T0 = datetime(2026, 11, 2, 6, tzinfo=UTC)


def doc(doc_id: str, hours: float | None = 0, **extra: object) -> Document:
    when = None if hours is None else T0 + timedelta(hours=hours)
    text = extra.pop("text", TEXTS.get(doc_id, ""))
    return Document(id=doc_id, text=str(text), published=when, **extra)  # type: ignore[arg-type]


def groups(assignments: list[Assignment]) -> list[set[str]]:
    found: dict[str, set[str]] = {}
    for a in assignments:
        found.setdefault(a.story, set()).add(a.id)
    return sorted(found.values(), key=sorted)


QUAKES = ["quake_harlow_1", "quake_veskar_1", "quake_harlow_2", "quake_veskar_2"]


def test_two_similar_earthquakes_stay_apart() -> None:
    docs = [doc(d, i) for i, d in enumerate([*QUAKES, "quake_harlow_3", "quake_veskar_3"])]
    assert groups(cluster_documents(docs)) == [
        {"quake_harlow_1", "quake_harlow_2", "quake_harlow_3"},
        {"quake_veskar_1", "quake_veskar_2", "quake_veskar_3"},
    ]


def test_a_syndicated_copy_joins_its_originals_story() -> None:
    copy = doc("copy", 5, text="Chess: a teenager won in Carrow.", duplicate_of="chess_1")
    assignments = cluster_documents([doc("chess_1"), doc("quake_harlow_1", 1), copy])
    assert assignments[2].story == assignments[0].story == story_id_for("chess_1")


def test_story_ids_come_from_the_first_document_and_rerunning_gives_the_same() -> None:
    docs = [doc("chess_1"), doc("chess_2", 1), doc("quake_harlow_1", 2)]
    first = cluster_documents(docs)
    assert first == cluster_documents(list(docs))
    assert first[1].story == story_id_for("chess_1")
    assert first[2].story == story_id_for("quake_harlow_1")


def test_new_documents_join_existing_stories() -> None:
    existing = {"story-old": [doc("chess_1")]}
    assignments = cluster_documents([doc("chess_2", 3)], existing=existing)
    assert [a.story for a in assignments] == ["story-old"]


def test_a_story_outside_the_window_is_not_joined_and_is_closed() -> None:
    clusterer = StoryClusterer(get_embedder(), ClusterConfig(window=timedelta(days=4)))
    clusterer.assign([doc("chess_1"), doc("chess_2", 24 * 30)])
    assert clusterer.story_of["chess_1"] != clusterer.story_of["chess_2"]
    assert clusterer.closed == [story_id_for("chess_1")]
    assert story_id_for("chess_1") not in clusterer.stories


def test_empty_one_word_and_non_english_documents() -> None:
    docs = [
        doc("empty", None, text=" "),
        doc("one", None, text="Harlow"),
        doc("de", None, text="Ein Erdbeben der Stärke 6,1 traf die Stadt Harlow am Montag."),
        doc("ja", None, text="ハーロウで地震が発生し、14人が死亡した。"),
    ]
    assignments = cluster_documents(docs)
    assert [a.id for a in assignments] == ["empty", "one", "de", "ja"]
    assert all(a.story.startswith("story-") for a in assignments)


def test_documents_without_dates_are_clustered_by_content() -> None:
    docs = [doc("chess_1", None), doc("quake_veskar_1", None), doc("chess_2", None)]
    assert groups(cluster_documents(docs)) == [{"chess_1", "chess_2"}, {"quake_veskar_1"}]


def test_result_does_not_depend_on_the_order_of_tied_stories() -> None:
    # Two identical stories tie for the third document: the smaller story id wins.
    text = TEXTS["chess_1"]
    docs = [doc("b", 0, text=text, title="x"), doc("a", 0, text=text, title="y")]
    config = ClusterConfig(threshold=99.0)  # keep the first two apart
    clusterer = StoryClusterer(get_embedder(), config)
    clusterer.assign(docs)
    clusterer.config = ClusterConfig()
    [third] = clusterer.assign([doc("c", 1, text=text)])
    assert third.story == min(story_id_for("a"), story_id_for("b"))


def test_a_story_holding_two_events_is_split_and_the_move_recorded() -> None:
    # A stream run with a far too permissive threshold lumps both earthquakes together
    # (as early, thin evidence can); the pass, with the normal settings, splits them.
    docs = [doc(d, i) for i, d in enumerate([*QUAKES, "quake_harlow_3", "quake_veskar_3"])]
    clusterer = StoryClusterer(get_embedder(), ClusterConfig(threshold=-9.0))
    clusterer.assign(docs)
    assert len(set(clusterer.story_of.values())) == 1
    clusterer.config = ClusterConfig()
    moves = revise(clusterer, {d.id: d for d in docs})
    assert [m.kind for m in moves] == ["split"]
    assert set(moves[0].documents) == {"quake_veskar_1", "quake_veskar_2", "quake_veskar_3"}
    assert moves[0].source == story_id_for("quake_harlow_1")
    assert moves[0].target == story_id_for("quake_veskar_1")


def test_two_stories_of_one_event_are_merged_into_the_bigger() -> None:
    docs = [doc("chess_1"), doc("chess_2", 1), doc("quake_harlow_1", 2)]
    clusterer = StoryClusterer(get_embedder(), ClusterConfig(threshold=99.0))
    clusterer.assign(docs)
    clusterer.touched = {story_id_for("chess_2")}
    moves = revise(clusterer, {d.id: d for d in docs})
    assert [(m.kind, sorted(m.documents)) for m in moves] == [("merge", ["chess_2"])]
    assert clusterer.story_of["chess_2"] == clusterer.story_of["chess_1"]
    assert len(clusterer.stories) == 2


def test_features_drop_links_and_keep_names_figures_and_dates() -> None:
    text = (
        "Visit http: / / www. example. com / x. "
        "Mayor Ansel Brook said 3 people were hurt on Dec. 14, 2012."
    )
    features = extract_features(Document(id="x", text=text))
    assert "example" not in features.terms
    assert {"mayor ansel brook", "ansel", "brook"} <= features.entities
    assert {"date:12-14"} <= features.numbers and "3" not in features.numbers
    assert features.latest_year == 2012


def test_no_documents_gives_no_assignments() -> None:
    assert cluster_documents([]) == []


@pytest.mark.parametrize("corrections", [True, False])
def test_every_document_gets_exactly_one_assignment(corrections: bool) -> None:
    docs = [doc(d, i) for i, d in enumerate(sorted(TEXTS))]
    assignments = cluster_documents(docs, corrections=corrections)
    assert [a.id for a in assignments] == [d.id for d in docs]


def test_one_run_from_open_stories_reports_its_assignments_closures_and_changes() -> None:
    """The pipeline's run: open stories restored, a background counted only, new
    documents assigned, and the stories idle at the stream time closed."""
    existing = {"story-chess": [doc("chess_1")], "story-quake": [doc("quake_harlow_1")]}
    background = [doc("quake_veskar_1")]
    config = ClusterConfig(window=timedelta(days=4))
    later = T0 + timedelta(days=3)
    run = cluster_stream(
        [doc("chess_2", 24 * 3)], existing=existing, background=background, now=later, config=config
    )
    assert run.assignments == [Assignment(id="chess_2", story="story-chess")]
    assert run.story_of == {
        "chess_1": "story-chess",
        "quake_harlow_1": "story-quake",
        "chess_2": "story-chess",
    }
    assert (run.moves, run.closed) == ([], [])
    assert run.changed() == {"story-chess"}
    idle = cluster_stream(
        [doc("chess_2", 24 * 3)], existing=existing, now=later + timedelta(days=2)
    )
    assert idle.closed == ["story-quake"]


def test_cluster_documents_gives_the_runs_assignments() -> None:
    docs = [doc(d, i) for i, d in enumerate([*QUAKES, "chess_1", "chess_2"])]
    for corrections in (True, False):
        run = cluster_stream(docs, corrections=corrections)
        assert cluster_documents(docs, corrections=corrections) == run.assignments
