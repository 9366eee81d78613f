"""Money claims: sums with currency and scale, when the words around them say what they pay for."""

from __future__ import annotations

import re

from spacy.tokens import Token

from storydesk.analysis.facts import values
from storydesk.analysis.facts.reader import SPEECH_VERBS, Claim, Reader, child, token_at
from storydesk.analysis.facts.registry import claim_reader
from storydesk.model import Span

# Money is a fact only when the words around it say what it pays for.
_MONEY_SLOTS = [
    (re.compile(r"\bbox office|\b(?:gross(?:ed|es|ing)?|overseas|worldwide|take in|took in|takings"
                r"|ticket sales|opening (?:weekend|day))\b", re.I), "box office"),
    (re.compile(r"\bbudget\b", re.I), "budget"),
    (re.compile(r"\b(?:sales|revenues?|turnover)\b", re.I), "sales"),
    (re.compile(r"\b(?:bail|bond was set|set bond)\b", re.I), "bail"),
    (re.compile(r"\b(?:buy|bought|acquire[sd]?|purchase[sd]?|takeover|deal|sold|sale)\b", re.I), "price"),
    (re.compile(r"\b(?:cost|costs|repairs?)\b", re.I), "cost"),
    (re.compile(r"\bcompensation\b", re.I), "compensation"),
    (re.compile(r"\b(?:salary|wages?|a year|per year|annually)\b", re.I), "salary"),
    (re.compile(r"\bgrants?\b", re.I), "grant"),
    (re.compile(r"\bbonds?\b", re.I), "bond"),
    (re.compile(r"\b(?:raised|fund|fundraiser|donations?)\b", re.I), "funds raised"),
    (re.compile(r"\b(?:damage|losses)\b", re.I), "damage"),
]
# A work the sum is written before is what it cost: "a $200 million film", "his $200-million space epic"
# (not "the 20th film to reach $1 billion").
_BUDGET_AFTER = re.compile(r"^(?:-?\s*[a-z]+){0,2}?\s*\b(?:film|movie|epic|blockbuster|production)\b", re.I)
# "risen to $4.1 million, up from the $3.2 million": the report itself calls the second value the old one.
_FORMER = re.compile(
    r"\b(?:(?:up|down|rising|falling|risen|fallen)\s+from|originally|previously)(?:\s+the)?\s*$",
    re.IGNORECASE,
)


@claim_reader("money")
def read_money(reader: Reader) -> list[Claim]:
    """Sums of money, with currency and scale: a budget when the sentence says so."""
    out = []
    text = reader.article.text
    sums = sorted([*values.MONEY.finditer(text), *values.MONEY_WORDS.finditer(text)], key=lambda m: m.start())
    for m in sums:
        tok = token_at(reader, m.start())
        if tok is None:
            continue
        sent = reader.sentence(m.start())
        slot = _money_slot(reader, sent, m.start(), m.end())
        if slot == "box office":
            slot = _takings(reader, sent, m.start(), m.end())
        lead = max(sent.start, m.start() - reader.config.former_value_chars)
        before = reader.article.text[lead : m.start()]
        if slot and not _FORMER.search(before):
            if _other_work(reader, tok):
                continue
            # The sentence's grammar names whom a sum belongs to, or it is the story's ("Dunmore said the
            # $40 million bond ...": the bond is not Dunmore's).
            owner = _clause_owner(reader, tok) or reader.anchor(tok) or _possessor(reader, m.start())
            out.append(Claim(reader.article, owner, slot, "money", values.money(m), sent, at=m.start()))
    return out


# Dependencies climbed from a sum to the verb of its clause: "has grossed $735.2 million", "leading the list
# at $2.79 billion", "followed by Titanic at $2.19 billion".
_TRADE = {"buy", "acquire", "purchase", "sell", "take"}
_UP = {"pobj", "prep", "dobj", "attr", "compound", "nummod", "quantmod", "amod", "npadvmod", "nmod", "advmod",
       "conj"}


def _clause_verb(tok: Token | None, climb: int = 8) -> Token | None:
    """The verb a sum depends on, climbing its phrase ("for 896 million pounds, or about $1.2 billion")."""
    node = tok
    for _ in range(climb):
        if node is None or (node.pos_ in ("VERB", "AUX") and node is not tok):
            break
        if node.dep_ not in _UP or node.head.i == node.i:
            return None
        node = node.head
    return node if node is not None and node.pos_ in ("VERB", "AUX") else None


def _clause_owner(reader: Reader, tok: Token) -> str | None:
    """Whose sum it is by the clause it stands in: what is bought for it ("buy Jimmy Choo for $1.2
    billion"), else the named subject (or agent) of the verb the sum depends on, unless that verb only
    reports speech ("Dunmore said ..." names the speaker)."""
    node = _clause_verb(tok, reader.config.date_climb)
    if node is None or node.lemma_.lower() in SPEECH_VERBS:
        return None
    agent = next((child(c, "pobj") for c in node.children if c.dep_ == "agent"), None)
    bought = child(node, "dobj") if node.lemma_.lower() in _TRADE else None  # a price is the thing's
    subject = child(node, "nsubj")
    if subject is None and node.dep_ == "xcomp":
        subject = child(node.head, "nsubj")  # "Michael Kors agreed to buy ..."
    for arg in (bought, agent, subject, child(node, "nsubjpass")):
        if arg is None:
            continue
        # the one named, its owner or its name: "Lena Ortiz's new epic has a budget of $200 million", "the
        # shoe company Jimmy Choo"
        for named in (arg, *(c for c in arg.children if c.dep_ in ("poss", "appos"))):
            entity = reader.entity(named)
            if entity is not None and entity.type in ("person", "work", "organisation"):
                return reader.works.get(entity.name, entity.name)
    return None


_POSSESSIVE = re.compile(r"['’]s(?:\s+[a-z]+){0,2}\s*")
_GENERIC_WORKS = {"movie", "film", "project", "picture", "pic", "series", "show", "production", "feature"}


def _possessor(reader: Reader, start: int) -> str | None:
    """ "Tom Cruise's upcoming $200-million space epic": the owner written just before the sum."""
    text = reader.article.text
    for _, e, entity in reversed(reader.mentions):
        if e <= start:
            return entity.name if _POSSESSIVE.fullmatch(text[e:start]) and entity.type != "place" else None
    return None


def _other_work(reader: Reader, tok: Token) -> bool:
    """ "the untitled pic was rumored to have a budget of $200 million": a sum of a work the sentence
    names only by a common noun no report's title resolves, so not the story's own."""
    node = tok
    for _ in range(reader.config.date_climb):
        for c in node.children:
            if c.dep_ in ("nsubj", "nsubjpass") and c.lemma_.lower() in _GENERIC_WORKS \
                    and reader.entity(c) is None and reader.recent_work(c.idx) is None:
                return True
        if node.head.i == node.i:
            return False
        node = node.head
    return False


# Takings of one part of the world or of the opening are a measure of their own, not a disagreement with
# the worldwide total: "$735.2 million overseas and $273.7 million in North America".
_TAKINGS = [
    (re.compile(r"\bopening (?:weekend|day)|\bdebut(?:ed)?\b|\blaunch\b", re.I), "opening box office"),
    (re.compile(r"\b(?:overseas|international(?:ly)?|abroad|foreign)\b", re.I), "overseas box office"),
    (re.compile(r"\b(?:North America|domestic(?:ally)?|in the U\.?S\.?|stateside)\b"), "domestic box office"),
    (re.compile(r"\bin China\b"), "China box office"),
]


def _takings(reader: Reader, sent: Span, start: int, end: int) -> str:
    """Which takings a box-office sum is: the qualifier written nearest it (within its clause of the
    sentence), else the total."""
    text = reader.article.text
    lo, hi = max(sent.start, start - reader.config.money_chars_before), min(sent.end, end + 25)
    for stop in (",", " and ", " while ", " — "):  # another sum's qualifier stands past a clause break
        cut = text.rfind(stop, lo, start)
        lo = max(lo, cut + len(stop)) if cut >= 0 else lo
        cut = text.find(stop, end, hi)
        hi = min(hi, cut) if cut >= 0 else hi
    found = [(min(abs(k.start() + lo - end), abs(k.end() + lo - start)), name)
             for pattern, name in _TAKINGS for k in pattern.finditer(text[lo:hi])]
    return min(found)[1] if found else "box office"


def _money_slot(reader: Reader, sent: Span, start: int, end: int) -> str | None:
    """What a sum pays for: the slot word written nearest the sum, within a few words of it."""
    config, text = reader.config, reader.article.text
    lo, hi = max(sent.start, start - config.money_chars_before), min(sent.end, end + config.money_chars_after)
    found = [(min(abs(k.start() + lo - end), abs(k.end() + lo - start)), name)
             for pattern, name in _MONEY_SLOTS for k in pattern.finditer(text[lo:hi])]
    work = _BUDGET_AFTER.match(text[end:hi])
    if work:
        found.append((work.start(), "budget"))
    if found:
        return min(found)[1]
    verb = _clause_verb(token_at(reader, start))
    return "price" if verb is not None and verb.lemma_.lower() in _TRADE else None
