"""The whole path from a pile of reports to stories: ingest → clean → dedup → cluster → per-story analysis.

Each step is a stage function over the model's types; this module only composes them and reports
progress. Interfaces (CLI, store, reports) call `run` and stay out of the stages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TextIO

from storydesk.config import Config
from storydesk.model import Article, RunResult

#: Called as progress(stage, done, total) while a run advances; total is 0 while still unknown.
ProgressHook = Callable[[str, int, int], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


def run(
    paths: Sequence[str],
    *,
    config: Config | None = None,
    stdin: TextIO | None = None,
    progress: ProgressHook | None = None,
) -> RunResult:
    """Read, clean, de-duplicate and group `paths`; brief and fact-check each story."""
    from storydesk.analysis.story import analyse_story
    from storydesk.ingest import read_inputs

    config = config or Config()
    report = progress or _no_progress
    raw, rejected = read_inputs(paths, config=config, stdin=stdin, progress=lambda n: report("read", n, 0))
    report("read", len(raw) + len(rejected), len(raw) + len(rejected))
    groups = group_articles(raw, config, progress=report)
    stories = []
    for i, group in enumerate(groups, 1):
        stories.append(analyse_story(group, config))
        report("analyse", i, len(groups))
    return RunResult(stories=stories, rejected=rejected)


def group_articles(
    articles: Sequence[Article], config: Config | None = None, *, progress: ProgressHook | None = None
) -> list[list[Article]]:
    """Clean, de-duplicate and group extracted articles into stories (what `run` does before analysis)."""
    from storydesk.clean import clean_article
    from storydesk.cluster import group_stories
    from storydesk.dedup import collapse_duplicates
    from storydesk.text import Lexicon

    config = config or Config()
    report = progress or _no_progress
    cleaned = []
    for i, article in enumerate(articles, 1):
        cleaned.append(clean_article(article, config.clean))
        report("clean", i, len(articles))
    lexicon = Lexicon()  # shared, so each article is tokenised once
    deduplicated = collapse_duplicates(cleaned, config.dedup, lexicon=lexicon)
    return group_stories(deduplicated, config.cluster, lexicon=lexicon)

