"""Count claims: how many people something affected or employs ("injuring 14 people", "including three
firefighters"), groups ("its four crew"), populations ("home to about 2,300 people"), poll shares ("found
Vance at 44 percent") and rates ("18,000 vehicles a day"). A bound ("more than 90", "nearly 100") is kept
as written: two bounds that can both hold do not disagree."""

from __future__ import annotations

import re

from spacy.tokens import Token

from storydesk.analysis.facts import values
from storydesk.analysis.facts.reader import Claim, Reader, child
from storydesk.analysis.facts.registry import claim_reader
from storydesk.text import NUMBER_WORDS

# Verbs that say what a count of people counts: "injuring 14 people" is a count of the injured.
_COUNTED = {
    "injure": "injured", "hurt": "injured", "wound": "injured", "kill": "dead", "die": "dead",
    "employ": "employees", "evacuate": "evacuated", "rescue": "rescued", "arrest": "arrested",
    "displace": "displaced", "hospitalize": "hospitalised", "hospitalise": "hospitalised",
}  # fmt: skip
# Groups of people counted by their own name: "its four crew", "nearly 100 firefighters".
_GROUPS = {"crew", "passenger", "firefighter", "candidate", "victim", "survivor", "hostage", "soldier",
           "troop", "miner", "climber", "hiker", "student", "child"}
_POLLS = {"poll", "survey"}
# Words before a number that make it a bound, by the word written for it.
_BOUNDS = {"more than": "more than", "over": "more than", "at least": "at least", "nearly": "nearly",
           "almost": "nearly", "up to": "up to", "fewer than": "fewer than", "less than": "fewer than",
           "under": "fewer than"}
_TIME_UNITS = {"day", "week", "month", "year", "hour", "minute", "second", "time", "percent", "%", "point"}
_RATE = re.compile(r"^\s+(?:a|an|per|each)\s+(day|week|month|year)\b", re.IGNORECASE)


@claim_reader("count")
def read_counts(reader: Reader) -> list[Claim]:
    """How many people something affected or employs, and rates ("18,000 vehicles a day")."""
    out = []
    for tok in reader.doc:
        noun = tok.head
        if tok.dep_ != "nummod" or not tok.like_num or tok.ent_type_ in ("MONEY", "DATE", "TIME", "PERCENT"):
            continue
        if noun.lemma_.lower() in _TIME_UNITS or noun.pos_ not in ("NOUN", "ADJ", "PROPN", "VERB"):
            continue
        slot = _count_slot(reader, noun)
        if slot:
            sent = reader.sentence(tok.idx)
            value = _bound(tok) + values.number(_number_text(tok))
            out.append(Claim(reader.article, None, slot, "count", value, sent, at=tok.idx))
    return out + _left_in_a_state(reader) + _populations(reader) + _poll_shares(reader)


# States a number of people is left in: "an attack that left three dead and a dozen wounded".
_LEFT = {"dead": "dead", "injured": "injured", "wounded": "injured", "hurt": "injured", "missing": "missing"}


def _left_in_a_state(reader: Reader) -> list[Claim]:
    """ "left three dead", "leaving more than a dozen wounded", "3 dead in ...": a number written straight
    before the state of the people it counts (no noun between, so not `read_counts`' "14 injured people")."""
    out = []
    doc = reader.doc
    for tok in doc[:-1]:
        state = _LEFT.get(doc[tok.i + 1].lower_)
        if state is None or tok.dep_ == "nummod" or tok.ent_type_ in ("MONEY", "DATE", "TIME", "PERCENT"):
            continue
        if not (tok.like_num or tok.lower_ in NUMBER_WORDS) or doc[tok.i + 1].dep_ == "amod":
            continue  # "14 injured people": the noun's count
        start = tok.i - 1 if tok.lower_ == "dozen" and tok.i and doc[tok.i - 1].lower_ == "a" else tok.i
        value = _bound(doc[start]) + values.number(_number_text(tok))
        out.append(Claim(reader.article, None, state, "count", value, reader.sentence(tok.idx), at=tok.idx))
    return out


def _bound(tok: Token) -> str:
    """ "more than 90": the bound written before a number, with a space, or ""."""
    doc = tok.doc
    before = " ".join(t.lower_ for t in doc[max(0, tok.i - 2) : tok.i])
    for words, bound in _BOUNDS.items():
        if before == words or before.endswith(" " + words):
            return bound + " "
    return ""


def _populations(reader: Reader) -> list[Claim]:
    """ "Skerrin Island, home to about 2,300 people", "a population of about 140,000"."""
    out = []
    for tok in reader.doc:
        if not tok.like_num or tok.ent_type_ in ("MONEY", "DATE", "TIME", "PERCENT"):
            continue
        place = None
        if tok.dep_ == "nummod" and tok.head.lemma_.lower() in ("people", "resident", "inhabitant"):
            to = tok.head.head
            if to.lower_ == "to" and to.head.lower_ == "home" and to.head.dep_ == "appos":
                place = reader.entity(to.head.head)
        elif tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lemma_.lower() == "population":
            verb = tok.head.head.head
            subj = child(verb, "nsubj") if verb.pos_ in ("VERB", "AUX") else None
            place = reader.entity(subj) if subj is not None else None
        if place is not None and place.type in ("place", "organisation"):
            out.append(Claim(reader.article, place.name, "population", "count", values.number(tok.text),
                             reader.sentence(tok.idx), at=tok.idx))
    return out


def _poll_shares(reader: Reader) -> list[Claim]:
    """ "a poll ... found Vance at 44 percent and Dunmore at 41 percent": each person's share."""
    out = []
    for tok in reader.doc:
        if tok.dep_ != "nummod" or tok.head.lower_ not in ("percent", "%") or tok.head.head.lower_ != "at":
            continue
        sent = reader.sentence(tok.idx)
        if not any(t.lemma_.lower() in _POLLS for t in reader.tokens(sent)):
            continue
        at = tok.head.head
        person = reader.entity(tok.doc[at.i - 1]) if at.i else None
        if person is not None and person.type == "person":
            out.append(Claim(reader.article, person.name, "poll share", "count", f"{tok.text} percent", sent,
                             at=tok.idx))
    return out


def _indefinite(tok: Token) -> bool:
    """ "a trawler", or a verb whose object is one."""
    obj = child(tok, "dobj") if tok.pos_ == "VERB" else tok
    return obj is not None and any(c.lower_ in ("a", "an", "another") for c in obj.children)


def _number_text(tok: Token) -> str:
    """ "Forty-one" is three tokens; the number is all of them."""
    doc = tok.doc
    if tok.i >= 2 and doc[tok.i - 1].text == "-" and doc[tok.i - 2].lower_ in NUMBER_WORDS:
        return doc[tok.i - 2 : tok.i + 1].text
    return tok.text


def _count_slot(reader: Reader, noun: Token) -> str | None:
    """What a counted noun counts: the verb's label for people ("injured"), a group among them
    ("injured firefighters"), a group of people ("crew"), else a rate."""
    lemma = noun.lemma_.lower()
    if lemma in _GROUPS:
        if noun.head.lower_ == "with" and _indefinite(noun.head.head):
            return None  # "lost a trawler with three crew in 2009": another boat's crew
        among = noun.head if noun.head.lower_ in ("including", "among") else None
        counted = among.head if among is not None else None
        verb = counted.head if counted is not None and counted.dep_ in ("dobj", "nsubjpass") else None
        label = _COUNTED.get(verb.lemma_.lower()) if verb is not None else None
        group = noun.lower_ if noun.lower_.endswith("s") or lemma == "crew" else lemma + "s"
        return f"{label} {group}" if label else group
    if lemma in _COUNTED or noun.lower_ in _COUNTED.values():
        return _COUNTED.get(lemma, noun.lower_)
    verb = noun.head if noun.dep_ in ("dobj", "nsubjpass", "nsubj") else None
    if verb is not None and verb.lemma_.lower() in _COUNTED:
        return _COUNTED[verb.lemma_.lower()]
    described = next((c for c in noun.children if c.dep_ in ("amod", "acl") and c.lemma_.lower() in _COUNTED),
                     None)
    if described is not None:
        return _COUNTED[described.lemma_.lower()]
    rate = _RATE.match(reader.article.text[noun.idx + len(noun.text) :])
    if rate:
        return f"{noun.lower_} per {rate.group(1).lower()}"
    return None
