import json
from pathlib import Path

from newsdesk.cluster import ClusterConfig, StoryClusterer, revise
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
