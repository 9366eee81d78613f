"""The whole path from a pile of reports to stories: ingest → clean → dedup → cluster → per-story analysis.

Each step is a stage function over plain data; this module only composes them, reports progress, and
picks a story title. Interfaces (CLI, store, reports) call `run` and stay out of the stages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TextIO

from storydesk.model import Article, RunResult, Story

#: Called as progress(stage, done, total) while a run advances; total is 0 while still unknown.
ProgressHook = Callable[[str, int, int], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


def run(
    paths: Sequence[str],
    *,
    stdin: TextIO | None = None,
    max_words: int = 120,
    progress: ProgressHook | None = None,
) -> RunResult:
    """Read, clean, de-duplicate and group `paths`; brief and fact-check each story."""
    from storydesk.clean import clean_article
    from storydesk.cluster import group_stories
    from storydesk.dedup import collapse_duplicates
    from storydesk.ingest import read_inputs

    report = progress or _no_progress
    raw, rejected = read_inputs(paths, stdin=stdin, progress=lambda n: report("read", n, 0))
    report("read", len(raw) + len(rejected), len(raw) + len(rejected))
    articles = []
    for i, article in enumerate(raw, 1):
        articles.append(clean_article(article))
        report("clean", i, len(raw))
    articles = collapse_duplicates(articles)
    groups = group_stories(articles)
    stories = []
    for i, group in enumerate(groups, 1):
        stories.append(analyse_story(group, max_words=max_words))
        report("analyse", i, len(groups))
    return RunResult(stories=stories, rejected=rejected)


def analyse_story(articles: list[Article], *, max_words: int = 120) -> Story:
    """Brief, entities, dates of undated reports, facts and timeline of one story's articles."""
    from storydesk.brief import summarize
    from storydesk.cluster import story_id
    from storydesk.dating import infer_publication_dates
    from storydesk.entities import extract_entities, parse_articles
    from storydesk.facts import extract_facts, slot_dates
    from storydesk.timeline import build_timeline

    # The id comes from the grouping's order (dates as the reports give them), before any date is inferred.
    sid, title, brief = story_id(articles), story_title(articles), summarize(articles, max_words=max_words)
    docs = parse_articles(articles)
    entities = extract_entities(articles, docs=docs)
    # Dating needs the facts' alignment of statements across reports; facts and timeline need the dates.
    stated = slot_dates(articles, entities, docs=docs)
    articles = infer_publication_dates(articles, docs=docs, slot_dates=stated)
    facts = extract_facts(articles, entities, docs=docs)
    return Story(
        id=sid,
        title=title,
        articles=articles,
        brief=brief,
        entities=entities,
        facts=facts,
        timeline=build_timeline(articles, docs=docs, facts=facts),
    )


def story_title(articles: Sequence[Article]) -> str:
    """The headline that shares most words with the story's other headlines and texts.

    A representative headline reads better than a generated one and is always a real title.
    """
    from storydesk.text import stems

    titled = [a for a in articles if a.title]
    if not titled:
        first = articles[0].text.strip().split("\n", 1)[0]
        return first if len(first) <= 100 else first[:97].rsplit(" ", 1)[0] + "…"
    vocab = [set(stems(f"{a.title} {a.text[:600]}")) for a in articles]

    def support(article: Article) -> tuple[int, str]:
        words = set(stems(article.title or ""))
        return (sum(len(words & v) for v in vocab), article.id)

    return max(titled, key=support).title or ""
