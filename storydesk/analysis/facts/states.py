"""State claims: conditions that change over a story ("missing" → "found alive", "seeking a second term" →
"won a second term", "closed" → "reopened", cause "not known" → "electrical fault ..."), and how someone
hurt is ("in stable condition").

A state is read from the word that states it and the noun it is said of: an adjective on the noun ("the
missing trawler Marigold Ann"), a complement of its verb ("was reported missing", "were found alive"), or a
verb of its person ("who won a second term", "is running for a second term", "who lost to Vance"). One
report states one stage of each condition: a report that tells the crew was found alive also calls it "the
missing trawler", and the later stage is what it reports. The change over time between reports is the
fact's history, so the sheet shows it as updated.
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from storydesk.analysis.facts.events import phrase_entity
from storydesk.analysis.facts.reader import Claim, Reader, child
from storydesk.analysis.facts.registry import claim_reader

# State words by condition: (slot, value, stage); a later stage supersedes an earlier one in one report.
_STATES = {
    "missing": ("status", "missing", 1), "disappeared": ("status", "missing", 1),
    "alive": ("status", "found alive", 2), "rescued": ("status", "found alive", 2),
    "safe": ("status", "found alive", 2), "dead": ("status", "dead", 2),
    "closed": ("condition", "closed", 1), "shut": ("condition", "closed", 1),
    "reopened": ("condition", "reopened", 2),
}  # fmt: skip
_FOUND_STATES = {"alive", "safe", "dead"}
_FINDING = {"find", "discover", "locate", "rescue", "pull", "bring", "recover"}
_MODALS = {"could", "might", "may", "would", "should"}
_ELECTION_VERBS = {"run": ("seeking", 1), "seek": ("seeking", 1), "face": ("seeking", 1), "win": ("won", 2),
                   "lose": ("lost", 2)}
_ELECTION_WORDS = {"term", "re-election", "reelection", "election", "race", "primary", "seat", "vote"}
_UNKNOWN_CAUSE = re.compile(
    r"\bcause\b[^.;]{0,40}?\b(?:(?:was|is|remains|remained)\s+(?:not\s+(?:immediately\s+|yet\s+)?known|unknown"
    r"|unclear|under investigation))", re.IGNORECASE)
_CAUSE_NOUNS = {"cause"}
_CAUSE_VERBS = {"cause", "spark", "start"}
_BLAMED = {"blame", "trace", "attribute"}


@claim_reader("state")
def read_states(reader: Reader) -> list[Claim]:
    """Conditions of the story's people and things, and the cause of its event, one stage per report."""
    found: dict[tuple[str | None, str], tuple[int, Claim]] = {}

    def keep(claim: Claim, stage: int) -> None:
        key = (claim.subject, claim.slot)
        if key not in found or stage > found[key][0]:
            found[key] = (stage, claim)

    text = reader.article.text
    for sent in reader.sents:
        if reader.in_quote(sent.start):
            continue
        for tok in reader.tokens(sent):
            if reader.in_quote(tok.idx):
                continue
            word = tok.lower_
            if word in _STATES and tok.pos_ in ("ADJ", "VERB"):
                owner = _owner(tok)
                if owner is not None and not _hedged(tok):
                    slot, value, stage = _STATES[word]
                    keep(Claim(reader.article, _subject(reader, owner), slot, "state", value, sent,
                               at=tok.idx), stage)
            election = _election(reader, tok)
            if election is not None:
                subject, value, stage = election
                keep(Claim(reader.article, subject, "election", "state", value, sent, at=tok.idx), stage)
        cause = _cause(reader, sent)
        if cause is not None:
            value, stage, at = cause
            keep(Claim(reader.article, None, "cause", "state", value, sent, at=at), stage)
        if _UNKNOWN_CAUSE.search(text, sent.start, sent.end):
            keep(Claim(reader.article, None, "cause", "state", "unknown", sent, at=sent.start), 1)
        for m in _HEALTH.finditer(text, sent.start, sent.end):
            tok = next((t for t in reader.tokens(sent) if t.idx >= m.start()), None)
            if tok is not None and not reader.in_quote(tok.idx) and not _hedged(tok.head):
                keep(Claim(reader.article, _patient(reader, tok), "health", "state",
                           f"{m.group(1).lower()} condition", sent, at=m.start()), 1)
    return [claim for _, claim in found.values()]


# How someone hurt is: "in stable condition", "listed in critical condition".
_HEALTH = re.compile(r"\bin (stable|critical|serious|fair|good|grave|satisfactory) condition\b",
                     re.IGNORECASE)


def _patient(reader: Reader, tok: Token) -> str | None:
    """Whose condition: the named subject of the clause ("Hackett is in stable condition"), a group as
    written ("two workers with burns"), else the story's own (a pronoun or "the rescued swimmer")."""
    node = tok
    for _ in range(reader.config.date_climb):
        if node.pos_ in ("VERB", "AUX") or node.head.i == node.i:
            break
        node = node.head
    while node.dep_ in ("xcomp", "ccomp") and child(node, "nsubj") is None and node.head.i != node.i:
        node = node.head  # "is reported to be in stable condition"
    subj = child(node, "nsubj") or child(node, "nsubjpass")
    if subj is None or subj.pos_ not in ("NOUN", "PROPN"):
        return None
    if subj.tag_ in ("NNS", "NNPS") and phrase_entity(reader, subj) is None:
        return " ".join(t.text for t in subj.subtree)  # "Two workers with burns": a group, not the story's
    return _subject(reader, subj)


def _hedged(tok: Token) -> bool:
    """ "could still be alive", "is not missing": no state is stated."""
    verb = tok.head if tok.dep_ in ("oprd", "acomp") else tok
    return any(c.dep_ == "neg" or (c.dep_ == "aux" and c.lower_ in _MODALS) for c in verb.children)


def _owner(tok: Token) -> Token | None:
    """The noun a state word is said of: "the missing trawler", "was reported missing", "were found
    alive" (the passive subject), "the bridge, which has been closed"; an active "closed the bridge" is
    an event, not a state."""
    if tok.dep_ == "amod" and tok.head.pos_ in ("NOUN", "PROPN"):
        return tok.head
    if tok.lower_ in _FOUND_STATES:
        if tok.dep_ not in ("oprd", "acomp") or tok.head.lemma_.lower() not in _FINDING:
            return None  # "they are alive" is hope; "found alive" is news
        verb = tok.head
    elif tok.dep_ in ("oprd", "acomp"):
        verb = tok.head
    elif tok.pos_ == "VERB" and child(tok, "nsubjpass") is not None:
        verb = tok
    else:
        return None
    subj = child(verb, "nsubjpass") or child(verb, "nsubj")
    if subj is not None and subj.lower_ in ("which", "that", "who") and verb.dep_ == "relcl":
        subj = verb.head
    return subj if subj is not None and subj.pos_ in ("NOUN", "PROPN") else None


def _subject(reader: Reader, noun: Token) -> str | None:
    """The named thing or person a state is of; None (the story's own) for a bare noun ("the vessel")."""
    entity = phrase_entity(reader, noun)
    if entity is not None:
        return entity.name
    return reader.titled.get(noun.lemma_.lower()) if _definite(noun) else None


def _definite(tok: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ in ("the", "this") for c in tok.children)


def _election(reader: Reader, verb: Token) -> tuple[str, str, int] | None:
    """ "who won a second term", "is running for a second term", "faces re-election", "lost to X in the
    April election": (person, value, stage)."""
    lemma = verb.lemma_.lower()
    if lemma not in _ELECTION_VERBS or verb.pos_ != "VERB" or any(c.dep_ == "neg" for c in verb.children):
        return None
    about = [t for t in verb.subtree if t.lemma_.lower() in _ELECTION_WORDS and t.i != verb.i]
    if not about:
        return None
    subj = child(verb, "nsubj")
    if subj is not None and subj.lower_ in ("who", "that") and verb.dep_ == "relcl":
        subj = verb.head
    if subj is None:
        return None
    entity = reader.entity(subj)
    person = entity.name if entity is not None and entity.type == "person" else (
        reader.titled.get(subj.lemma_.lower()) if _definite(subj) else None)
    if person is None:
        return None
    value, stage = _ELECTION_VERBS[lemma]
    second = any(t.lower_ in ("second", "third", "re-election", "reelection") for t in verb.subtree)
    return person, f"{value} a second term" if second and value != "lost" else value, stage


def _cause(reader: Reader, sent) -> tuple[str, int, int] | None:
    """ "X is the most likely cause of the fire", "X (likely) caused the fire", "blamed on X": (X, 2,
    offset)."""
    for tok in reader.tokens(sent):
        lemma = tok.lemma_.lower()
        if lemma in _CAUSE_NOUNS and tok.dep_ == "attr" and any(c.lower_ == "of" for c in tok.children):
            subj = child(tok.head, "nsubj")
            if subj is not None and subj.pos_ == "NOUN":
                return _cause_phrase(subj, reader), 2, subj.idx
        if lemma in _CAUSE_VERBS and tok.pos_ == "VERB" and tok.dep_ != "amod":
            obj = child(tok, "dobj")
            subj = child(tok, "nsubj")
            if obj is not None and obj.lemma_.lower() in ("fire", "blaze", "crash", "explosion", "collapse") \
                    and subj is not None and subj.pos_ == "NOUN":
                return _cause_phrase(subj, reader), 2, subj.idx
        if lemma in _BLAMED and tok.pos_ == "VERB":
            prep = next((c for c in tok.children
                         if c.lower_ in ("on", "to") and c.dep_ in ("prep", "dative")), None)
            pobj = child(prep, "pobj") if prep is not None else None
            if pobj is not None and pobj.pos_ == "NOUN":
                return _cause_phrase(pobj, reader), 2, pobj.idx
    return None


def _cause_phrase(tok: Token, reader: Reader) -> str:
    """The cause as written, without its article, a few words at most."""
    words = [t for t in tok.subtree if t.dep_ != "det" and not t.is_punct and t.dep_ != "relcl"]
    words = words[: reader.config.cause_max_words]
    return " ".join(t.text for t in words).lower()
