"""Role claims: who directs, stars, pilots, leads ("directed by X", "starring X", "X, CEO of Y")."""

from __future__ import annotations

from spacy.tokens import Token

from storydesk.analysis.entities import PERSON_ROLES, ROLE_VERBS, TITLES
from storydesk.analysis.facts.reader import Claim, Reader, child
from storydesk.analysis.facts.registry import claim_reader
from storydesk.model import Entity

_GENERIC_WORKS = {"movie", "film", "project", "picture", "pic", "series", "show", "book", "album"}


@claim_reader("role")
def read_roles(reader: Reader) -> list[Claim]:
    """Who directs, stars, pilots, leads: "directed by X", "starring X", "X, CEO of Y"."""
    out = []
    for tok in reader.doc:
        person = reader.entity(tok)
        if person is None or person.type != "person" or tok.dep_ in ("compound",):
            continue
        head = tok.head
        slot = subject_tok = None
        if tok.dep_ == "pobj" and head.lower_ == "by" and head.head.lemma_ in ROLE_VERBS:
            slot, verb = ROLE_VERBS[head.head.lemma_], head.head
            subject_tok = verb.head if verb.dep_ in ("acl", "conj") else child(verb, "nsubjpass")
        elif tok.dep_ == "dobj" and head.lemma_ == "star":
            slot = "star"
            subject_tok = head.head if head.dep_ in ("acl", "conj", "advcl") else child(head, "nsubj")
            if head.dep_ == "conj" and subject_tok is not None and subject_tok.dep_ == "acl":
                subject_tok = subject_tok.head
        elif (verb := _role_verb(tok)) is not None:
            slot, subject_tok = ROLE_VERBS[verb.lemma_], child(verb, "dobj")
            subject = reader.entity(subject_tok) if subject_tok is not None else None
            if subject is not None and subject.type in ("organisation", "work") and subject is not person:
                sent = reader.sentence(tok.idx)
                out.append(Claim(reader.article, subject.name, slot, "role", person.name, sent))
            continue
        else:
            appos = child(tok, "appos")
            if appos is not None and appos.lemma_.lower() in PERSON_ROLES:
                slot = " ".join(t.lower_ for t in appos.lefts if t.dep_ in ("compound", "amod")
                                and t.lower_ in TITLES) + " " + appos.lemma_.lower()
                slot = slot.strip()
                of = next((c for c in appos.children if c.lower_ == "of"), None)
                subject_tok = child(of, "pobj") if of is not None else None
        if slot is None or subject_tok is None:
            continue
        subject = _work_or_entity(reader, subject_tok, person, works_only=slot in ROLE_VERBS.values())
        if subject:
            out.append(Claim(reader.article, subject, slot, "role", person.name, reader.sentence(tok.idx)))
    return out


def _role_verb(tok: Token) -> Token | None:
    """The role verb a person is the agent of: "X leads the agency", "X, who chairs the board"."""
    if tok.dep_ == "nsubj" and tok.head.lemma_ in ROLE_VERBS and tok.head.pos_ == "VERB":
        return tok.head
    return next((c for c in tok.children if c.dep_ == "relcl" and c.lemma_ in ROLE_VERBS
                 and any(g.dep_ == "nsubj" and g.lower_ in ("who", "that") for g in c.children)), None)


def _work_or_entity(reader: Reader, tok: Token, person: Entity, *, works_only: bool) -> str | None:
    """The work or organisation `tok`'s phrase names, or the work "the movie" refers back to."""
    allowed = ("work",) if works_only else ("work", "organisation", "other")
    for t in [tok, *(c for c in tok.children if c.dep_ in ("compound", "appos", "poss"))]:
        entity = reader.entity(t)
        if entity is not None and entity is not person and entity.type in allowed:
            return entity.name
    if tok.lemma_.lower() in _GENERIC_WORKS and any(c.lower_ == "the" for c in tok.children):
        return reader.recent_work(tok.idx)
    return None
