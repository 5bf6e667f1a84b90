"""Web furniture never becomes a sentence, and headlines are complete, not fragments."""

from __future__ import annotations

import pytest

from newsdesk.boilerplate import is_boilerplate
from newsdesk.write.extractive.candidates import is_prose
from newsdesk.write.extractive.headline import clean_title, is_complete_headline, write_headline


@pytest.mark.parametrize(
    "sentence",
    [
        "Hide Caption 11 of 23 Rescue workers search the rubble in Tarsen on Friday.",
        "Rescue workers search the rubble in Tarsen on Friday (Photo: Getty Images).",
        "6/37 Firefighters spray water on the burning warehouse near the docks.",
        "CLOSE On Friday the river broke its banks in three places after the storm.",
        "Summary: The harbour will stay closed until the wreck has been removed.",
        "You can read the full report from the inspectors at the link below.",
        "If you value our reporting, please consider a donation to keep us going.",
        "We have covered the harbour dispute since it began three years ago.",
        "This embedded tweet could not be loaded because it has been removed.",
        "Sign up for our morning briefing to get the news in your inbox.",
        "Ｓｕｍｍａｒｙ: the harbour will stay closed until the wreck has gone.",
        "Ferry sinks off Corvel Story Created: Aug 7, 2031 at 9: 56 AM The ferry sank at dawn.",
        "CORVEL, where I host a weekly programme, covered the sinking all night.",
        "Here is the story from my colleague at the Corvel Herald about the sinking.",
    ],
)
def test_furniture_is_not_news(sentence: str) -> None:
    assert is_boilerplate(sentence)
    assert not is_prose(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "The US and Canada signed the harbour treaty in Corvel on Tuesday.",
        "“We will rebuild the bridge,” the governor told reporters at the site.",
        "The company said donations to the relief fund had passed two million.",
        "Embedded reporters travelled with the rescue teams into the valley.",
        "The treaty dates from the reign of Queen Elizabeth I and still holds.",
        "The fire started at 3:30 a.m. on Tuesday, officials said.",
    ],
)
def test_news_is_not_furniture(sentence: str) -> None:
    assert not is_boilerplate(sentence)


@pytest.mark.parametrize(
    ("title", "complete"),
    [
        ("Earthquake hits Tarsen, killing 20", True),
        ("Police arrest three men after harbour raid", True),
        ("Ferry passengers rescued off the coast", True),
        ("Hugh Farrow to host the harbour festival", True),
        ("On November 12, a jury", False),
        ("Seven indictments, nine charges", False),
        ("Magnitude 6.1 quake near Tarsen", False),
        ("Former harbour master arrested after the...", False),
        ("THREE DEAD AFTER BRIDGE COLLAPSE", False),
        ("A diver who watched his partner sink to the seabed", False),  # a relative clause
        ("Armed robbers - some disguised", False),
        ("Harbour Club driver's alcohol level: .41", False),
        ("Protesters clash with police in Corvel", True),
    ],
)
def test_a_headline_has_a_verb_and_is_not_cut(title: str, complete: bool) -> None:
    assert is_complete_headline(title) is complete


def test_titles_lose_datelines_and_widget_words() -> None:
    assert clean_title("(CNN) Ferry sinks off Corvel") == "Ferry sinks off Corvel"
    assert clean_title("CORVEL, Valdoria - Ferry sinks off coast") == "Ferry sinks off coast"
    assert clean_title("VIDEO: Ferry sinks off the coast") == "Ferry sinks off the coast"
    assert clean_title("Breaking News - Ferry sinks off the coast.") == "Ferry sinks off the coast"


def test_a_fragment_title_gives_way_to_a_complete_one_or_the_lead() -> None:
    titles = ["Seven indictments, nine charges", "Grand jury indicts seven harbour officials"]
    assert write_headline(titles, "Seven officials were indicted.") == titles[1]
    lead = "A grand jury in Corvel indicted seven harbour officials on Tuesday."
    assert write_headline(titles[:1], lead).startswith("A grand jury in Corvel indicted")


def test_a_page_timestamp_glued_to_the_first_sentence_is_cut() -> None:
    from newsdesk.write.extractive.candidates import strip_dateline

    glued = "First Published: June 13, 2031 4: 59 PM EDT Harbour master Velder left court."
    assert strip_dateline(glued)[0] == "Harbour master Velder left court."
    weekday = "THURSDAY, APRIL 11, 2031, 12: 12 AM Two ferry officials were charged."
    assert strip_dateline(weekday)[0] == "Two ferry officials were charged."
    separated = "Jan 5, 2031 – 4: 35 PM Harbour master Velder was put on leave."
    assert strip_dateline(separated)[0] == "Harbour master Velder was put on leave."
    subject = "May 5, 2031 was the wettest day the harbour had seen."
    assert strip_dateline(subject)[0] == subject


@pytest.mark.parametrize(
    "sentence",
    [
        "Witnesses said the man ran towards the officers and pointed a.",
        "The quake struck at around 4:30 a.m. local time (11.",
    ],
)
def test_a_sentence_cut_by_a_bad_split_is_not_prose(sentence: str) -> None:
    assert not is_prose(sentence)


def test_a_contracted_pronoun_leans_on_the_sentence_before() -> None:
    from newsdesk.write.extractive.candidates import is_dependent

    assert is_dependent("They're now third in the league after the harbour derby.")
    assert is_dependent("It's the first ferry lost off Corvel since 1998.")
    assert not is_dependent("O'Brien was named harbour master on Monday.")


def test_an_aside_is_deleted_before_the_lead_is_cut_to_a_headline() -> None:
    lead = (
        "Armed robbers - some dressed as dock workers - seized three crates of gold from a "
        "bonded warehouse on the Corvel quay in the biggest theft in the port's history, "
        "police said on Friday."
    )
    headline = write_headline([], lead)
    assert headline == "Armed robbers seized three crates of gold from a bonded warehouse"
    assert is_complete_headline(headline)
