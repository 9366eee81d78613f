"""Money claims: sums with currency and scale, when the words around them say what they pay for."""

from __future__ import annotations

import re

from storydesk.analysis.facts import values
from storydesk.analysis.facts.reader import Claim, Reader, sentence_entity, token_at
from storydesk.analysis.facts.registry import claim_reader
from storydesk.model import Span

# Money is a fact only when the words around it say what it pays for.
_MONEY_SLOTS = [
    (re.compile(r"\bbudget|\b(?:film|movie|epic|blockbuster|production)\b", re.I), "budget"),
    (re.compile(r"\b(?:cost|costs|repairs?)\b", re.I), "cost"),
    (re.compile(r"\bcompensation\b", re.I), "compensation"),
    (re.compile(r"\b(?:salary|wages?|a year|per year|annually)\b", re.I), "salary"),
    (re.compile(r"\bgrants?\b", re.I), "grant"),
    (re.compile(r"\bbonds?\b", re.I), "bond"),
    (re.compile(r"\b(?:raised|fund|fundraiser|donations?)\b", re.I), "funds raised"),
    (re.compile(r"\b(?:damage|losses)\b", re.I), "damage"),
]
# "risen to $4.1 million, up from the $3.2 million": the report itself calls the second value the old one.
_FORMER = re.compile(
    r"\b(?:(?:up|down|rising|falling|risen|fallen)\s+from|originally|previously)(?:\s+the)?\s*$",
    re.IGNORECASE,
)


@claim_reader("money")
def read_money(reader: Reader) -> list[Claim]:
    """Sums of money, with currency and scale: a budget when the sentence says so."""
    out = []
    for m in values.MONEY.finditer(reader.article.text):
        tok = token_at(reader, m.start())
        if tok is None:
            continue
        sent = reader.sentence(m.start())
        slot = _money_slot(reader, sent, m.start(), m.end())
        lead = max(sent.start, m.start() - reader.config.former_value_chars)
        before = reader.article.text[lead : m.start()]
        if slot and not _FORMER.search(before):
            subject = reader.anchor(tok) or sentence_entity(reader, sent)
            out.append(Claim(reader.article, subject, slot, "money", values.money(m), sent))
    return out


def _money_slot(reader: Reader, sent: Span, start: int, end: int) -> str | None:
    """What a sum pays for: the slot word written nearest the sum, within a few words of it."""
    config, text = reader.config, reader.article.text
    lo, hi = max(sent.start, start - config.money_chars_before), min(sent.end, end + config.money_chars_after)
    found = [(min(abs(k.start() + lo - end), abs(k.end() + lo - start)), name)
             for pattern, name in _MONEY_SLOTS for k in pattern.finditer(text[lo:hi])]
    return min(found)[1] if found else None
