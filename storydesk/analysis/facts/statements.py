"""Who said what: quotations aligned across reports into statements.

The same words quoted by several reports are one statement: same speaker (or none known in one of them)
and most of the shorter quotation's words shared. Its sources are counted as for facts, so two outlets
passing on one interview ("Ernst told Variety") count once.
"""

from __future__ import annotations

import hashlib

from storydesk.analysis.facts.reader import Claim
from storydesk.model import Attribution, Evidence, Statement
from storydesk.text import stop_words, words

# Attributions from the most to the least direct: a statement shows the most direct any report gives.
_DIRECTNESS: tuple[Attribution, ...] = ("named", "pronoun", "continued", "unattributed")


def build_statements(claims: list[Claim], same_share: float) -> list[Statement]:
    """Statements from quotation claims, most widely carried first, then in reading order."""
    groups: list[list[Claim]] = []
    for claim in claims:
        _add(groups, claim, same_share)
    statements = [_statement(g) for g in groups]
    order = {id(s): i for i, s in enumerate(statements)}
    statements.sort(key=lambda s: (-s.outlets, order[id(s)]))
    return statements


def _content(text: str) -> set[str]:
    stop = stop_words()
    return {w.lower() for w in words(text)} - stop


def _add(groups: list[list[Claim]], claim: Claim, same_share: float) -> None:
    mine = _content(claim.value)
    for group in groups:
        speakers = {c.subject for c in group} - {None}
        if claim.subject is not None and speakers and claim.subject not in speakers:
            continue
        theirs = _content(group[0].value)
        shared = len(mine & theirs)
        if shared and shared >= same_share * max(1, min(len(mine), len(theirs))):
            group.append(claim)
            return
    groups.append([claim])


def _statement(group: list[Claim]) -> Statement:
    speakers = [c.subject for c in group if c.subject is not None]
    speaker = max(set(speakers), key=speakers.count) if speakers else None
    attribution = min((c.attribution or "unattributed" for c in group if c.subject == speaker),
                      key=_DIRECTNESS.index, default="unattributed")
    evidence = [Evidence(c.article.id, c.span.text, c.span.start, c.span.end, c.article.outlet,
                         c.article.published, c.value, c.part, c.via) for c in group]
    outlets = len({e.source for e in evidence})
    text = group[0].value
    digest = hashlib.blake2b(f"{speaker}|{text}".encode(), digest_size=5).hexdigest()
    status = "corroborated" if outlets >= 2 else "single-source"
    return Statement("q" + digest, speaker, text, attribution, status, outlets, evidence)
