"""The whole path from a pile of reports to stories: ingest → clean → dedup → cluster → per-story analysis.

Each step is a stage function over the model's types; this module only composes them and reports
progress. Interfaces (CLI, store, reports) call `run` and stay out of the stages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import IO, Any

from storydesk.config import Config
from storydesk.model import Article, Rejected, RunResult

#: Called as progress(stage, done, total) while a run advances; total is 0 while still unknown.
ProgressHook = Callable[[str, int, int], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


def run(
    paths: Sequence[str],
    *,
    config: Config | None = None,
    stdin: IO[Any] | None = None,
    progress: ProgressHook | None = None,
    jobs: int | None = None,
    include_hidden: bool = False,
) -> RunResult:
    """Read, clean, de-duplicate and group `paths`; brief and fact-check each story, over `jobs` worker
    processes (default `config.engine.jobs`: one per core; the stories are the same for any number). Each
    input and each story runs inside the boundary (`storydesk.boundary`): a failure is that input's
    rejection or that story's error, never the run's."""
    from storydesk.engines.local import analyse_stories
    from storydesk.ingest import read_inputs

    config = config or Config()
    report = progress or _no_progress
    raw, rejected = read_inputs(paths, config=config, stdin=stdin, progress=lambda n: report("read", n, 0),
                                include_hidden=include_hidden)
    report("read", len(raw) + len(rejected), len(raw) + len(rejected))
    groups = group_articles(raw, config, progress=report, rejected=rejected)
    stories = analyse_stories(groups, config, jobs=jobs, progress=lambda i, n: report("analyse", i, n))
    return RunResult(stories=stories, rejected=rejected)


def group_articles(
    articles: Sequence[Article],
    config: Config | None = None,
    *,
    progress: ProgressHook | None = None,
    rejected: list[Rejected] | None = None,
) -> list[list[Article]]:
    """Clean, de-duplicate and group extracted articles into stories (what `run` does before analysis); an
    article whose cleaning fails goes to `rejected` (stage "clean")."""
    from storydesk.boundary import clean_guarded

    config = config or Config()
    report = progress or _no_progress
    cleaned = []
    for i, article in enumerate(articles, 1):
        done = clean_guarded(article, config)
        if isinstance(done, Article):
            cleaned.append(done)
        elif rejected is not None:
            rejected.append(done)
        report("clean", i, len(articles))
    return group_cleaned(cleaned, config)


def group_cleaned(cleaned: Sequence[Article], config: Config | None = None) -> list[list[Article]]:
    """De-duplicate and group cleaned articles into stories: the grouping step of `run`, which
    `storydesk eval stories` calls so that it scores exactly what a run groups."""
    from storydesk.cluster import group_stories
    from storydesk.dedup import collapse_duplicates
    from storydesk.text import Lexicon

    config = config or Config()
    lexicon = Lexicon()  # shared, so each article is tokenised once
    deduplicated = collapse_duplicates(list(cleaned), config.dedup, lexicon=lexicon)
    return group_stories(deduplicated, config.cluster, lexicon=lexicon)

