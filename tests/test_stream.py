import random
from datetime import UTC, datetime, timedelta

from newsdesk.cluster import StoryClusterer
from newsdesk.cluster.stream import CANDIDATES
from newsdesk.embed import get_embedder
from newsdesk.records import Document

WORDS = (
    "bridge library harbour tramline school hospital market stadium reservoir museum orchard "
    "vineyard glacier volcano satellite telescope submarine locomotive cathedral lighthouse "
    "penguin tortoise falcon dolphin walrus beetle salmon otter badger heron violin trumpet "
    "cello piano guitar drum saxophone harp banjo flute wheat barley cotton coffee cocoa "
    "rubber copper nickel cobalt lithium marble granite quartz amber velvet denim linen silk "
    "wool canvas"
).split()
PLACES = "Arlow Benmere Corrin Dunholt Eskby Farrow Glenmoor Hathby Irwell Jorvale".split()
T0 = datetime(2026, 11, 2, tzinfo=UTC)


def reports(seed: int) -> list[Document]:
    """Three differently worded reports on each of 20 invented events, over four days."""
    rng = random.Random(seed)
    docs = []
    for number in range(20):
        place, figure = PLACES[number % 10], rng.randint(100, 999)
        words = WORDS[number * 3 : number * 3 + 3]
        start = rng.uniform(0, 72)
        for version in range(3):
            first, second, third = rng.sample(words, 3)
            text = f"{place} {first} {second} {figure}. {third} {first} {place} {version}."
            when = T0 + timedelta(hours=start + rng.uniform(0, 12))
            docs.append(Document(id=f"e{number}-{version}", text=text, published=when))
    return sorted(docs, key=lambda d: d.published or T0)


def test_deciding_in_batches_gives_what_deciding_one_by_one_gives() -> None:
    docs = reports(3)
    together = StoryClusterer(get_embedder())
    batched = together.assign(docs)
    alone = StoryClusterer(get_embedder())
    one_by_one = [alone.assign([doc])[0] for doc in docs]
    assert len(together.stories) > CANDIDATES  # the candidate search has a choice to make
    assert batched == one_by_one


def test_a_story_closing_within_a_batch_is_no_longer_joined() -> None:
    docs = reports(4)
    late = Document(id="late", text=docs[0].text, published=T0 + timedelta(days=30))
    clusterer = StoryClusterer(get_embedder())
    assignments = clusterer.assign([*docs, late])
    assert assignments[-1].story not in {a.story for a in assignments[:-1]}
    assert len(clusterer.closed) == len({a.story for a in assignments[:-1]})
