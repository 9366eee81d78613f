"""Duration claims: how long something lasts ("a 12-day mission", "spending 12 days in space")."""

from __future__ import annotations

from storydesk.analysis.facts import values
from storydesk.analysis.facts.dates import VOYAGES
from storydesk.analysis.facts.reader import Claim, Reader, token_at
from storydesk.analysis.facts.registry import claim_reader

_SAME = {"deal": "contract", "hunt": "search"}


@claim_reader("duration")
def read_durations(reader: Reader) -> list[Claim]:
    """How long something lasts: "a 12-day mission", "spending 12 days in space"."""
    out = []
    for m in values.DURATION.finditer(reader.article.text):
        tok = token_at(reader, m.start())
        if tok is None:
            continue
        hyphenated = "-" in m.group()
        verb = tok.head.head if tok.head.pos_ == "NOUN" else tok.head
        if not hyphenated and verb.lemma_ not in ("spend", "last", "stay"):
            continue
        sent = reader.sentence(m.start())
        unit = token_at(reader, m.end() - 1)
        noun = unit.head if unit is not None and hyphenated and unit.head.pos_ == "NOUN" else None
        what = _SAME.get(noun.lemma_, noun.lemma_) if noun is not None else "voyage"
        slot = "duration" if what in VOYAGES else f"{what} length"
        out.append(Claim(reader.article, reader.anchor(tok), slot, "duration", values.duration(m), sent))
    return out
