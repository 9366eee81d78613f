"""What every claim reader reads of one article: its parse, sentences, entity mentions and the works people
are linked to; and the `Claim` each reader returns."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from storydesk.analysis.facts.sources import cited_source, quote_spans
from storydesk.analysis.temporal.expressions import DateMention
from storydesk.config import FactsConfig
from storydesk.model import Article, Attribution, Entity, FactKind, Span, TextPart

#: Verbs that attribute speech ("X said", "X told reporters", "X described it as ...").
SPEECH_VERBS = {
    "say", "tell", "add", "note", "insist", "quip", "explain", "write", "tweet", "warn", "declare", "ask",
    "reply", "recall", "admit", "acknowledge", "announce", "state", "claim", "argue", "promise", "describe",
    "continue", "urge", "joke", "concede", "remark", "post", "call",
}  # fmt: skip


@dataclass
class Claim:
    """One report's statement of a value; subject None means "the story's main event". A date claim keeps
    its expression (`mention`); its value is empty while the expression cannot be placed."""

    article: Article
    subject: str | None
    slot: str
    kind: FactKind
    value: str
    span: Span
    mention: DateMention | None = None
    #: Where the value itself is written, when the reader knows (else the sentence stands for it).
    at: int | None = None
    #: Where in the report it stands and whom the report cites for it (set once read: `annotate`).
    part: TextPart = "body"
    via: str | None = None
    #: Sentences before the claim's in its report (how early the report says it).
    rank: int = 0
    #: A quotation's attribution (statements only).
    attribution: Attribution | None = None
    #: An event's parts: actor, action, object, place, time, with.
    parts: dict[str, str] | None = None


def entity_index(entities: Iterable[Entity]) -> dict[str, list[tuple[int, int, Entity]]]:
    """Mentions by article, for mapping a character range back to its canonical entity."""
    index: dict[str, list[tuple[int, int, Entity]]] = defaultdict(list)
    for entity in entities:
        for m in entity.mentions:
            index[m.article_id].append((m.start, m.end, entity))
    return index


class Reader:
    """Per-article state: the parse, sentences, date mentions, entity mentions and the works people are
    linked to."""

    def __init__(
        self,
        article: Article,
        doc: Doc,
        sents: list[Span],
        dates: list[DateMention],
        index: dict[str, list[tuple[int, int, Entity]]],
        config: FactsConfig,
    ) -> None:
        self.article, self.doc, self.sents, self.dates, self.config = article, doc, sents, dates, config
        self.works: dict[str, str] = {}  # work each person directs or stars in, filled once roles are read
        self.titled: dict[str, str] = {}  # the one person of the story holding each title ("mayor")
        self.index = index
        #: Character ranges of the report's quotations.
        self.quoted = quote_spans(article.text)
        self._via: dict[int, str | None] = {}
        self.mentions = sorted(index.get(article.id, []), key=lambda m: m[0])
        # The entity at each character a mention covers (the first mention's, as they are read in order).
        self._at: dict[int, Entity] = {}
        for start, end, entity in reversed(self.mentions):
            self._at.update(dict.fromkeys(range(start, end), entity))

    def entity(self, tok: Token) -> Entity | None:
        return self._at.get(tok.idx)

    def in_quote(self, offset: int) -> bool:
        return any(s <= offset < e for s, e in self.quoted)

    def via(self, sent: Span) -> str | None:
        """The source the sentence cites (`sources.cited_source`), read once per sentence."""
        if sent.start not in self._via:
            self._via[sent.start] = cited_source(self, sent)
        return self._via[sent.start]

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


def child(tok: Token | None, dep: str) -> Token | None:
    return next((c for c in tok.children if c.dep_ == dep), None) if tok is not None else None


def token_at(reader: Reader, offset: int) -> Token | None:
    span = reader.doc.char_span(offset, offset + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def sentence_entity(reader: Reader, sent: Span) -> str | None:
    """The first person or work a sentence names, other than the one speaking ("X said")."""
    for tok in reader.tokens(sent):
        speaker = tok.head.lemma_ in SPEECH_VERBS and tok.dep_ == "nsubj"
        if speaker or (tok.head.head.lemma_ in SPEECH_VERBS and (
                tok.dep_ == "compound" and tok.head.dep_ == "nsubj")):
            continue
        entity = reader.entity(tok)
        if entity and entity.type in ("person", "work"):
            return reader.works.get(entity.name, entity.name)
    return None
