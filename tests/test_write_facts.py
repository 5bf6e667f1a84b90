"""The writer's parts: figures, disagreements, datelines, clause cutting, selection rules."""

from __future__ import annotations

import pytest

from newsdesk.records import Document, Story
from newsdesk.write import write_article
from newsdesk.write.extractive.candidates import Candidate, is_dependent, is_prose, strip_dateline
from newsdesk.write.extractive.figures import find_disagreements, find_figures, main_figures
from newsdesk.write.extractive.headline import strip_outlet, trim_clause


def candidate(text: str, doc: str = "d", index: int = 0) -> Candidate:
    return Candidate(doc, index, text, text, None, True, False, False)


def figures(text: str) -> dict[str, str]:
    return {f.kind.name: f.value for f in find_figures(candidate(text))}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "At least 12 people were killed and 30 others were injured.",
            {"deaths": "At least 12", "injured": "30"},
        ),
        (
            "The quake, of magnitude 6.1, killed 14 and left 2,000 homeless.",
            {"deaths": "14", "magnitude": "6.1", "evacuated": "2,000"},
        ),
        ("An estimated 4,000 residents have been evacuated.", {"evacuated": "An estimated 4,000"}),
        ("The death toll rose to 14 on Tuesday.", {"deaths": "14"}),
        ("Three miners remain missing.", {"missing": "Three"}),
        ("Lumora agreed to buy the firm for $2.3 billion.", {"money": "$2.3 billion"}),
        ("Authorities said turnout reached 93.87 percent.", {"turnout": "93.87 percent"}),
    ],
)
def test_figures_keep_the_words_and_hedges_of_the_source(
    text: str, expected: dict[str, str]
) -> None:
    assert figures(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "No one was killed in the 2008 fire.",
        "The election comes two years after the death of the dictator.",
        "He ruled for two decades until his death.",
        "A 5.2 quake has injured nobody.",
    ],
)
def test_years_durations_and_fractions_are_not_head_counts(text: str) -> None:
    found = figures(text)
    assert "deaths" not in found and "injured" not in found


def test_number_words_and_digits_agree() -> None:
    per_doc = {
        "deaths": {
            "a": find_figures(candidate("Nine people died in the flood.", "a"))[0],
            "b": find_figures(candidate("At least 9 people were killed.", "b"))[0],
        }
    }
    assert find_disagreements(per_doc) == []


def test_different_tolls_make_a_disagreement_citing_each_side() -> None:
    found = [
        *find_figures(candidate("Twelve miners were killed on Friday.", "a")),
        *find_figures(candidate("Rescuers found two more bodies, leaving 14 dead.", "b")),
        *find_figures(candidate("The collapse killed at least 12 miners.", "c")),
    ]
    [disagreement] = find_disagreements(main_figures(found, {}))
    assert disagreement.topic == "Death toll"
    sides = [sorted(c.document for c in claim.citations) for claim in disagreement.claims]
    assert sides == [["a", "c"], ["b"]]


@pytest.mark.parametrize(
    ("sentence", "text", "place"),
    [
        (
            "PORT ANSELM, Valdoria — Floodwaters rose across the city.",
            "Floodwaters rose across the city.",
            "PORT ANSELM, Valdoria",
        ),
        (
            "LONDON, March 3 (Reuters) - The bank cut rates today.",
            "The bank cut rates today.",
            "LONDON",
        ),
        (
            "WASHINGTON (AP) — The Senate voted on the bill.",
            "The Senate voted on the bill.",
            "WASHINGTON",
        ),
        ("NASA said the launch went well.", "NASA said the launch went well.", None),
    ],
)
def test_datelines_are_cut_from_the_text(sentence: str, text: str, place: str | None) -> None:
    assert strip_dateline(sentence) == (text, place)


def test_bylines_fragments_and_questions_are_not_prose() -> None:
    assert not is_prose("By Mara Quill, Staff Reporter")
    assert not is_prose("Port Anselm flood latest")
    assert not is_prose("Is this the worst storm in a decade of storms?")
    assert not is_prose('He said "we will win and then stopped.')
    assert is_prose("Rescue teams searched the flooded streets through the night.")


@pytest.mark.parametrize(
    ("text", "dependent"),
    [
        ("He said the barrier had failed.", True),
        ("It was the worst flood in decades.", True),
        ('"We will rebuild," she said.', True),
        ('"We will rebuild every home in the district."', True),
        ('"We will rebuild," said Mayor Ilse Varga.', False),
        ('"This disaster was predicted," Varga told reporters.', False),
        ("The mayor said the barrier had failed.", False),
    ],
)
def test_sentences_that_lean_on_the_previous_one(text: str, dependent: bool) -> None:
    assert is_dependent(text) is dependent


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Perennial party girl Tara Reid checked herself into Promises Treatment Center, "
            "her rep told People.",
            "Perennial party girl Tara Reid checked herself into Promises Treatment Center",
        ),
        (
            "Cooley said Jose Luis Orozco was charged with murder in the shooting on Saturday.",
            "Jose Luis Orozco was charged with murder in the shooting on Saturday",
        ),
        (
            "Even as organizers on Friday unveiled the host of their gala awards, the prospect "
            "of a strike was casting a long shadow over the show.",
            "the prospect of a strike was casting a long shadow",
        ),
        (
            "The Indian navy said it has captured 23 pirates who attacked a vessel in the Gulf.",
            "The Indian navy said it has captured 23 pirates",
        ),
    ],
)
def test_trim_clause_keeps_the_main_clause(text: str, expected: str) -> None:
    assert trim_clause(text, 12) == expected


def test_strip_outlet_removes_known_and_generic_outlet_names() -> None:
    assert strip_outlet("Sea wall fails in Port Anselm - The Valdoria Herald", []) == (
        "Sea wall fails in Port Anselm"
    )
    assert strip_outlet("Herald: Sea wall fails in Port Anselm", ["Herald"]) == (
        "Sea wall fails in Port Anselm"
    )
    assert strip_outlet("Storm surge kills nine | VPR News", ["VPR News"]) == (
        "Storm surge kills nine"
    )


def test_a_pronoun_sentence_travels_with_its_own_predecessor() -> None:
    head = "Mayor Ilse Varga ordered a curfew across the flooded harbour district on Wednesday."
    follower = (
        "She said the curfew would last for a week while crews pump water from the harbour "
        "district."
    )
    lead = "Floodwaters swept through Port Anselm on Tuesday"
    docs = [
        Document(id="a", text=f"{lead}, killing nine people. {head} {follower}"),
        Document(
            id="b",
            text=f"{lead} and killed nine people, officials said. Schools in the flooded "
            "harbour district will stay closed until Friday.",
        ),
        Document(
            id="c",
            text="Nine people died when floodwaters swept through Port Anselm on Tuesday. "
            "Power was restored to most homes in the city on Wednesday.",
        ),
    ]
    texts = [s.text for s in write_article(Story(id="curfew", documents=docs)).sentences()]
    assert follower in texts
    assert texts[texts.index(follower) - 1] == head


def test_a_count_does_not_borrow_the_number_of_another_clause() -> None:
    found = figures("The quake killed seven people and injured 42, officials said.")
    assert found == {"deaths": "seven", "injured": "42"}


def test_aftershocks_and_earlier_quakes_are_not_the_events_magnitude() -> None:
    assert "magnitude" not in figures("The strongest aftershock was of magnitude 4.8.")
    assert figures("A magnitude 6.1 earthquake struck the valley.")["magnitude"] == "6.1"


def test_a_hedged_figure_close_to_a_precise_one_is_no_disagreement() -> None:
    per_doc = main_figures(
        [
            *find_figures(candidate("More than 40 people were injured in the blast.", "a")),
            *find_figures(candidate("The blast injured 42 people, officials said.", "b")),
        ],
        {},
    )
    assert find_disagreements(per_doc) == []
    far = main_figures(
        [
            *find_figures(candidate("At least 12 people were killed in the collapse.", "a")),
            *find_figures(candidate("The collapse killed 14 people, the province said.", "b")),
        ],
        {},
    )
    assert [d.topic for d in find_disagreements(far)] == ["Death toll"]


def story_of(*texts: str) -> Story:
    return Story(id="s", documents=[Document(id=f"d{k}", text=t) for k, t in enumerate(texts)])


def test_who_is_an_actor_never_a_place_or_a_landmark() -> None:
    story = story_of(
        "PORT ANSELM, Valdoria — The Saltmarket Bridge collapsed in Port Anselm on Tuesday, "
        "the Port Anselm Fire and Rescue service said.",
        "PORT ANSELM — The Saltmarket Bridge in Port Anselm gave way on Tuesday evening, "
        "said Tomas Reyland, chief of Port Anselm Fire and Rescue.",
        "Divers searched the River Ansel below the Saltmarket Bridge on Wednesday, Port "
        "Anselm Fire and Rescue said.",
    )
    facts = {f.aspect: f.detail for f in write_article(story).facts}
    assert facts["Who"] == "Port Anselm Fire and Rescue"
    assert facts["Where"] == "Port Anselm, Valdoria"


def test_the_first_heading_never_takes_its_event_from_a_name() -> None:
    story = story_of(
        "A road bridge collapsed in Port Anselm on Tuesday evening, killing at least 12 "
        "people, the Port Anselm Fire and Rescue service said.",
        "The bridge collapse in Port Anselm killed at least 12 people on Tuesday, Port "
        "Anselm Fire and Rescue said, as divers searched the river.",
        "Port Anselm Fire and Rescue said the collapse of the bridge on Tuesday killed at "
        "least 12 people and that divers were still searching the river.",
    )
    heading = write_article(story).sections[0].heading or ""
    assert not heading.startswith("Fire")


def test_figures_of_other_events_and_vague_counts_are_never_a_disagreement() -> None:
    from newsdesk.records import Document
    from newsdesk.write.extractive.candidates import read_candidates
    from newsdesk.write.extractive.figures import find_disagreements, find_figures, main_figures

    texts = {
        "a": "The quake near Tarsen killed at least 12 people on Sunday.",
        "b": "The 2004 tsunami killed 230,000 people along the same coast.",
        "c": "Police arrested dozens of looters in Tarsen on Sunday night.",
        "d": "Police arrested 40 looters in Tarsen after the quake.",
        "e": "The quake near Tarsen killed 12 people, the governor said.",
    }
    figures = [
        f
        for doc_id, text in texts.items()
        for c in read_candidates(Document(id=doc_id, text=text))
        for f in find_figures(c)
    ]
    assert [f.candidate.doc for f in figures if f.kind.name == "deaths"] == ["a", "e"]
    assert find_disagreements(main_figures(figures, {})) == []
