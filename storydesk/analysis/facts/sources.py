"""Where a claim stands in its report and whom the report cites for it.

A value a report states in its own body text is the report's; one written only in a standfirst, a photo
caption or inside a quotation is someone else's words or a teaser, and the sheet says so. A report that
passes on another outlet's reporting ("Variety reports", "the AP said", "told Variety") is not an
independent source for it: the cited source is recorded so corroboration counts it once.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from spacy.tokens import Token

from storydesk.analysis.entities import is_credit_line
from storydesk.model import Span, TextPart

if TYPE_CHECKING:
    from storydesk.analysis.facts.reader import Reader

#: Quotations: curly or straight double quotes on one line, curly single quotes around a long passage (an
#: apostrophe inside a word, "It’s", does not close it).
QUOTE = re.compile(r"“([^”\n]+)”|\"([^\"\n]+)\"|‘((?:[^’\n]|’(?=\w)){20,})’")
# Verbs by which a report passes on another's reporting or words.
_REPORTING = {"report", "say", "note", "write", "tell", "announce", "confirm", "state", "add"}
_END_MARK = re.compile(r"[.!?…\"”’)]\s*$")


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges of every quotation's words (marks excluded)."""
    return [(m.start() + 1, m.end() - 1) for m in QUOTE.finditer(text)]


def text_part(reader: Reader, offset: int) -> TextPart:
    """Where `offset` stands: inside a quotation, in a caption line, in a standfirst (a first paragraph
    that is one line without an end mark, as headlines are written), else the body."""
    if any(s <= offset < e for s, e in reader.quoted):
        return "quote"
    text = reader.article.text
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    if is_credit_line(line, reader.config.caption_max_words):
        return "caption"
    first_break = text.find("\n")
    if line_start == 0 and first_break > 0 and not _END_MARK.search(line) and (
            len(line.split()) <= reader.config.standfirst_max_words):
        return "headline"
    return "body"


def cited_source(reader: Reader, sent: Span) -> str | None:
    """The outlet or organisation a sentence passes its content on from: the subject of a reporting verb
    ("Variety reports", "the AP noted", "Roscosmos said"), "according to X", "per X", "as reported by X",
    and the interviewer of "X told Variety". People are not cited sources here: officials quoted by
    several outlets are each outlet's own reporting."""
    for tok in reader.tokens(sent):
        if any(s <= tok.idx < e for s, e in reader.quoted):
            continue
        found = None
        head = tok.head
        if tok.dep_ == "nsubj" and head.lemma_.lower() in _REPORTING:
            found = _organisation(reader, tok, proper=head.lemma_.lower() == "report")
        elif tok.dep_ == "pobj" and head.lower_ == "to" and head.head.lower_ == "according":
            found = _organisation(reader, tok, proper=False)
        elif _passed_on(tok):
            found = _organisation(reader, tok, proper=True)
        if found:
            return found
    return None


def _passed_on(tok: Token) -> bool:
    """ "per X", "as reported by X", "told X" (an interviewer)."""
    head = tok.head
    if tok.dep_ == "pobj":
        return head.lower_ == "per" or (head.dep_ == "agent" and head.head.lemma_.lower() == "report")
    told = head.lemma_.lower() == "tell"
    return tok.dep_ in ("dobj", "dative") and tok.lemma_.lower() != "reporter" and told


def _organisation(reader: Reader, tok: Token, *, proper: bool) -> str | None:
    """The organisation `tok` names (its canonical name), or with `proper` the proper noun as written
    when no entity covers it (a bare outlet name such as "Variety" that the recogniser missed)."""
    for t in [tok, *(c for c in tok.children if c.dep_ == "compound")]:
        entity = reader.entity(t)
        if entity is not None:
            return entity.name if entity.type == "organisation" else None
    if proper and tok.pos_ == "PROPN":
        left = [c for c in tok.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"]
        return " ".join([*(c.text for c in left), tok.text])
    return None
