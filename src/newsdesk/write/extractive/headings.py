"""Section subheadings built from each section's own key phrases, speakers and place.

The patterns are fixed and short so they stay grammatical whatever the phrase is:
"Flood barrier in Port Anselm", "Rescue teams and evacuation", "Background: sea walls",
"Reactions from Ilse Varga and Harbour Authority".
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence

from newsdesk.text import STOPWORDS, word_set
from newsdesk.write.extractive.mentions import Mention, find_names, is_outlet, is_speaker

_CHUNK_BREAK = re.compile(r"[,.;:!?\"“”()\[\]—–]|\s-\s")
_WORD = re.compile(r"\d+(?:st|nd|rd|th)-[a-z]+|[A-Za-z][A-Za-z'’-]*")
_DIRECT_SPEECH = re.compile(r"[“\"][^”\"]*[”\"]")
_BORING = STOPWORDS | word_set("""
    according added including people year years week weeks day days time times way
    thing things percent per cent many much several number numbers part lot whether
    however another among around across within without against toward towards upon
    spokesman spokeswoman spokesperson statement told saying say says said news report
    reports reported monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december
    today yesterday tomorrow last next early late first second third
    zero one two three four five six seven eight nine ten eleven twelve twenty thirty forty
    fifty hundred hundreds thousand thousands million millions billion billions dozen dozens
    became become becomes besides made make makes take takes took taken going get gets got
    given give gives come came comes still even well back later earlier already never ever
    now then just really seems seemed including went goes gone keep kept need needs want
    wants used use uses known put puts set sets told tell tells asked ask asks began begin
    heard found left held led saw seen went brought thought felt met paid ran sent spent
    stood won wrote written spoke spoken broke fell fallen drove driven hit let lot lots
    man men woman women thing something anything nothing someone anyone twice once again
    almost nearly about more less most least very also only him them us me near through
    behind beside between beyond inside outside onto via per""")
# Nouns naming the event itself: the best word for the first heading ("Fire in Wasilla").
_EVENT_NOUNS = word_set("""
    fire fires blaze flood floods flooding earthquake quake storm hurricane typhoon tornado
    cyclone wildfire landslide avalanche explosion blast crash collision derailment shooting
    stabbing attack attacks bombing murder killing killings robbery kidnapping hijacking
    arrest arrests raid riot riots protest protests clashes strike strikes election elections
    vote referendum trial verdict sentence deal merger acquisition takeover bid offer
    contract launch recall outbreak epidemic collapse rescue evacuation eruption drought
    heatwave resignation appointment nomination ceasefire invasion coup scandal lawsuit
    settlement bankruptcy layoffs award awards ceremony summit treaty agreement rehab wreck
    shipwreck breach final""")
# What may follow an event noun that stands alone ("collapse in", "strike on", "fire,").
_NOT_A_MODIFIER = (
    r"(?=\s*(?:[,.;:!?]|$)|\s+(?:in|at|on|near|off|of|that|which|was|is|has|had|hit|struck|"
    r"killed|and|after|as|by|for|to|from|with|over|into|kills|leaves|left|forces|forced|grows|"
    r"spreads|rages|continues|destroys|hits|strikes|sweeps|ends|begins|starts|rattles)\b)"
)
# Adjective endings: "political" or "eligible" alone makes a poor heading noun.
_ADJECTIVE_ENDING = ("al", "ic", "ive", "ous", "ible", "able", "ful", "less", "ish")
_NOUNS_LIKE_ADJECTIVES = frozenset(
    [
        "official",
        "officials",
        "capital",
        "hospital",
        "festival",
        "rival",
        "rivals",
        "arrival",
        "proposal",
        "trial",
        "approval",
        "tribunal",
        "withdrawal",
        "republic",
        "clinic",
        "traffic",
        "music",
        "public",
        "critics",
        "deal",
        "total",
        "cable",
        "table",
        "vehicle",
    ]
)
FALLBACK = {
    "lead": "What happened",
    "details": "Further details",
    "background": "Background",
    "reactions": "Reactions",
}


def write_heading(
    role: str,
    texts: Sequence[str],
    story_texts: Sequence[str],
    used: set[str],
    place: tuple[str, str] | None = None,
    speakers: Sequence[str] = (),
    focus: str = "",
) -> str:
    """A heading for one section; ``used`` collects words already used by other headings.

    Only phrases that read well alone are used: the event noun of the headline or
    standfirst (``focus``) for the first section, a two-word phrase the section repeats
    ("power line", "pay offer") for the others; otherwise the plain name of the part."""
    if role == "reactions":
        heading = _reactions_heading(speakers) if speakers else FALLBACK[role]
    elif role == "lead":
        event = _event_noun(texts, focus)
        where = f" {_preposition(place[1])} {place[1]}" if place and event else ""
        heading = f"{_capitalise(event)}{where}" if event else FALLBACK[role]
    else:
        pairs = [p for p in key_phrases(texts, story_texts, used) if _reads_alone(p)]
        if role == "background":
            heading = f"{FALLBACK[role]}: the {pairs[0]}" if pairs else FALLBACK[role]
        else:
            heading = _capitalise(pairs[0]) if pairs else FALLBACK[role]
    used.update(w.lower() for w in _WORD.findall(heading))
    return heading


def _preposition(place: str) -> str:
    return "off the" if place.startswith(("Isle of", "Island of")) else "in"


def _event_noun(texts: Sequence[str], focus: str) -> str:
    """The event noun of the headline (else of the standfirst) that the section uses,
    in lower case and as a noun of its own: "fire" of "Fire and Rescue" or of "the fire
    service" never names the event."""
    headline, _, standfirst = focus.partition("\n")
    for text in (headline, standfirst):
        found = [w for w in _EVENT_NOUNS if _names_event(w, text) and _in_texts(w, texts)]
        if found:
            return min(found, key=lambda w: (text.find(w), w))
    return ""


def _names_event(noun: str, text: str) -> bool:
    return bool(re.search(rf"\b{noun}(?:e?[sd])?\b{_NOT_A_MODIFIER}", text))


def _in_texts(noun: str, texts: Sequence[str]) -> bool:
    return any(re.search(rf"\b{noun}(?:e?[sd])?\b", t, re.IGNORECASE) for t in texts)


def _reads_alone(phrase: str) -> bool:
    """A two-word lower-case phrase: a compound noun more often than not."""
    return len(phrase.split()) == 2 and phrase.islower()


def _reactions_heading(speakers: Sequence[str]) -> str:
    if len(speakers) == 1:
        return f"Reaction from {speakers[0]}"
    return f"Reactions from {speakers[0]} and {speakers[1]}"


def find_speakers(
    texts: Sequence[str], excluded: set[str], story_texts: Sequence[str] = ()
) -> list[str]:
    """Named speakers (next to 'said', 'told' ...) outside the quotation marks; full
    names before single words, a surname expanded to the full name the story uses."""
    speakers: list[str] = []
    for text in texts:
        outside = _DIRECT_SPEECH.sub(" , ", text)
        for mention in find_names(outside):
            fresh = mention.name.casefold() not in excluded and mention.name not in speakers
            if fresh and _is_named_speaker(mention, outside):
                speakers.append(mention.name)
    speakers = [_full_name(name, story_texts) for name in speakers]
    return sorted(dict.fromkeys(speakers), key=lambda n: len(n.split()) == 1)[:2]


def _is_named_speaker(mention: Mention, outside: str) -> bool:
    """A short name next to a verb of saying, not the addressee ('told CNN') or a place."""
    words = mention.name.split()
    short = len(words) <= 4 and (len(words) > 1 or not mention.initial)
    before = outside[: mention.start].rstrip().lower()
    addressee = before.endswith((" told", " from", " in", " at", " to", " of"))
    return short and not addressee and not is_outlet(mention.name) and is_speaker(mention, outside)


def _full_name(name: str, story_texts: Sequence[str]) -> str:
    """'Okafor' -> 'Dana Okafor' when the story names her in full somewhere."""
    if len(name.split()) > 1:
        return name
    pattern = re.compile(rf"\b([A-Z][\w'’-]+ {re.escape(name)})\b")
    for text in story_texts:
        match = pattern.search(text)
        if match and match.group(1).split()[0].lower() not in _BORING:
            return match.group(1)
    return name


def key_phrases(texts: Sequence[str], story_texts: Sequence[str], used: set[str]) -> list[str]:
    """Distinctive one- and two-word phrases of ``texts``, best first, sharing no words."""
    section = _phrase_counts(texts)
    story = _phrase_counts(story_texts)
    surfaces = _surfaces(texts)
    scored = []
    for phrase, count in section.items():
        words = phrase.split()
        if any(w in used for w in words) or (len(words) == 2 and count < 2):
            continue
        if len(words) == 1 and count < 2 and len(texts) > 1:
            continue
        score = count * (1.6 if len(words) == 2 else 1.0) + 0.5 * count / max(story[phrase], 1)
        scored.append((-score, phrase))
    if not scored:  # nothing repeats: the section's words the rest of the story uses least
        scored = [
            (-1.0 / max(story[p], 1), p) for p in section if len(p.split()) == 1 and p not in used
        ]
    chosen: list[str] = []
    for _, phrase in sorted(scored):
        if not set(phrase.split()) & {w for c in chosen for w in c.split()}:
            chosen.append(phrase)
        if len(chosen) == 2:
            break
    return [" ".join(surfaces.get(w, w) for w in phrase.split()) for phrase in chosen]


def _phrase_counts(texts: Sequence[str]) -> Counter[str]:
    """In how many sentences each content word and adjacent content-word pair occurs."""
    counts: Counter[str] = Counter()
    for text in texts:
        phrases: set[str] = set()
        for chunk in _CHUNK_BREAK.split(text):
            run: list[str] = []
            for word in [*_WORD.findall(chunk), ""]:
                lowered = word.lower()
                if _is_content(lowered):
                    run.append(lowered)
                    continue
                phrases.update(run)
                phrases.update(f"{a} {b}" for a, b in itertools.pairwise(run))
                run = []
        counts.update(phrases)
    return counts


def _is_content(word: str) -> bool:
    """Probably a noun: not a function word, adverb, participle or adjective."""
    if len(word) < 3 or word in _BORING or word.endswith(("ly", "'s", "’s")):
        return False
    if word.endswith(_ADJECTIVE_ENDING) and word not in _NOUNS_LIKE_ADJECTIVES:
        return False
    return not (word.endswith("ed") and len(word) > 4)


def _surfaces(texts: Sequence[str]) -> dict[str, str]:
    """How each word is usually written (capitalised only if it is mid-sentence too)."""
    forms: dict[str, Counter[str]] = {}
    for text in texts:
        for position, word in enumerate(_WORD.findall(text)):
            counter = forms.setdefault(word.lower(), Counter())
            if position > 0:  # a sentence's first word is capitalised whatever it is
                counter[word] += 1
    return {w: max(sorted(c, reverse=True), key=lambda f: c[f]) for w, c in forms.items() if c}


def _shares_words(phrase: str, place: str) -> bool:
    return bool({w.lower() for w in phrase.split()} & {w.lower() for w in _WORD.findall(place)})


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]
