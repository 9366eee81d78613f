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

    config = config or Config()
    report = progress or _no_progress
    groups, rejected = prepare(paths, config, stdin=stdin, progress=report, include_hidden=include_hidden,
                               jobs=jobs)
    stories = analyse_stories(groups, config, jobs=jobs, progress=lambda i, n: report("analyse", i, n))
    return RunResult(stories=stories, rejected=rejected)


def prepare(
    paths: Sequence[str],
    config: Config,
    *,
    stdin: IO[Any] | None = None,
    progress: ProgressHook | None = None,
    include_hidden: bool = False,
    jobs: int | None = None,
) -> tuple[list[list[Article]], list[Rejected]]:
    """Everything of `run` before the per-story analysis: the stories' article groups and the rejected
    inputs. `storydesk run` then analyses the groups with `engines.local.iter_analysed`, writing each
    story out as it finishes."""
    cleaned, rejected = read_cleaned(paths, config, stdin=stdin, progress=progress,
                                     include_hidden=include_hidden, jobs=jobs)
    return group_cleaned(cleaned, config), rejected


def read_cleaned(
    paths: Sequence[str],
    config: Config | None = None,
    *,
    stdin: IO[Any] | None = None,
    progress: ProgressHook | None = None,
    include_hidden: bool = False,
    jobs: int | None = None,
) -> tuple[list[Article], list[Rejected]]:
    """The cleaned articles of `paths` and the rejections (those of reading first, then those of cleaning,
    each in input order), read over `jobs` processes (`engines.local.iter_cleaned`; the same for any
    number). Each article is cleaned as soon as it is read, so a run never holds the raw and the cleaned
    text of a whole corpus at once; an article whose cleaning fails is rejected (stage "clean")."""
    from storydesk.engines.local import iter_cleaned

    config = config or Config()
    report = progress or _no_progress
    cleaned: list[Article] = []
    unread: list[Rejected] = []
    unclean: list[Rejected] = []
    items = iter_cleaned(paths, config, jobs=jobs, stdin=stdin, include_hidden=include_hidden)
    for n, item in enumerate(items, 1):
        report("read", n, 0)
        if isinstance(item, Article):
            cleaned.append(item)
        else:
            (unclean if item.stage == "clean" else unread).append(item)
        report("clean", len(cleaned) + len(unclean), 0)
    read = len(cleaned) + len(unclean)
    report("read", read + len(unread), read + len(unread))
    report("clean", read, read)
    return cleaned, unread + unclean


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

