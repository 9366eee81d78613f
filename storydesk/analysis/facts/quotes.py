"""Quote claims: quoted statements with the person who said them."""

from __future__ import annotations

import re

from storydesk.analysis.facts.reader import SPEECH_VERBS, Claim, Reader, child
from storydesk.analysis.facts.registry import claim_reader
from storydesk.model import Span
from storydesk.text import words

_QUOTE = re.compile(r"“([^”\n]+)”|\"([^\"\n]+)\"|‘([^’\n]{20,})’")


@claim_reader("quote")
def read_quotes(reader: Reader) -> list[Claim]:
    """Quoted statements with the person who said them (resolving "she said" to the last person named)."""
    out = []
    text = reader.article.text
    for m in _QUOTE.finditer(text):
        inner = next(g for g in m.groups() if g is not None)
        if len(words(inner)) < reader.config.quote_min_words:
            continue
        speaker = _speaker(reader, m.start(), m.end())
        if speaker:
            start = m.start() + 1
            out.append(Claim(reader.article, speaker, "statement", "quote", inner.strip(),
                              Span(start, start + len(inner), inner)))
    return out


def _speaker(reader: Reader, start: int, end: int) -> str | None:
    """The subject of the nearest speech verb outside the quote, in the same paragraph."""
    text = reader.article.text
    para_start, para_end = text.rfind("\n", 0, start) + 1, text.find("\n", end)
    para_end = len(text) if para_end < 0 else para_end
    verbs = [t for t in reader.tokens(Span(para_start, para_end, "")) if t.lemma_ in SPEECH_VERBS
             and not start <= t.idx < end]
    for verb in sorted(verbs, key=lambda t: min(abs(t.idx - start), abs(t.idx - end))):
        subj = child(verb, "nsubj")
        if subj is None:
            continue
        entity = reader.entity(subj)
        if entity is None and subj.lower_ in ("he", "she"):
            entity = next((e for s, _, e in reversed(reader.mentions) if s < subj.idx and e.type == "person"),
                          None)
        if entity is not None and entity.type == "person":
            return entity.name
        return None
    return None
