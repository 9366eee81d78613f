"""Age claims: "36-year-old Jane Doe", "the 36-year-old lead actor, Jane Doe", "Jane Doe, 52,", "Doe is 52
years old", and "the 24-year-old student" when one person of the story is "the student"."""

from __future__ import annotations

import re

from spacy.tokens import Token

from storydesk.analysis.facts import values
from storydesk.analysis.facts.reader import Claim, Reader, token_at
from storydesk.analysis.facts.registry import claim_reader


@claim_reader("age")
def read_ages(reader: Reader) -> list[Claim]:
    """ "36-year-old Jane Doe", "the 36-year-old lead actor, Jane Doe", "Jane Doe, a 36-year-old"."""
    out = []
    for m in values.AGE.finditer(reader.article.text):
        sent = reader.sentence(m.start())
        text = reader.article.text
        before = [e for _, end, e in reader.mentions if e.type == "person" and sent.start <= end <= m.start()
                  and re.fullmatch(r",\s*(?:a|an|the)?\s*", text[end : m.start()])]
        after = [e for s, _, e in reader.mentions
                 if m.end() <= s <= m.end() + reader.config.age_name_chars and s < sent.end
                 and e.type == "person"]
        person = (before or after or [None])[0]
        relative = _RELATIVE.search(text, max(0, m.start() - 8), m.start())  # "his 4-year-old brother"
        name = person.name if person else None if relative else _titled_after(reader, m.end())
        if name:
            value = values.age(m.group("n"))
            out.append(Claim(reader.article, name, "age", "age", value, sent, at=m.start()))
    for _, end, person in reader.mentions:
        if person.type != "person":
            continue
        after = reader.article.text[end : end + reader.config.age_name_chars]
        m = values.AGE_AFTER_NAME.match(after[: reader.config.age_suffix_chars]) or values.AGE_IS.match(after)
        if m:
            value, sent = values.age(m.group("n")), reader.sentence(end)
            out.append(Claim(reader.article, person.name, "age", "age", value, sent, at=end))
    for tok in reader.doc:
        person = _apposed_person(reader, tok)
        if person is not None:
            out.append(Claim(reader.article, person, "age", "age", tok.text, reader.sentence(tok.idx),
                             at=tok.idx))
    for m in _TITLE_AGE.finditer(reader.article.text):
        name = reader.titled.get(m.group("title").lower())
        if name:
            out.append(Claim(reader.article, name, "age", "age", m.group("n"), reader.sentence(m.start()),
                             at=m.start("n")))
    return out


# A possessive before an age makes its noun relative to someone: "his 4-year-old brother" is not the one
# person of the story called "the brother".
_RELATIVE = re.compile(r"\b(?:his|her|their|its)\s+$", re.IGNORECASE)

# "The mayor, 58," : the one person of the story with that title.
_TITLE_AGE = re.compile(r"\b[Tt]he (?P<title>[a-z]+), (?P<n>[1-9]\d),")


def _apposed_person(reader: Reader, tok: Token) -> str | None:
    """ "Smith, a former Saints star, 34, was ...": a number set off by commas after a person's appositive
    (right after the name is `AGE_AFTER_NAME`'s)."""
    doc = tok.doc
    if not (tok.is_digit and len(tok.text) <= 2 and tok.dep_ == "appos" and 0 < tok.i < len(doc) - 1):
        return None
    if doc[tok.i - 1].text != "," or doc[tok.i + 1].text not in (",", ")"):
        return None
    head = tok.head
    if reader.entity(doc[tok.i - 2]) is not None:
        return None  # "Smith, 34," right after the name: `AGE_AFTER_NAME` reads it
    if head.dep_ == "appos" and reader.entity(head) is None:
        head = head.head
    entity = reader.entity(head)  # the parse may hang the age on the name itself, past the appositive
    return entity.name if entity is not None and entity.type == "person" and head.i < tok.i else None


def _titled_after(reader: Reader, end: int) -> str | None:
    """ "the 58-year-old mayor", "the 29-year-old police officer": the one person of the story holding the
    title written next, or the noun the age describes (the head of "old" in the parse)."""
    word = re.match(r"\s*([a-z]+)", reader.article.text[end : end + reader.config.age_name_chars])
    if word and word.group(1) in reader.titled:
        return reader.titled[word.group(1)]
    old = token_at(reader, end - 1)
    head = old.head if old is not None else None
    if head is not None and head.i > old.i and head.pos_ == "NOUN":
        return reader.titled.get(head.lemma_.lower())
    return None
