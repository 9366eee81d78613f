"""Quotations with the speaker their report attributes them to ("who said what").

A speaker comes from the attribution around the quotation: the subject of a speech verb in its sentence
("X said", "said X", "she told reporters, adding: ..."), a pronoun or a title ("the chief said") resolved
to the nearest person named as the subject of a sentence before it, or the previous quotation of the same
paragraph when this one has no attribution of its own. A quotation with none of these is unattributed:
a name merely standing near a quotation never makes its speaker.
"""

from __future__ import annotations

from spacy.tokens import Token

from storydesk.analysis.entities import ORG_NOUNS, PERSON_ROLES, TITLES
from storydesk.analysis.facts.reader import SPEECH_VERBS, Claim, Reader, child
from storydesk.analysis.facts.registry import claim_reader
from storydesk.analysis.facts.sources import QUOTE
from storydesk.model import Attribution, Entity, Span
from storydesk.text import words

_PRONOUNS = {"he", "she", "they"}
# Nouns that refer back to an organisation named before ("the club said").
_ORG_ANAPHORS = ORG_NOUNS | {"club", "team", "league", "city", "council", "union", "board"}
_CLIMB = ("advcl", "xcomp", "conj", "pcomp", "ccomp")


@claim_reader("quote")
def read_quotes(reader: Reader) -> list[Claim]:
    """Every quotation of at least `quote_min_words` words, with its speaker and how it was found."""
    out: list[Claim] = []
    text = reader.article.text
    previous: tuple[int, str | None] | None = None  # paragraph start and speaker of the last quotation
    for m in QUOTE.finditer(text):
        inner = next(g for g in m.groups() if g is not None)
        if len(words(inner)) < reader.config.quote_min_words or _is_title(inner):
            continue
        para = text.rfind("\n", 0, m.start()) + 1
        speaker, how = _attribution(reader, m.start(), m.end())
        if how is None:
            continued = previous is not None and previous[0] == para and previous[1] is not None
            speaker, how = (previous[1], "continued") if continued and previous else (None, "unattributed")
        previous = (para, speaker)
        start = m.start() + 1
        out.append(Claim(reader.article, speaker, "statement", "quote", inner.strip().rstrip(","),
                         Span(start, start + len(inner), inner), at=start, attribution=how))
    return out


def _is_title(inner: str) -> bool:
    """ "Son of a Rich", "The Last Voyage": a title in quotation marks (every long word capitalised)."""
    long = [w for w in words(inner) if len(w) > 3]
    ended = inner.rstrip().endswith((".", ",", "?", "!"))
    return bool(long) and all(w[0].isupper() for w in long) and not ended


def _attribution(reader: Reader, start: int, end: int) -> tuple[str | None, Attribution | None]:
    """The speaker of the quotation at [start, end) from a speech verb of its sentences (None, None when
    they have none); (None, "unattributed") when the verb's subject is no one nameable ("officials")."""
    first, last = reader.sentence(start), reader.sentence(max(start, end - 1))
    span = Span(first.start, max(first.end, last.end), "")
    verbs = [t for t in reader.tokens(span) if t.lemma_.lower() in SPEECH_VERBS and t.pos_ in ("VERB", "AUX")
             and not reader.in_quote(t.idx) and not start <= t.idx < end]
    inside = reader.doc.char_span(start, end, alignment_mode="expand")
    first_word = inside[0] if inside is not None and len(inside) else None

    def governs(verb: Token) -> bool:
        return first_word is not None and verb in first_word.ancestors

    for verb in sorted(verbs, key=lambda t: (not governs(t), min(abs(t.idx - start), abs(t.idx - end)))):
        subj = _subject(verb)
        if subj is None:
            continue
        return _speaker(reader, subj)
    return None, None


def _subject(verb: Token) -> Token | None:
    """The subject of a speech verb, or of the verb it depends on ("..., saying:", "adding:")."""
    node = verb
    for _ in range(3):
        subj = child(node, "nsubj")
        if subj is not None:
            return subj
        if node.dep_ not in _CLIMB or node.head.i == node.i:
            return None
        node = node.head
    return None


def _speaker(reader: Reader, subj: Token) -> tuple[str | None, Attribution]:
    named = _named(reader, subj)
    if named is not None:
        return (named.name, "named") if named.type in ("person", "organisation") else (None, "unattributed")
    lemma = subj.lemma_.lower()
    if subj.lower_ in _PRONOUNS or (lemma in PERSON_ROLES | TITLES and _definite(subj)):
        person = _nearest_subject(reader, subj.idx, "person")
        return (person.name, "pronoun") if person else (None, "unattributed")
    if lemma in _ORG_ANAPHORS and _definite(subj):
        org = _nearest_subject(reader, subj.idx, "organisation")
        return (org.name, "pronoun") if org else (None, "unattributed")
    return None, "unattributed"


def _definite(tok: Token) -> bool:
    """ "the chief", "the company": a noun that refers back, not "a spokesman"."""
    return any(c.dep_ == "det" and c.lower_ in ("the", "this") for c in tok.children)


def _named(reader: Reader, subj: Token) -> Entity | None:
    for t in [subj, *(c for c in subj.children if c.dep_ in ("compound", "appos"))]:
        entity = reader.entity(t)
        if entity is not None:
            return entity
    return None


def _nearest_subject(reader: Reader, offset: int, kind: str) -> Entity | None:
    """The nearest entity of `kind` named before `offset`, outside quotations, as the subject of its
    clause, within this paragraph and the one before it."""
    text = reader.article.text
    para = text.rfind("\n", 0, offset)
    earlier = text.rfind("\n", 0, max(0, para - 1)) + 1 if para > 0 else 0
    for start, end, entity in reversed(reader.mentions):
        if not earlier <= start < offset or entity.type != kind or reader.in_quote(start):
            continue
        tok = reader.doc.char_span(start, end, alignment_mode="expand")
        root = tok.root if tok is not None else None
        while root is not None and root.dep_ in ("compound", "appos", "conj") and root.head.i != root.i:
            root = root.head
        if root is not None and root.dep_ in ("nsubj", "nsubjpass"):
            return entity
    return None
