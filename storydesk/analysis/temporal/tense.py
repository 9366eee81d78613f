"""Tense of the verb a date expression belongs to: the direction a relative date points in.

"said on Thursday" in a Friday report is the day before, "will launch on Tuesday" the Tuesday after. From
the spaCy parse when there is one (`parse_tense`), else from the nearest auxiliary or past-tense marker in
the clause (`cheap_tense`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# Verbs whose infinitive complement points ahead: "is set to launch", "plans to film", "is due to start".
_FUTURE_HEADS = frozenset(
    {"set", "schedule", "plan", "expect", "due", "intend", "aim", "prepare", "slate", "poise", "go"}
)
_FUTURE_AUX = frozenset({"will", "'ll", "shall", "wo"})
#: "could reopen by June 12", "may resume on Friday": a possibility lies ahead (unless "could have ...")
_MODAL_AUX = frozenset({"could", "may", "might", "should", "must", "can", "ca"})
_IRREGULAR_PAST = (
    "said|told|sent|went|came|took|made|gave|met|left|found|began|won|lost|held|brought|thought|saw|fell"
    "|rose|led|became|struck|spoke|wrote|broke|flew|knew|got|stood|ran|chose|drove|paid|sold|kept|built"
    "|fought|caught|sought|bought|felt|heard|meant|shot|spent|threw|woke|grew|drew|swept|tore|wore|hung"
)
_CLAUSE_END = re.compile(r"[;:]|\s[—–-]\s")
_CHEAP_TENSE = re.compile(
    r"(?i)\b(?P<future>will|won't|shall|going\s+to|(?:set|scheduled|slated|due|expected|poised)\s+(?:to|for)"
    r"|plans?\s+to|planning\s+to|intends?\s+to|is\s+to|are\s+to|(?:is|are)\s+\w{2,}ing)\b|(?<=\w)'ll\b"
    r"|(?<!\bbe\s)(?<!\bbeen\s)\b(?P<past>was|were|had|did|ago|\w{2,}[^e\W]ed|" + _IRREGULAR_PAST + r")\b"
)


def _verb_tense(verb: Token, depth: int, max_depth: int) -> str | None:
    """Tense of one verb from its tag, its auxiliaries and the verb that governs it.

    spaCy makes a new Token object on every access, so tokens are compared by index, never with `is`.
    """
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    lowers = {a.lower_ for a in auxes}
    if lowers & _FUTURE_AUX:
        return "future"
    if "would" in lowers:
        return "present"
    if lowers & _MODAL_AUX and not lowers & {"have", "'ve"}:
        return "future"
    if "to" in lowers and verb.head.i != verb.i and verb.head.lemma_.lower() in _FUTURE_HEADS:
        return "future"
    if verb.lemma_.lower() in _FUTURE_HEADS and verb.tag_ in ("VBN", "JJ"):
        return "future"
    if verb.tag_ == "VBG" and lowers & {"is", "are", "'s", "'re", "am"}:
        return "future"
    if verb.tag_ == "VBD" or lowers & {"was", "were", "had", "did", "has", "have", "'ve"}:
        return "past"
    if verb.tag_ == "VBN":
        return "past"
    if verb.tag_ in ("VBP", "VBZ"):
        return "present"
    if verb.tag_ == "VB" and "to" in lowers:
        head = verb.head
        if head.i != verb.i and head.pos_ in ("VERB", "AUX") and depth < max_depth:
            return _verb_tense(head, depth + 1, max_depth)
        return "future"  # "Officials to reopen the bridge on Friday": the headline infinitive announces
    return None


def parse_tense(doc: Doc, start: int, end: int, *, climb: int = 8, depth: int = 4) -> str | None:
    """Tense of the verb governing `doc`'s characters start..end, climbing at most `climb` tokens up the
    tree and following at most `depth` governing verbs from a bare infinitive; None when none is found."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    token = span.root
    for _ in range(climb):  # up the tree: "will run every 15 minutes starting Wednesday" -> starting -> run
        if token.pos_ in ("VERB", "AUX") and (tense := _verb_tense(token, 0, depth)) is not None:
            return tense
        if token.head.i == token.i:
            return None
        token = token.head
    return None


def cheap_tense(sentence: str, start: int, end: int) -> str:
    """Tense from the auxiliary or past-tense marker nearest the expression within its clause.

    Markers before the expression count double, as English puts the verb group before the adverbial.
    """
    begin = max((m.end() for m in _CLAUSE_END.finditer(sentence, 0, start)), default=0)
    after = _CLAUSE_END.search(sentence, end)
    stop = after.start() if after else len(sentence)
    best, best_distance = "present", float("inf")
    for m in _CHEAP_TENSE.finditer(sentence, begin, stop):
        if m.start() < end and m.end() > start:
            continue
        distance = start - m.end() if m.end() <= start else 2 * (m.start() - end) + 1
        if distance < best_distance:
            best, best_distance = ("past" if m["past"] else "future"), distance
    return best
