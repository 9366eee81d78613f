"""Date claims: when an event of the story happens ("will launch on October 5", "reopens next month"), and
explicit statements that its date is not confirmed."""

from __future__ import annotations

import re

from spacy.tokens import Token

from storydesk.analysis.facts import values
from storydesk.analysis.facts.events import STORY_EVENTS, frame, subject_of, triggers
from storydesk.analysis.facts.reader import Claim, Reader, child
from storydesk.analysis.facts.registry import claim_reader
from storydesk.analysis.temporal.expressions import DateMention, resolve_date
from storydesk.model import Article, Span
from storydesk.text import MONTH

_PERFORMED = {"launch", "release"}  # events with a performer or a work of their own
# Prepositions that set a noun event beside the clause's time, not at it.
_BESIDE = {"after", "before", "since", "until", "following", "ahead", "amid", "despite"}
# Event kinds whose date is not the event's: a state ("found", "sank" are dated) is; a discovery's date is
# usually the report's own.
_UNDATED = {"discovery", "approval"}
_UNCONFIRMED = re.compile(
    r"yet to be (?:confirmed|announced|set)|not (?:yet )?(?:been )?confirmed|\bTBC\b|to be confirmed"
    r"|postponed|remains? unclear when|(?:is|it's) unclear when|no date (?:has been )?set",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(r";\s+|\s+[—–]\s+|\s+-\s+")
_SAID_ON = re.compile(r"\b(?:said|says|told|announced|reported)\s+(?:on\s+)?$", re.IGNORECASE)


@claim_reader("date")
def read_dates(reader: Reader) -> list[Claim]:
    """When an event happened or is due (the date written nearest its event word, each date given to the
    event word nearest it), and explicit "not yet confirmed" statements of its date in the event's own
    clause. Negated events ("will not reopen in June") state no date; an expression that needs the
    report's unknown date gives an empty value."""
    out: list[Claim] = []
    article, text = reader.article, reader.article.text
    mentions, config = reader.dates, reader.config
    for sent in reader.sents:
        found = [(t, k) for t, k in triggers(reader, reader.tokens(sent)) if k not in _UNDATED]
        kinds: dict[str, Token] = {}
        for tok, kind in found:
            kinds.setdefault(kind, tok)
        owner = {m.span.start: min(kinds.values(), key=lambda t: abs(t.idx - m.span.start)).i
                 for m in mentions if sent.start <= m.span.start < sent.end} if kinds else {}
        for kind, tok in kinds.items():
            negated = any(c.dep_ == "neg" for c in tok.children)
            if negated or (kind in _PERFORMED and _other_object(reader, tok)):
                continue
            clause = _clause_span(sent, tok.idx)
            near = [(abs(m.span.start - tok.idx), m.span.start, m,
                     _nearest_year(m, article, _owned(reader, m)))
                    for m in mentions if sent.start <= m.span.start < sent.end
                    and owner.get(m.span.start) == tok.i and _dates_event(reader, m, tok)
                    and _near(m.span, tok.idx, clause, config.event_date_chars)
                    and not _SAID_ON.search(text[max(sent.start, m.span.start - config.said_on_chars)
                                                 : m.span.start])]
            near.sort(key=lambda n: (not n[3], n[0], n[1]))  # placed dates first, then the nearest
            mention = near[0][2] if near else None
            if near:
                value = near[0][3]
            elif _UNCONFIRMED.search(text, clause[0], clause[1]) and kind in _PERFORMED | STORY_EVENTS and (
                    tok.pos_ in ("VERB", "AUX") or tok.dep_ in ("nsubj", "nsubjpass", "compound")):
                value = values.UNCONFIRMED
            else:
                continue
            if kind in _PERFORMED:
                unconfirmed = value == values.UNCONFIRMED
                subject = subject_of(reader, frame(tok, kind)) or _previous_subject(reader, sent,
                                                                                    people=unconfirmed)
            else:
                subject = subject_of(reader, frame(tok, kind))
            if kind == "release" and subject is None:
                continue  # "released from hospital": only a work is released
            out.append(Claim(article, subject, f"{kind} date", "date", value, sent, mention,
                             at=mention.span.start if mention else tok.idx))
    return out


def _dates_event(reader: Reader, mention: DateMention, trigger: Token) -> bool:
    """Whether the parse makes the date the event's: it depends on the event word, or on the verb a
    noun event depends on, and does not describe a thing ("the 1958 bridge"). Where the sentence was not
    parsed, nearness alone decides."""
    span = reader.doc.char_span(mention.span.start, mention.span.end, alignment_mode="expand")
    if span is None or not len(span) or not span.root.dep_:
        return True
    tok = span.root  # "next month": month
    if tok.dep_ in ("compound", "nummod", "amod", "nmod", "poss") and tok.head.pos_ in ("NOUN", "PROPN") \
            and tok.head.i != trigger.i:
        return False
    allowed = {trigger.i, *(c.i for c in trigger.children if c.dep_ in ("xcomp", "oprd", "acomp"))}
    if trigger.pos_ not in ("VERB", "AUX") and trigger.head.lower_ not in _BESIDE:
        # "the debate on Tuesday", "met on Tuesday for the debate"; but "will meet on Friday, after the
        # debate": Friday is the meeting's
        allowed.update(t.i for t in trigger.ancestors if t.pos_ in ("VERB", "AUX"))
        allowed.update(c.i for c in trigger.children if c.dep_ in ("relcl", "acl"))  # "fire, which started"
    node = tok
    for _ in range(reader.config.date_climb):
        if node.i in allowed:
            return True
        if (node.pos_ in ("VERB", "AUX") and node.i != tok.i) or node.head.i == node.i:
            return node.i in allowed
        node = node.head
    return node.i in allowed


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


def _owned(reader: Reader, mention: DateMention) -> bool:
    """ "Tuesday's debate": a date owned by a noun, whose time no verb's tense tells."""
    span = reader.doc.char_span(mention.span.start, mention.span.end, alignment_mode="expand")
    return span is not None and len(span) > 0 and span.root.dep_ == "poss"


def _nearest_year(mention: DateMention, article: Article, nearest: bool = False) -> str:
    """The date label of `mention` in `article` ("" when it cannot be placed); "June 12" in a February
    report is the June 12 nearest the report, whatever the verb's tense says; a weekday follows the verb's
    tense unless a noun owns it (`nearest`)."""
    published, precision = article.published, article.published_precision
    resolved = mention.resolve(published, precision)
    expression = mention.span.text
    if published is None or resolved.start is None or re.search(r"\b\d{4}\b", expression) or not (
            nearest or re.search(MONTH, expression)):
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
