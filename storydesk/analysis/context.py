"""One story's articles with what the per-story stages read of them, each computed once.

Every article's text is split into sentences once, the spaCy parse runs once over all of them (tagger and
parser only on sentences that may state a fact, names only where a name can be), date mentions take their
tense from that parse, and the dated clauses come from those mentions. Stages read the context and return
model objects. The context stays in the process that analyses the story: what crosses a process boundary
is the story's `Article`s in and its `Story` out, never a spaCy Doc.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING

from storydesk.analysis.nlp import ParseCache, may_carry_fact, parse
from storydesk.analysis.temporal.events import EventMention, event_mentions
from storydesk.analysis.temporal.expressions import DateMention, date_mentions
from storydesk.config import Config
from storydesk.model import Article, Span
from storydesk.text import sentences

if TYPE_CHECKING:
    from spacy.tokens import Doc


class StoryContext:
    """The articles of one story, their sentences, parses, date mentions and dated clauses (lazily, once)."""

    def __init__(
        self, articles: Sequence[Article], config: Config | None = None, *, parse: bool = True,
        parses: ParseCache | None = None,
    ) -> None:
        self.articles = list(articles)
        self.config = config or Config()
        #: Whether tense comes from a spaCy parse (else from the cheap reader of auxiliaries, for stages that
        #: read hundreds of reports and need no names).
        self.parse = parse
        #: Sentence parses kept from earlier stories (`nlp.ParseCache`), or None.
        self.parses = parses
        self._sentences: dict[str, list[Span]] = {}
        self._dates: dict[str, list[DateMention]] = {}
        self._events: dict[str, list[EventMention]] = {}

    def with_articles(self, articles: Sequence[Article]) -> StoryContext:
        """The same story with updated metadata (dates inferred by a stage); what was computed from the
        texts is kept, so the texts must be the same."""
        if [a.id for a in articles] != [a.id for a in self.articles]:
            raise ValueError("with_articles takes the same articles (same ids, same order)")
        other = StoryContext(articles, self.config, parse=self.parse, parses=self.parses)
        other._sentences, other._dates, other._events = self._sentences, self._dates, self._events
        if "docs" in self.__dict__:
            other.__dict__["docs"] = self.docs
        return other

    def article(self, article_id: str) -> Article:
        return self._by_id[article_id]

    @cached_property
    def _by_id(self) -> dict[str, Article]:
        return {a.id: a for a in self.articles}

    def sentences(self, article_id: str) -> list[Span]:
        """The article's sentences with exact offsets (`storydesk.text.sentences`)."""
        found = self._sentences.get(article_id)
        if found is None:
            found = self._sentences[article_id] = sentences(self.article(article_id).text)
        return found

    @cached_property
    def docs(self) -> dict[str, Doc]:
        """One spaCy pass over all the story's articles, by article id."""
        nlp = self.config.nlp
        texts = [a.text for a in self.articles]
        spans = [self.sentences(a.id) for a in self.articles]
        parsed = parse(texts, spans=spans, full=may_carry_fact, model=nlp.model, batch_size=nlp.batch_size,
                       cache=self.parses)
        return dict(zip((a.id for a in self.articles), parsed, strict=True))

    def doc(self, article_id: str) -> Doc:
        return self.docs[article_id]

    def dates(self, article_id: str) -> list[DateMention]:
        """Every date expression of the article, with the tense of its verb from the parse."""
        found = self._dates.get(article_id)
        if found is None:
            found = self._dates[article_id] = date_mentions(
                self.article(article_id).text,
                doc=self.doc(article_id) if self.parse else None,
                spans=self.sentences(article_id),
                config=self.config.temporal,
            )
        return found

    def events(self, article_id: str) -> list[EventMention]:
        """The article's date mentions with the clauses they date (datelines and stamps left out)."""
        found = self._events.get(article_id)
        if found is None:
            found = self._events[article_id] = event_mentions(
                self.article(article_id), self.dates(article_id), self.sentences(article_id),
                self.config.timeline,
            )
        return found
