"""Age claims: "36-year-old Jane Doe", "the 36-year-old lead actor, Jane Doe", "Jane Doe, 52,"."""

from __future__ import annotations

import re

from storydesk.analysis.facts import values
from storydesk.analysis.facts.reader import Claim, Reader
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
        if person:
            out.append(Claim(reader.article, person.name, "age", "age", m.group("n"), sent))
    for _, end, person in reader.mentions:
        m = values.AGE_AFTER_NAME.match(reader.article.text[end : end + reader.config.age_suffix_chars])
        if person.type == "person" and m:
            sent = reader.sentence(end)
            out.append(Claim(reader.article, person.name, "age", "age", m.group("n"), sent))
    return out
