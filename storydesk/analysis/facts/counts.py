"""Count claims: how many people something affected or employs ("injuring 14 people"), and rates
("18,000 vehicles a day")."""

from __future__ import annotations

import re

from spacy.tokens import Token

from storydesk.analysis.facts import values
from storydesk.analysis.facts.reader import Claim, Reader
from storydesk.analysis.facts.registry import claim_reader
from storydesk.text import NUMBER_WORDS

# Verbs that say what a count of people counts: "injuring 14 people" is a count of the injured.
_COUNTED = {
    "injure": "injured", "hurt": "injured", "wound": "injured", "kill": "dead", "die": "dead",
    "employ": "employees", "evacuate": "evacuated", "rescue": "rescued", "arrest": "arrested",
    "displace": "displaced", "hospitalize": "hospitalised", "hospitalise": "hospitalised",
}  # fmt: skip
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
            out.append(Claim(reader.article, None, slot, "count", values.number(_number_text(tok)), sent))
    return out


def _number_text(tok: Token) -> str:
    """ "Forty-one" is three tokens; the number is all of them."""
    doc = tok.doc
    if tok.i >= 2 and doc[tok.i - 1].text == "-" and doc[tok.i - 2].lower_ in NUMBER_WORDS:
        return doc[tok.i - 2 : tok.i + 1].text
    return tok.text


def _count_slot(reader: Reader, noun: Token) -> str | None:
    """What a counted noun counts: the verb's label for people ("injured"), else the noun itself."""
    lemma = noun.lemma_.lower()
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
