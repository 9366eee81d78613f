"""The cross-source fact sheet: typed facts from every report, aligned and labelled.

Each report's statements become claims (subject, slot, normalised value, the sentence as evidence). Claims
about the same canonical subject and slot are one fact; its label says whether independent outlets agree
(corroborated), only one states it (single-source), reports of about the same time disagree (conflicting),
or a later report changed an earlier value (updated). Precision over recall: only patterns an editor
would trust are read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from storydesk import values as V
from storydesk.dates import DateMention, date_mentions, resolve_date
from storydesk.entities import PERSON_ROLES, ROLE_VERBS, TITLES, Entity, entity_index, parse_articles
from storydesk.model import Article, Evidence, Span
from storydesk.text import sentences, words

# Event words by slot: "launch", "lift off", "blast off" are one launch.
EVENTS = {
    "launch": {"launch", "liftoff", "blast", "takeoff", "lift-off", "blastoff"},
    "release": {"release", "premiere"},
    "reopening": {"reopen", "reopening"},
    "election": {"election"},
}
_PERFORMED = {"launch", "release"}  # events with a performer or a work of their own
_OFF_VERBS = {"lift": "launch", "take": "launch", "blast": "launch"}
_SAME = {"deal": "contract", "hunt": "search"}
_VOYAGES = {"voyage", "mission", "expedition", "flight", "trip", "journey"}
_SPEECH = {"say", "tell", "add", "note", "insist", "quip", "explain", "write", "tweet", "warn", "declare"}
_GENERIC_WORKS = {"movie", "film", "project", "picture", "pic", "series", "show", "book", "album"}
_UNCONFIRMED = re.compile(
    r"yet to be (?:confirmed|announced|set)|not (?:yet )?(?:been )?confirmed|\bTBC\b|to be confirmed"
    r"|postponed|remains? unclear when|(?:is|it's) unclear when|no date (?:has been )?set",
    re.IGNORECASE,
)
# Money is a fact only when the words around it say what it pays for.
_MONEY_SLOTS = [
    (re.compile(r"\bbudget|\b(?:film|movie|epic|blockbuster|production)\b", re.I), "budget"),
    (re.compile(r"\b(?:cost|costs|repairs?)\b", re.I), "cost"),
    (re.compile(r"\bcompensation\b", re.I), "compensation"),
    (re.compile(r"\b(?:salary|wages?|a year|per year|annually)\b", re.I), "salary"),
    (re.compile(r"\bgrants?\b", re.I), "grant"),
    (re.compile(r"\bbonds?\b", re.I), "bond"),
    (re.compile(r"\b(?:raised|fund|fundraiser|donations?)\b", re.I), "funds raised"),
    (re.compile(r"\b(?:damage|losses)\b", re.I), "damage"),
]
# Verbs that say what a count of people counts: "injuring 14 people" is a count of the injured.
_COUNTED = {
    "injure": "injured", "hurt": "injured", "wound": "injured", "kill": "dead", "die": "dead",
    "employ": "employees", "evacuate": "evacuated", "rescue": "rescued", "arrest": "arrested",
    "displace": "displaced", "hospitalize": "hospitalised", "hospitalise": "hospitalised",
}  # fmt: skip
_TIME_UNITS = {"day", "week", "month", "year", "hour", "minute", "second", "time", "percent", "%", "point"}
_RATE = re.compile(r"^\s+(?:a|an|per|each)\s+(day|week|month|year)\b", re.IGNORECASE)
# "risen to $4.1 million, up from the $3.2 million": the report itself calls the second value the old one.
_FORMER = re.compile(
    r"\b(?:(?:up|down|rising|falling|risen|fallen)\s+from|originally|previously)(?:\s+the)?\s*$",
    re.IGNORECASE,
)
_NEAR = 80  # characters between an event word and its date
_CLAUSE_BREAK = re.compile(r";\s+|\s+[—–]\s+|\s+-\s+")
_SAID_ON = re.compile(r"\b(?:said|says|told|announced|reported)\s+(?:on\s+)?$", re.IGNORECASE)
_QUOTE = re.compile(r"“([^”\n]+)”|\"([^\"\n]+)\"|‘([^’\n]{20,})’")


@dataclass
class Fact:
    id: str
    subject: str
    slot: str
    kind: str
    value: str
    status: str
    outlets: int
    evidence: list[Evidence]
    values: list[str]


@dataclass(frozen=True)
class SlotDate:
    """A report's statement of when a fact's event happens, as written ("lift off next month"): the
    expression may need the report's publication date to resolve, which is what dating looks for."""

    article_id: str
    subject: str
    slot: str
    mention: DateMention


@dataclass
class _Claim:
    """One report's statement of a value; subject None means "the story's main event". A date claim keeps
    its expression (`mention`); its value is empty while the expression cannot be placed."""

    article: Article
    subject: str | None
    slot: str
    kind: str
    value: str
    span: Span
    mention: DateMention | None = None


class _Reader:
    """Per-article state: the parse, entity mentions and the works people are linked to."""

    def __init__(self, article: Article, doc: Doc, index, works: dict[str, str]) -> None:
        self.article, self.doc, self.works = article, doc, works
        self.mentions = sorted(index.get(article.id, []), key=lambda m: m[0])
        self.sents = sentences(article.text)
        # The entity at each character a mention covers (the first mention's, as they are read in order).
        self._at: dict[int, Entity] = {}
        for start, end, entity in reversed(self.mentions):
            self._at.update(dict.fromkeys(range(start, end), entity))

    def entity(self, tok: Token) -> Entity | None:
        return self._at.get(tok.idx)

    def sentence(self, offset: int) -> Span:
        for s in self.sents:
            if s.start <= offset < s.end:
                return s
        return Span(0, len(self.article.text), self.article.text)

    def tokens(self, span: Span) -> list[Token]:
        cs = self.doc.char_span(span.start, span.end, alignment_mode="expand")
        return list(cs) if cs is not None else []

    def anchor(self, tok: Token) -> str | None:
        """The entity an event belongs to: subject or owner of the event word, or of the words above it
        within the same clause. Of joint subjects ("the director and the star") one known to make a work
        stands for the work."""
        node: Token | None = tok
        while node is not None:
            for child in node.children:
                if child.dep_ in ("nsubj", "nsubjpass", "poss"):
                    owners = [child, *child.conjuncts, *(c for c in child.children if c.dep_ == "poss")]
                    found = [e for t in owners
                             if (e := self.entity(t)) and e.type in ("person", "work", "organisation")]
                    if found:
                        entity = next((e for e in found if e.name in self.works), found[0])
                        return self.works.get(entity.name, entity.name)
            inside = node.dep_ in ("xcomp", "prep", "pobj", "compound", "amod", "nummod", "npadvmod")
            node = node.head if inside and node.head.i != node.i else None
        return None

    def recent_work(self, offset: int) -> str | None:
        """The work last named before `offset` in the same paragraph ("the movie" refers to it)."""
        para_start = self.article.text.rfind("\n", 0, offset) + 1
        found = [e for s, _, e in self.mentions if para_start <= s < offset and e.type == "work"]
        return max(found, key=lambda e: len(e.articles)).name if found else None


def extract_facts(
    articles: Sequence[Article], entities: Sequence[Entity], docs: dict[str, Doc] | None = None
) -> list[Fact]:
    """Typed facts of a story, aligned across reports and labelled; most widely reported first."""
    readers, roles = _readers(articles, entities, docs)
    claims = list(roles)
    for reader in readers:
        claims += (_dates(reader) + _durations(reader) + _money(reader) + _counts(reader) + _ages(reader)
                   + _quotes(reader))
    claims = [c for c in claims if c.value]
    _share_subjects([c for c in claims if c.kind in ("money", "duration")], readers)
    facts = [_fact(group) for group in _align(claims, _default_subject(entities, articles))]
    facts.sort(key=lambda f: (-f.outlets, -len(f.evidence), f.subject, f.slot))
    return facts


def slot_dates(
    articles: Sequence[Article], entities: Sequence[Entity], docs: dict[str, Doc] | None = None
) -> list[SlotDate]:
    """Every statement of when an event of the story happens, with its canonical subject and slot, whether
    or not it resolves yet: the same fact stated in several reports ties their dates together."""
    readers, _ = _readers(articles, entities, docs)
    default = _default_subject(entities, articles)
    return [SlotDate(c.article.id, c.subject or default, c.slot, c.mention)
            for reader in readers for c in _dates(reader) if c.mention is not None]


def _readers(
    articles: Sequence[Article], entities: Sequence[Entity], docs: dict[str, Doc] | None
) -> tuple[list[_Reader], list[_Claim]]:
    """A reader per article, knowing which work each person directs or stars in, and the role claims."""
    docs = docs if docs is not None else parse_articles(articles)
    index = entity_index(entities)
    readers = [_Reader(a, docs[a.id], index, {}) for a in articles]
    roles = [c for r in readers for c in _roles(r)]
    works = {c.value: c.subject for c in roles if c.slot in ("director", "star") and c.subject}
    for reader in readers:
        reader.works = works
    return readers, roles


def _default_subject(entities: Sequence[Entity], articles: Sequence[Article]) -> str:
    """Whom a claim with no named subject is about: the story's most reported work, else its most salient
    entity, unless that is a place and the headlines name another (the bridge that closes, not the river
    under it)."""
    work = next((e.name for e in entities if e.type == "work"), None)
    if work or not entities or entities[0].type != "place":
        return work or (entities[0].name if entities else "story")
    titles = [a.title for a in articles if a.title]
    named = [(sum(e.name in t for t in titles), -i) for i, e in enumerate(entities) if e.type != "other"]
    best = max(named, default=(0, 0))
    return entities[-best[1]].name if best[0] else entities[0].name


def _share_subjects(claims: list[_Claim], readers: list[_Reader]) -> None:
    """The same sum for the same thing, given to two subjects that a report names in one sentence, is one
    fact: "Cruise's $200 million film" and "Liman's $200 million film" are the same film."""
    together: set[frozenset[str]] = set()
    for reader in readers:
        for sent in reader.sents:
            names = {e.name for s, _, e in reader.mentions if sent.start <= s < sent.end}
            together.update(frozenset((a, b)) for a in names for b in names if a < b)
    counts = Counter(c.subject for c in claims)
    for a in claims:
        for b in claims:
            if (a.slot, a.value) == (b.slot, b.value) and frozenset((a.subject, b.subject)) in together:
                keep = max((a.subject, b.subject), key=lambda n: (counts[n], n or ""))
                a.subject = b.subject = keep


def _triggers(tokens: list[Token]) -> list[tuple[Token, str]]:
    found = []
    for t in tokens:
        lemma = t.lemma_.lower()
        slot = next((s for s, words_ in EVENTS.items() if lemma in words_), None)
        if slot is None and lemma in _OFF_VERBS and any(c.lower_ == "off" for c in t.children):
            slot = _OFF_VERBS[lemma]
        if slot is None and lemma in ("start", "begin") and _about_voyage(t):
            slot = "launch"
        if slot:
            found.append((t, slot))
    return found


def _about_voyage(tok: Token) -> bool:
    """ "the start of the expedition", "a mission scheduled to begin": start of a voyage, not of training."""
    near = [tok.head, tok.head.head, *tok.children, *(g for c in tok.children for g in c.children)]
    return any(t.lemma_.lower() in _VOYAGES for t in near)


def _dates(reader: _Reader) -> list[_Claim]:
    """When an event happened or is due (the date written nearest its event word), and explicit "not yet
    confirmed" statements of its date in the event's own clause. Negated events ("will not reopen in
    June") state no date; an expression that needs the report's unknown date gives an empty value."""
    out: list[_Claim] = []
    article, text = reader.article, reader.article.text
    mentions = date_mentions(text, doc=reader.doc)
    for sent in reader.sents:
        triggers = _triggers(reader.tokens(sent))
        if not triggers:
            continue
        tok, slot = triggers[0]
        if any(c.dep_ == "neg" for c in tok.children) or (slot in _PERFORMED and _other_object(reader, tok)):
            continue
        clause = _clause_span(sent, tok.idx)
        near = [(abs(m.span.start - tok.idx), m.span.start, m, _nearest_year(m, article)) for m in mentions
                if sent.start <= m.span.start < sent.end and _near(m.span, tok.idx, clause)
                and not _SAID_ON.search(text[max(sent.start, m.span.start - 20) : m.span.start])]
        near.sort(key=lambda n: (not n[3], n[0], n[1]))  # placed dates first, then the nearest
        mention = near[0][2] if near else None
        if near:
            value = near[0][3]
        elif _UNCONFIRMED.search(text, clause[0], clause[1]):
            value = V.UNCONFIRMED
        else:
            continue
        subject = None  # a reopening or an election is the story's own event, whoever speaks of it
        if slot in _PERFORMED:
            subject = reader.anchor(tok) or _previous_subject(reader, sent, people=value == V.UNCONFIRMED)
        if slot == "release" and subject is None:
            continue  # "released from hospital": only a work is released
        out.append(_Claim(article, subject, f"{slot} date", "date", value, sent, mention))
    return out


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


def _near(date: Span, offset: int, clause: tuple[int, int]) -> bool:
    """A date close to the event word, or a little further within the event's own clause."""
    distance = abs(date.start - offset)
    return distance <= _NEAR or (distance <= 2 * _NEAR and clause[0] <= date.start < clause[1])


def _nearest_year(mention: DateMention, article: Article) -> str:
    """The date label of `mention` in `article` ("" when it cannot be placed); "June 12" in a February
    report is the June 12 nearest the report, whatever the verb's tense says."""
    published, precision = article.published, article.published_precision
    resolved = mention.resolve(published, precision)
    expression = mention.span.text
    if published is None or resolved.start is None or re.search(r"\b\d{4}\b", expression):
        return resolved.label
    options = [resolved, *(resolve_date(expression, published, t, precision) for t in ("past", "future"))]
    best = min((r for r in options if r.start), key=lambda r: abs((r.start - published).days))
    return best.label


def _other_object(reader: _Reader, tok: Token) -> bool:
    """ "launched his campaign": the event verb is about something other than the story's subject."""
    obj = _child(tok, "dobj") if tok.pos_ == "VERB" else None
    return obj is not None and reader.entity(obj) is None


def _previous_subject(reader: _Reader, sent: Span, *, people: bool) -> str | None:
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


def _durations(reader: _Reader) -> list[_Claim]:
    """How long something lasts: "a 12-day mission", "spending 12 days in space"."""
    out = []
    for m in V.DURATION.finditer(reader.article.text):
        tok = _token_at(reader, m.start())
        if tok is None:
            continue
        hyphenated = "-" in m.group()
        verb = tok.head.head if tok.head.pos_ == "NOUN" else tok.head
        if not hyphenated and verb.lemma_ not in ("spend", "last", "stay"):
            continue
        sent = reader.sentence(m.start())
        unit = _token_at(reader, m.end() - 1)
        noun = unit.head if unit is not None and hyphenated and unit.head.pos_ == "NOUN" else None
        what = _SAME.get(noun.lemma_, noun.lemma_) if noun is not None else "voyage"
        slot = "duration" if what in _VOYAGES else f"{what} length"
        out.append(_Claim(reader.article, reader.anchor(tok), slot, "duration", V.duration(m), sent))
    return out


def _money(reader: _Reader) -> list[_Claim]:
    """Sums of money, with currency and scale: a budget when the sentence says so."""
    out = []
    for m in V.MONEY.finditer(reader.article.text):
        tok = _token_at(reader, m.start())
        if tok is None:
            continue
        sent = reader.sentence(m.start())
        slot = _money_slot(reader.article.text, sent, m.start(), m.end())
        if slot and not _FORMER.search(reader.article.text[max(sent.start, m.start() - 30) : m.start()]):
            subject = reader.anchor(tok) or _sentence_entity(reader, sent)
            out.append(_Claim(reader.article, subject, slot, "money", V.money(m), sent))
    return out


def _money_slot(text: str, sent: Span, start: int, end: int) -> str | None:
    """What a sum pays for: the slot word written nearest the sum, within a few words of it."""
    lo, hi = max(sent.start, start - 60), min(sent.end, end + 40)
    found = [(min(abs(k.start() + lo - end), abs(k.end() + lo - start)), name)
             for pattern, name in _MONEY_SLOTS for k in pattern.finditer(text[lo:hi])]
    return min(found)[1] if found else None


def _counts(reader: _Reader) -> list[_Claim]:
    """How many people something affected or employs, and rates ("18,000 vehicles a day")."""
    out = []
    for tok in reader.doc:
        noun = tok.head
        if tok.dep_ != "nummod" or not tok.like_num or tok.ent_type_ in ("MONEY", "DATE", "TIME", "PERCENT"):
            continue
        if noun.lemma_.lower() in _TIME_UNITS or noun.pos_ not in ("NOUN", "ADJ", "PROPN", "VERB"):
            continue
        slot = _count_slot(reader, noun)
        if slot:
            sent = reader.sentence(tok.idx)
            out.append(_Claim(reader.article, None, slot, "count", V.number(_number_text(tok)), sent))
    return out


def _number_text(tok: Token) -> str:
    """ "Forty-one" is three tokens; the number is all of them."""
    doc = tok.doc
    if tok.i >= 2 and doc[tok.i - 1].text == "-" and doc[tok.i - 2].lower_ in V.NUMBER_WORDS:
        return doc[tok.i - 2 : tok.i + 1].text
    return tok.text


def _count_slot(reader: _Reader, noun: Token) -> str | None:
    """What a counted noun counts: the verb's label for people ("injured"), else the noun itself."""
    lemma = noun.lemma_.lower()
    if lemma in _COUNTED or noun.lower_ in _COUNTED.values():
        return _COUNTED.get(lemma, noun.lower_)
    verb = noun.head if noun.dep_ in ("dobj", "nsubjpass", "nsubj") else None
    if verb is not None and verb.lemma_.lower() in _COUNTED:
        return _COUNTED[verb.lemma_.lower()]
    described = next((c for c in noun.children if c.dep_ in ("amod", "acl") and c.lemma_.lower() in _COUNTED),
                     None)
    if described is not None:
        return _COUNTED[described.lemma_.lower()]
    rate = _RATE.match(reader.article.text[noun.idx + len(noun.text) :])
    if rate:
        return f"{noun.lower_} per {rate.group(1).lower()}"
    return None


def _ages(reader: _Reader) -> list[_Claim]:
    """ "36-year-old Jane Doe", "the 36-year-old lead actor, Jane Doe", "Jane Doe, a 36-year-old"."""
    out = []
    for m in V.AGE.finditer(reader.article.text):
        sent = reader.sentence(m.start())
        text = reader.article.text
        before = [e for _, end, e in reader.mentions if e.type == "person" and sent.start <= end <= m.start()
                  and re.fullmatch(r",\s*(?:a|an|the)?\s*", text[end : m.start()])]
        after = [e for s, _, e in reader.mentions
                 if m.end() <= s <= m.end() + 40 and s < sent.end and e.type == "person"]
        person = (before or after or [None])[0]
        if person:
            out.append(_Claim(reader.article, person.name, "age", "age", m.group("n"), sent))
    for _, end, person in reader.mentions:
        m = V.AGE_AFTER_NAME.match(reader.article.text[end : end + 12])
        if person.type == "person" and m:
            sent = reader.sentence(end)
            out.append(_Claim(reader.article, person.name, "age", "age", m.group("n"), sent))
    return out


def _roles(reader: _Reader) -> list[_Claim]:
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
            subject_tok = verb.head if verb.dep_ in ("acl", "conj") else _child(verb, "nsubjpass")
        elif tok.dep_ == "dobj" and head.lemma_ == "star":
            slot = "star"
            subject_tok = head.head if head.dep_ in ("acl", "conj", "advcl") else _child(head, "nsubj")
            if head.dep_ == "conj" and subject_tok is not None and subject_tok.dep_ == "acl":
                subject_tok = subject_tok.head
        elif (verb := _role_verb(tok)) is not None:
            slot, subject_tok = ROLE_VERBS[verb.lemma_], _child(verb, "dobj")
            subject = reader.entity(subject_tok) if subject_tok is not None else None
            if subject is not None and subject.type in ("organisation", "work") and subject is not person:
                sent = reader.sentence(tok.idx)
                out.append(_Claim(reader.article, subject.name, slot, "role", person.name, sent))
            continue
        else:
            appos = _child(tok, "appos")
            if appos is not None and appos.lemma_.lower() in PERSON_ROLES:
                slot = " ".join(t.lower_ for t in appos.lefts if t.dep_ in ("compound", "amod")
                                and t.lower_ in TITLES) + " " + appos.lemma_.lower()
                slot = slot.strip()
                of = next((c for c in appos.children if c.lower_ == "of"), None)
                subject_tok = _child(of, "pobj") if of is not None else None
        if slot is None or subject_tok is None:
            continue
        subject = _work_or_entity(reader, subject_tok, person, works_only=slot in ROLE_VERBS.values())
        if subject:
            out.append(_Claim(reader.article, subject, slot, "role", person.name, reader.sentence(tok.idx)))
    return out


def _role_verb(tok: Token) -> Token | None:
    """The role verb a person is the agent of: "X leads the agency", "X, who chairs the board"."""
    if tok.dep_ == "nsubj" and tok.head.lemma_ in ROLE_VERBS and tok.head.pos_ == "VERB":
        return tok.head
    return next((c for c in tok.children if c.dep_ == "relcl" and c.lemma_ in ROLE_VERBS
                 and any(g.dep_ == "nsubj" and g.lower_ in ("who", "that") for g in c.children)), None)


def _work_or_entity(reader: _Reader, tok: Token, person: Entity, *, works_only: bool) -> str | None:
    """The work or organisation `tok`'s phrase names, or the work "the movie" refers back to."""
    allowed = ("work",) if works_only else ("work", "organisation", "other")
    for t in [tok, *(c for c in tok.children if c.dep_ in ("compound", "appos", "poss"))]:
        entity = reader.entity(t)
        if entity is not None and entity is not person and entity.type in allowed:
            return entity.name
    if tok.lemma_.lower() in _GENERIC_WORKS and any(c.lower_ == "the" for c in tok.children):
        return reader.recent_work(tok.idx)
    return None


def _quotes(reader: _Reader) -> list[_Claim]:
    """Quoted statements with the person who said them (resolving "she said" to the last person named)."""
    out = []
    text = reader.article.text
    for m in _QUOTE.finditer(text):
        inner = next(g for g in m.groups() if g is not None)
        if len(words(inner)) < 4:
            continue
        speaker = _speaker(reader, m.start(), m.end())
        if speaker:
            start = m.start() + 1
            out.append(_Claim(reader.article, speaker, "statement", "quote", inner.strip(),
                              Span(start, start + len(inner), inner)))
    return out


def _speaker(reader: _Reader, start: int, end: int) -> str | None:
    """The subject of the nearest speech verb outside the quote, in the same paragraph."""
    text = reader.article.text
    para_start, para_end = text.rfind("\n", 0, start) + 1, text.find("\n", end)
    para_end = len(text) if para_end < 0 else para_end
    verbs = [t for t in reader.tokens(Span(para_start, para_end, "")) if t.lemma_ in _SPEECH
             and not start <= t.idx < end]
    for verb in sorted(verbs, key=lambda t: min(abs(t.idx - start), abs(t.idx - end))):
        subj = _child(verb, "nsubj")
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


def _child(tok: Token | None, dep: str) -> Token | None:
    return next((c for c in tok.children if c.dep_ == dep), None) if tok is not None else None


def _token_at(reader: _Reader, offset: int) -> Token | None:
    span = reader.doc.char_span(offset, offset + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def _sentence_entity(reader: _Reader, sent: Span) -> str | None:
    """The first person or work a sentence names, other than the one speaking ("X said")."""
    for tok in reader.tokens(sent):
        if (tok.head.lemma_ in _SPEECH and tok.dep_ == "nsubj") or (tok.head.head.lemma_ in _SPEECH and (
                tok.dep_ == "compound" and tok.head.dep_ == "nsubj")):
            continue
        entity = reader.entity(tok)
        if entity and entity.type in ("person", "work"):
            return reader.works.get(entity.name, entity.name)
    return None


def _align(claims: list[_Claim], default: str) -> list[list[_Claim]]:
    """Group claims by subject and slot, quotes by speaker and wording; claims with no named subject
    are about the story's main subject (its most reported work, else its most salient entity)."""
    groups: dict[tuple[str, str], list[_Claim]] = defaultdict(list)
    quotes: list[list[_Claim]] = []
    for c in claims:
        if c.kind == "quote":
            _add_quote(quotes, c)
        elif c.subject is not None:
            groups[(c.subject, c.slot)].append(c)
    for c in claims:
        if c.subject is None:
            c.subject = default
            groups[(default, c.slot)].append(c)
    return [*groups.values(), *quotes]


def _add_quote(quotes: list[list[_Claim]], claim: _Claim) -> None:
    mine = {w.lower() for w in words(claim.value)}
    for group in quotes:
        theirs = {w.lower() for w in words(group[0].value)}
        if group[0].subject == claim.subject and len(mine & theirs) >= 0.6 * min(len(mine), len(theirs)):
            group.append(claim)
            return
    quotes.append([claim])


def _source(article: Article) -> str:
    return article.outlet or article.id


def _period(article: Article) -> tuple[dt.date, dt.date]:
    """First and last day the report may have appeared on (undated: any time)."""
    if article.published is None:
        return dt.date.min, dt.date.max
    if article.published_precision == "month":
        nxt = (article.published.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return article.published, nxt - dt.timedelta(days=1)
    return article.published, article.published


def _fact(claims: list[_Claim]) -> Fact:
    claims = sorted(claims, key=lambda c: (_period(c.article)[0], c.span.start))
    classes: list[list[_Claim]] = []
    reps: list[str] = []
    for c in claims:
        i = next((i for i, r in enumerate(reps) if c.kind == "quote" or V.compatible(r, c.value)), None)
        if i is None:
            classes.append([c])
            reps.append(c.value)
        else:
            classes[i].append(c)
            reps[i] = reps[i] if c.kind == "quote" else V.finer(reps[i], c.value)
    outlets = [len({_source(c.article) for c in cls}) for cls in classes]
    best = max(range(len(classes)), key=lambda i: (outlets[i], -i))
    status = "corroborated" if outlets[best] >= 2 else "single-source"
    if len(classes) > 1:
        best, status = _change(claims, classes)
    first = claims[0]
    digest = hashlib.blake2b(f"{first.subject}|{first.slot}|{reps[0]}".encode(), digest_size=5).hexdigest()
    evidence = [
        Evidence(c.article.id, c.span.text, c.span.start, c.span.end, c.article.outlet, c.article.published,
                 c.value)
        for c in claims
    ]
    return Fact("f" + digest, first.subject or "", first.slot, first.kind, reps[best], status, outlets[best],
                evidence, list(dict.fromkeys(c.value for c in claims)))


def _change(claims: list[_Claim], classes: list[list[_Claim]]) -> tuple[int, str]:
    """Updated when every latest report agrees on a value the earliest reports did not give; else
    conflicting (the value most outlets give wins)."""
    which = {id(c): i for i, cls in enumerate(classes) for c in cls}
    dated = [c for c in claims if c.article.published]
    if dated and _period(dated[0].article)[1] < _period(dated[-1].article)[0]:
        first, last = _period(dated[0].article)[0], _period(dated[-1].article)[0]
        latest = {which[id(c)] for c in dated if _period(c.article)[0] == last}
        earliest = {which[id(c)] for c in dated if _period(c.article)[0] == first}
        if len(latest) == 1 and not latest & earliest:
            return latest.pop(), "updated"
    outlets = [len({_source(c.article) for c in cls}) for cls in classes]
    return max(range(len(classes)), key=lambda i: (outlets[i], -i)), "conflicting"
