import json
from pathlib import Path

from newsdesk.cluster import ClusterConfig, PastSplit, StoryClusterer, cluster_stream, revise
from newsdesk.embed import get_embedder
from newsdesk.records import Document

TEXTS: dict[str, str] = json.loads(
    (Path(__file__).parent / "fixtures" / "cluster" / "events.json").read_text()
)
HARLOW = ["quake_harlow_1", "quake_harlow_2", "quake_harlow_3"]
VESKAR = ["quake_veskar_1", "quake_veskar_2", "quake_veskar_3"]
# Any two neighbouring stories are merge candidates: only the documents' links decide.
PERMISSIVE = ClusterConfig(merge_threshold=-99.0, merge_link=-99.0)


def seeded(stories: dict[str, list[str]], config: ClusterConfig) -> StoryClusterer:
    clusterer = StoryClusterer(get_embedder(), config)
    for story_id, members in stories.items():
        clusterer.seed(story_id, [Document(id=m, text=TEXTS[m]) for m in members])
    clusterer.touched = set(stories)
    return clusterer


def documents() -> dict[str, Document]:
    return {m: Document(id=m, text=TEXTS[m]) for m in HARLOW + VESKAR}


def members(clusterer: StoryClusterer) -> list[set[str]]:
    return sorted((set(s.members) for s in clusterer.stories.values()), key=sorted)


def test_a_merge_the_split_would_undo_is_not_made_and_no_move_recorded() -> None:
    clusterer = seeded({"story-h": HARLOW, "story-v": VESKAR}, PERMISSIVE)
    assert revise(clusterer, documents()) == []
    clusterer.touched = {"story-h", "story-v"}
    assert revise(clusterer, documents()) == []
    assert members(clusterer) == [set(HARLOW), set(VESKAR)]


def test_two_mixed_stories_are_regrouped_by_event() -> None:
    mixed = {"story-a": [*HARLOW[:2], VESKAR[0]], "story-b": [*VESKAR[1:], HARLOW[2]]}
    clusterer = seeded(mixed, PERMISSIVE)
    moves = revise(clusterer, documents())
    assert [m.kind for m in moves] == ["merge", "split"]
    assert members(clusterer) == [set(HARLOW), set(VESKAR)]
    assert moves[1].score < PERMISSIVE.split_threshold
    assert moves[1].counted == clusterer.stats.documents == 6
    # Settled: the next pass finds nothing to do.
    clusterer.touched = set(clusterer.stories)
    assert revise(clusterer, documents()) == []


def test_a_story_of_one_event_is_not_split() -> None:
    ferry: dict[str, str] = json.loads(
        (Path(__file__).parent / "fixtures" / "cluster" / "revise.json").read_text()
    )
    docs = {name: Document(id=name, text=text) for name, text in ferry.items()}
    clusterer = StoryClusterer(get_embedder(), ClusterConfig())
    clusterer.seed("story-f", list(docs.values()))
    clusterer.touched = {"story-f"}
    assert revise(clusterer, docs) == []
    assert members(clusterer) == [set(docs)]


def ferry_documents() -> dict[str, Document]:
    ferry: dict[str, str] = json.loads(
        (Path(__file__).parent / "fixtures" / "cluster" / "revise.json").read_text()
    )
    return {name: Document(id=name, text=text) for name, text in ferry.items()}


def after_a_run(stories: dict[str, list[Document]], run: list[Document]) -> StoryClusterer:
    """Stories restored from the store, then a run of new documents assigned."""
    clusterer = StoryClusterer(get_embedder(), ClusterConfig())
    for story_id, docs in stories.items():
        clusterer.seed(story_id, docs)
    clusterer.assign(run)
    return clusterer


CHESS = [Document(id=name, text=TEXTS[name]) for name in ("chess_1", "chess_2")]


def test_a_past_split_is_due_each_time_the_statistics_double() -> None:
    split = PastSplit("kept", "part", counted=10)
    assert split.due(before=15, now=25)  # passed 20
    assert split.due(before=39, now=40)  # reached 40
    assert split.due(before=25, now=90)  # passed 40 and 80
    assert not split.due(before=20, now=39)  # 20 was passed in an earlier run
    assert not split.due(before=5, now=19)
    assert PastSplit("kept", "part", counted=0).due(before=1, now=2)


def test_a_split_of_one_event_is_undone_once_the_statistics_have_doubled() -> None:
    docs = list(ferry_documents().values())
    stories = {"story-f": docs[:3], "story-g": docs[3:]}
    clusterer = after_a_run(stories, CHESS)  # 5 documents counted, then 7
    known = {d.id: d for d in [*docs, *CHESS]}
    moves = revise(clusterer, known, [PastSplit("story-f", "story-g", counted=3)])
    assert [(m.kind, m.source, m.target) for m in moves] == [("merge", "story-g", "story-f")]
    assert moves[0].score >= ClusterConfig().split_threshold
    assert {d.id for d in docs} in members(clusterer)


def test_a_run_looks_again_at_past_splits_and_reports_the_merge() -> None:
    """The entry point's run does what the steps above do, and says which stories to
    write again: the survivor, not the story merged into it."""
    docs = list(ferry_documents().values())
    stories = {"story-f": docs[:3], "story-g": docs[3:]}
    run = cluster_stream(CHESS, existing=stories, splits=[PastSplit("story-f", "story-g", 3)])
    assert [(m.kind, m.source, m.target) for m in run.moves] == [("merge", "story-g", "story-f")]
    assert {run.story_of[d.id] for d in docs} == {"story-f"}
    assert "story-f" in run.changed() and "story-g" not in run.changed()


def test_a_past_split_is_not_looked_at_before_the_statistics_double() -> None:
    docs = list(ferry_documents().values())
    clusterer = after_a_run({"story-f": docs[:3], "story-g": docs[3:]}, CHESS)
    known = {d.id: d for d in [*docs, *CHESS]}
    assert revise(clusterer, known, [PastSplit("story-f", "story-g", counted=4)]) == []
    assert {"ferry_1", "ferry_2", "ferry_3"} in members(clusterer)


def test_a_due_split_of_two_events_stays_split() -> None:
    harlow = [Document(id=m, text=TEXTS[m]) for m in HARLOW]
    veskar = [Document(id=m, text=TEXTS[m]) for m in VESKAR]
    clusterer = after_a_run({"story-h": harlow, "story-v": veskar}, CHESS)
    known = {d.id: d for d in [*harlow, *veskar, *CHESS]}
    assert revise(clusterer, known, [PastSplit("story-h", "story-v", counted=4)]) == []
    assert set(HARLOW) in members(clusterer) and set(VESKAR) in members(clusterer)
