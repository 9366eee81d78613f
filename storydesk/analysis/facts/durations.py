"""Duration claims: how long something lasts ("a 12-day mission", "spending 12 days in space")."""

from __future__ import annotations

from spacy.tokens import Token

from storydesk.analysis.facts import values
from storydesk.analysis.facts.events import VOYAGES
from storydesk.analysis.facts.reader import Claim, Reader, child, token_at
from storydesk.analysis.facts.registry import claim_reader

_SAME = {"deal": "contract", "hunt": "search"}


@claim_reader("duration")
def read_durations(reader: Reader) -> list[Claim]:
    """How long something lasts: "a 12-day mission", "spending 12 days in space"."""
    out = []
    text = reader.article.text
    for m in values.SPAN.finditer(text):
        tok = token_at(reader, m.start())
        if tok is None:
            continue
        relative = values.DURATION.match(text, m.start()) is None  # "four hours after ..."
        hyphenated = "-" in m.group()
        verb = tok.head.head if tok.head.pos_ == "NOUN" else tok.head
        sent = reader.sentence(m.start())
        unit = token_at(reader, m.end() - 1)
        doing = _done_for(unit) if not hyphenated else None
        if relative and doing is None:
            continue  # unless "for" says how long: "tread water for four hours after getting swept away"
        if doing is not None:
            subject = _doer(reader, doing) or reader.anchor(tok)
            out.append(Claim(reader.article, subject, f"{doing.lemma_.lower()} for", "duration",
                             values.duration(m), sent, at=m.start()))
            continue
        if not hyphenated and verb.lemma_ not in ("spend", "last", "stay"):
            continue
        noun = unit.head if unit is not None and hyphenated and unit.head.pos_ == "NOUN" else None
        what = _SAME.get(noun.lemma_, noun.lemma_) if noun is not None else "voyage"
        slot = "duration" if what in VOYAGES else f"{what} length"
        out.append(Claim(reader.article, reader.anchor(tok), slot, "duration", values.duration(m), sent,
                         at=m.start()))
    return out


def _done_for(unit: Token | None) -> Token | None:
    """The verb of "has piloted the crossing for 17 years", "will pay them for at least 30 days"."""
    if unit is None or unit.head.lower_ != "for" or unit.head.dep_ != "prep":
        return None
    verb = unit.head.head
    if verb.pos_ != "VERB" or verb.lemma_.lower() in ("spend", "last", "stay", "wait", "search", "look"):
        return None
    return verb


def _doer(reader: Reader, verb: Token) -> str | None:
    """Who does it: the verb's named subject, the person a "who" clause is about, or for "it"/"they" the
    subject of the statement it is reported in ("Pellham Logistics said it would continue to pay")."""
    node: Token | None = verb
    for _ in range(reader.config.date_climb):
        if node is None:
            return None
        subj = child(node, "nsubj")
        if subj is not None and subj.lower_ in ("who", "that") and node.dep_ == "relcl":
            subj = node.head
        if subj is not None:
            entity = reader.entity(subj) or next(
                (e for c in subj.children if c.dep_ == "appos" and (e := reader.entity(c))), None)
            if entity is not None and entity.type in ("person", "organisation"):
                return entity.name
            if subj.lower_ not in ("it", "they", "he", "she"):
                return None
        climbs = node.dep_ in ("xcomp", "ccomp", "conj", "advcl") and node.head.i != node.i
        node = node.head if climbs else None
    return None
