"""One story analysed: brief, entities, dates of undated reports, facts and timeline.

`analyse_story` is a plain function from a story's articles to a `Story`: everything it reads of the
texts is computed once in a `StoryContext` (sentences, one spaCy parse, date mentions), and each stage
returns model objects. Only the articles go in and the `Story` comes out, so it runs the same in-process,
in a worker process or inside Spark.
"""

from __future__ import annotations

from collections.abc import Sequence

from storydesk.analysis.brief import summarize
from storydesk.analysis.context import StoryContext
from storydesk.analysis.entities import extract_entities
from storydesk.analysis.facts import build_facts, read_claims, statements_of
from storydesk.analysis.nlp import ParseCache
from storydesk.analysis.temporal.publication import infer_publication_dates
from storydesk.analysis.timeline import build_timeline
from storydesk.cluster import story_id
from storydesk.config import ClusterConfig, Config
from storydesk.model import Article, Story
from storydesk.text import stems


def analyse_story(
    articles: Sequence[Article], config: Config | None = None, *, parses: ParseCache | None = None
) -> Story:
    """Brief, entities, dates of undated reports, facts and timeline of one story's articles (`parses`:
    sentence parses kept from earlier stories, which change nothing but the time)."""
    ctx = StoryContext(articles, config, parses=parses)
    # The id comes from the grouping's order (dates as the reports give them), before any date is inferred.
    sid, title = story_id(ctx.articles), story_title(ctx.articles, ctx.config.cluster)
    entities = extract_entities(ctx)
    # Dating needs the facts' alignment of statements across reports; facts and timeline need the dates.
    claims = read_claims(ctx, entities)
    ctx = ctx.with_articles(infer_publication_dates(ctx, claims.slot_dates()))
    claims = claims.reread(ctx)
    facts = build_facts(claims, ctx)
    # The brief comes after the fact sheet: it must not state an outdated or disputed value as settled.
    spans = [ctx.sentences(a.id) for a in ctx.articles]
    brief = summarize(ctx.articles, ctx.config.brief, spans=spans, facts=facts)
    return Story(
        id=sid,
        title=title,
        articles=ctx.articles,
        brief=brief,
        entities=entities,
        facts=facts,
        timeline=build_timeline(ctx, facts),
        statements=statements_of(claims, ctx),
    )


def story_title(articles: Sequence[Article], config: ClusterConfig | None = None) -> str:
    """The headline that shares most words with the story's other headlines and texts.

    A representative headline reads better than a generated one and is always a real title.
    """
    config = config or ClusterConfig()
    titled = [a for a in articles if a.title]
    if not titled:
        first, most = articles[0].text.strip().split("\n", 1)[0], config.title_max_chars
        return first if len(first) <= most else first[: most - 3].rsplit(" ", 1)[0] + "…"
    vocab = [set(stems(f"{a.title} {a.text[: config.title_lead_chars]}")) for a in articles]

    def support(article: Article) -> tuple[int, str]:
        words = set(stems(article.title or ""))
        return (sum(len(words & v) for v in vocab), article.id)

    return max(titled, key=support).title or ""
