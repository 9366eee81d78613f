"""Times of day: when in the day an event of the story happened ("shot around 11:30 p.m.", "the fire was
reported at about 10:40 p.m."), a fact of kind "date" whose slot is the event's time ("shooting time").

A time counts only where the parse ties it to an event word (the verb it depends on, or an event noun a
verb of occurring has as subject): a clock time in a byline, an update stamp or a video's length is no
time of the story. Words of approximation ("around", "shortly after") are dropped, so two reports giving
9:30 p.m. and 9:19 p.m. for one sighting disagree.
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from storydesk.analysis.facts.events import frame, negated_or_conditional, subject_of, triggers
from storydesk.analysis.facts.reader import Claim, Reader, token_at
from storydesk.analysis.facts.registry import claim_reader

# "9:30 p.m.", "10:40pm", "6 a.m."; a bare "9:19" only after a word that makes it a time ("at 9:19").
_CLOCK = re.compile(
    r"\b(?P<h>1[0-2]|0?[1-9])(?::(?P<m>[0-5]\d))?\s?(?P<ap>[ap])\.?\s?m\b\.?"
    r"|(?<=\bat )(?P<h2>[01]?\d|2[0-3]):(?P<m2>[0-5]\d)\b(?!:)",
    re.IGNORECASE,
)


# Verbs that say an event noun happened then: "the fire was reported at 10:40 p.m.", "broke out at 2 a.m."
# (not "the blaze was declared under control at 6 a.m.": that is a later time of the same fire).
_OCCUR = {"report", "break", "start", "begin", "occur", "happen", "erupt", "spark", "ignite"}


def clock(match: re.Match[str]) -> str:
    """ "9:30 p.m." however written ("9.30pm" aside): hours, minutes when given, a.m. or p.m."""
    if match.group("h2"):
        return f"{int(match.group('h2'))}:{match.group('m2')}"
    minutes = f":{match.group('m')}" if match.group("m") else ""
    return f"{int(match.group('h'))}{minutes} {match.group('ap').lower()}.m."


@claim_reader("time")
def read_times(reader: Reader) -> list[Claim]:
    """Times of day the parse ties to an event word, each as the time of that event."""
    out = []
    for m in _CLOCK.finditer(reader.article.text):
        tok = token_at(reader, m.start())
        if tok is None:
            continue
        sent = reader.sentence(m.start())
        event = _event_of(reader, tok, sent)
        if event is None:
            continue
        trigger, kind = event
        out.append(Claim(reader.article, subject_of(reader, frame(trigger, kind)), f"{kind} time", "date",
                         clock(m), sent, at=m.start()))
    return out


def _event_of(reader: Reader, tok: Token, sent) -> tuple[Token, str] | None:
    """The event word the time depends on: the verb it hangs from (climbing prepositions), or an event
    noun that verb has as subject or object ("the fire was reported at 10:40 p.m.")."""
    found = {t.i: (t, k) for t, k in triggers(reader, reader.tokens(sent))}
    node = tok
    for _ in range(reader.config.date_climb):
        if node.head.i == node.i:
            break
        node = node.head
        if node.pos_ in ("VERB", "AUX"):
            break
    if node.pos_ not in ("VERB", "AUX"):
        return None
    candidates = [node]
    if node.lemma_.lower() in _OCCUR:
        candidates += [c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")]
    for cand in candidates:
        if cand.i in found and not negated_or_conditional(cand):
            return found[cand.i]
    return None
