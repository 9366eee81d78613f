"""Date claims: when an event of the story happens ("will launch on October 5", "reopens next month"), and
explicit statements that its date is not confirmed."""

from __future__ import annotations

import re

from spacy.tokens import Token

from storydesk.analysis.facts import values
from storydesk.analysis.facts.reader import Claim, Reader, child
from storydesk.analysis.facts.registry import claim_reader
from storydesk.analysis.temporal.expressions import DateMention, resolve_date
from storydesk.model import Article, Span

# Event words by slot: "launch", "lift off", "blast off" are one launch.
EVENTS = {
    "launch": {"launch", "liftoff", "blast", "takeoff", "lift-off", "blastoff"},
    "release": {"release", "premiere"},
    "reopening": {"reopen", "reopening"},
    "election": {"election"},
}
_PERFORMED = {"launch", "release"}  # events with a performer or a work of their own
_OFF_VERBS = {"lift": "launch", "take": "launch", "blast": "launch"}
VOYAGES = {"voyage", "mission", "expedition", "flight", "trip", "journey"}
_UNCONFIRMED = re.compile(
    r"yet to be (?:confirmed|announced|set)|not (?:yet )?(?:been )?confirmed|\bTBC\b|to be confirmed"
    r"|postponed|remains? unclear when|(?:is|it's) unclear when|no date (?:has been )?set",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(r";\s+|\s+[—–]\s+|\s+-\s+")
_SAID_ON = re.compile(r"\b(?:said|says|told|announced|reported)\s+(?:on\s+)?$", re.IGNORECASE)


def _triggers(tokens: list[Token]) -> list[tuple[Token, str]]:
    found = []
    for t in tokens:
        lemma = t.lemma_.lower()
        slot = next((s for s, words_ in EVENTS.items() if lemma in words_), None)
        if slot is None and lemma in _OFF_VERBS and any(c.lower_ == "off" for c in t.children):
            slot = _OFF_VERBS[lemma]
        if slot is None and lemma in ("start", "begin") and _about_voyage(t):
            slot = "launch"
        if slot:
            found.append((t, slot))
    return found


def _about_voyage(tok: Token) -> bool:
    """ "the start of the expedition", "a mission scheduled to begin": start of a voyage, not of training."""
    near = [tok.head, tok.head.head, *tok.children, *(g for c in tok.children for g in c.children)]
    return any(t.lemma_.lower() in VOYAGES for t in near)


@claim_reader("date")
def read_dates(reader: Reader) -> list[Claim]:
    """When an event happened or is due (the date written nearest its event word), and explicit "not yet
    confirmed" statements of its date in the event's own clause. Negated events ("will not reopen in
    June") state no date; an expression that needs the report's unknown date gives an empty value."""
    out: list[Claim] = []
    article, text = reader.article, reader.article.text
    mentions, config = reader.dates, reader.config
    for sent in reader.sents:
        triggers = _triggers(reader.tokens(sent))
        if not triggers:
            continue
        tok, slot = triggers[0]
        if any(c.dep_ == "neg" for c in tok.children) or (slot in _PERFORMED and _other_object(reader, tok)):
            continue
        clause = _clause_span(sent, tok.idx)
        near = [(abs(m.span.start - tok.idx), m.span.start, m, _nearest_year(m, article)) for m in mentions
                if sent.start <= m.span.start < sent.end
                and _near(m.span, tok.idx, clause, config.event_date_chars)
                and not _SAID_ON.search(text[max(sent.start, m.span.start - config.said_on_chars)
                                             : m.span.start])]
        near.sort(key=lambda n: (not n[3], n[0], n[1]))  # placed dates first, then the nearest
        mention = near[0][2] if near else None
        if near:
            value = near[0][3]
        elif _UNCONFIRMED.search(text, clause[0], clause[1]):
            value = values.UNCONFIRMED
        else:
            continue
        subject = None  # a reopening or an election is the story's own event, whoever speaks of it
        if slot in _PERFORMED:
            unconfirmed = value == values.UNCONFIRMED
            subject = reader.anchor(tok) or _previous_subject(reader, sent, people=unconfirmed)
        if slot == "release" and subject is None:
            continue  # "released from hospital": only a work is released
        out.append(Claim(article, subject, f"{slot} date", "date", value, sent, mention))
    return out


def _clause_span(sent: Span, offset: int) -> tuple[int, int]:
    """Where the clause of `sent` around `offset` starts and ends: the headline "X will launch next month —
    the date of Y is still to be confirmed" leaves X's date stated, not unconfirmed."""
    begin, end = 0, len(sent.text)
    for m in _CLAUSE_BREAK.finditer(sent.text):
        if m.end() <= offset - sent.start:
            begin = m.end()
        elif m.start() >= offset - sent.start:
            end = m.start()
            break
    return sent.start + begin, sent.start + end


def _near(date: Span, offset: int, clause: tuple[int, int], chars: int) -> bool:
    """A date within `chars` of the event word, or twice as far within the event's own clause."""
    distance = abs(date.start - offset)
    return distance <= chars or (distance <= 2 * chars and clause[0] <= date.start < clause[1])


def _nearest_year(mention: DateMention, article: Article) -> str:
    """The date label of `mention` in `article` ("" when it cannot be placed); "June 12" in a February
    report is the June 12 nearest the report, whatever the verb's tense says."""
    published, precision = article.published, article.published_precision
    resolved = mention.resolve(published, precision)
    expression = mention.span.text
    if published is None or resolved.start is None or re.search(r"\b\d{4}\b", expression):
        return resolved.label
    options = [resolved, *(resolve_date(expression, published, t, precision) for t in ("past", "future"))]
    best = min((r for r in options if r.start), key=lambda r: abs((r.start - published).days))
    return best.label


def _other_object(reader: Reader, tok: Token) -> bool:
    """ "launched his campaign": the event verb is about something other than the story's subject."""
    obj = child(tok, "dobj") if tok.pos_ == "VERB" else None
    return obj is not None and reader.entity(obj) is None


def _previous_subject(reader: Reader, sent: Span, *, people: bool) -> str | None:
    """A sentence without a named subject continues the previous one in its paragraph: its work, or with
    `people` its person too ("Cruise's film ... The date has yet to be confirmed")."""
    i = reader.sents.index(sent)
    if i == 0 or "\n" in reader.article.text[reader.sents[i - 1].end : sent.start]:
        return None
    for tok in reader.tokens(reader.sents[i - 1]):
        if tok.dep_ in ("nsubj", "nsubjpass"):
            entity = reader.entity(tok)
            if entity and (entity.type == "work" or (people and entity.type == "person")):
                return reader.works.get(entity.name, entity.name)
    return None
