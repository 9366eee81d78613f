"""The whole path from a pile of reports to stories: ingest → clean → dedup → cluster → per-story analysis.

Each step is a stage function over the model's types; this module only composes them and reports
progress. Interfaces (CLI, store, reports) call `run` and stay out of the stages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import IO, TYPE_CHECKING, Any

from storydesk.config import Config
from storydesk.model import Article, Rejected, RunResult

if TYPE_CHECKING:
    from storydesk.cluster import Featurize, SpreadRanges
    from storydesk.spill import ArticleSpill
    from storydesk.text import Lexicon

    _Cleaned = list[Article] | ArticleSpill

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
) -> tuple[StoryGroups, list[Rejected]]:
    """Everything of `run` before the per-story analysis: the stories' article groups and the rejected
    inputs. `storydesk run` then analyses the groups with `engines.local.iter_analysed`, writing each
    story out as it finishes. The cleaned articles wait in an `ArticleSpill` (a temporary file), not in
    memory: a run holds positions and sketches, and one batch of stories at a time."""
    from storydesk.spill import ArticleSpill

    cleaned, rejected = read_cleaned(paths, config, stdin=stdin, progress=progress,
                                     include_hidden=include_hidden, jobs=jobs, into=ArticleSpill())
    return group_cleaned(cleaned, config, progress=progress, jobs=jobs), rejected


def read_cleaned(
    paths: Sequence[str],
    config: Config | None = None,
    *,
    stdin: IO[Any] | None = None,
    progress: ProgressHook | None = None,
    include_hidden: bool = False,
    jobs: int | None = None,
    into: _Cleaned | None = None,
) -> tuple[_Cleaned, list[Rejected]]:
    """The cleaned articles of `paths` (appended to `into`: a new list by default) and the rejections
    (those of reading first, then those of cleaning, each in input order), read over `jobs` processes
    (`engines.local.iter_cleaned`; the same for any number). Each article is cleaned as soon as it is
    read, so a run never holds the raw and the cleaned text of a whole corpus at once; an article whose
    cleaning fails is rejected (stage "clean")."""
    from storydesk.engines.local import iter_cleaned

    config = config or Config()
    report = progress or _no_progress
    cleaned: _Cleaned = [] if into is None else into
    unread: list[Rejected] = []
    unclean: list[Rejected] = []
    items = iter_cleaned(paths, config, jobs=jobs, stdin=stdin, include_hidden=include_hidden)
    kept = 0
    for n, item in enumerate(items, 1):
        report("read", n, 0)
        if isinstance(item, Article):
            cleaned.append(item)
            kept += 1
        else:
            (unclean if item.stage == "clean" else unread).append(item)
        report("clean", kept + len(unclean), 0)
    read = kept + len(unclean)
    report("read", read + len(unread), read + len(unread))
    report("clean", read, read)
    return cleaned, unread + unclean


def group_cleaned(
    cleaned: Sequence[Article], config: Config | None = None, *, progress: ProgressHook | None = None,
    jobs: int | None = None,
) -> StoryGroups:
    """De-duplicate and group cleaned articles into stories: the grouping step of `run`, which
    `storydesk eval stories` calls so that it scores exactly what a run groups. Only positions are kept:
    `cleaned` may be an `ArticleSpill`, read from disk as each step needs an article. Progress goes to
    the stages "dedup", "group" and "refine". From `engine.group_workers_from` articles,
    `jobs` processes (default `engine.jobs`: one per core) sketch them and check the candidate copies for
    dedup and featurise them for the grouping (`engines.local.GroupingWorkers`): the same stories."""
    from storydesk.dedup import duplicate_groups
    from storydesk.engines.local import GroupingWorkers, job_count
    from storydesk.text import Lexicon

    config = config or Config()
    lexicon = Lexicon(config.engine.lexicon_texts)  # shared, so that most articles are tokenised once
    report = progress or _no_progress
    workers = job_count(config, jobs) if len(cleaned) >= config.engine.group_workers_from else 1
    with GroupingWorkers(config, workers, lexicon) as pool:
        copies = duplicate_groups(cleaned, config.dedup, lexicon=lexicon, sketch=pool.sketches,
                                  check=pool.copies,
                                  progress=lambda done, total: report("dedup", done, total))
        return group_copies(cleaned, copies, config, lexicon=lexicon, progress=progress, featurize=pool,
                            spread=pool.forked)


def group_copies(
    cleaned: Sequence[Article], copies: list[list[int]], config: Config | None = None, *,
    lexicon: Lexicon | None = None, progress: ProgressHook | None = None, featurize: Featurize | None = None,
    spread: SpreadRanges | None = None,
) -> StoryGroups:
    """Group the articles once their copies are known (`copies`: positions in `cleaned`, each group in
    position order, groups by their first position), one merged article a group: the second half of
    `group_cleaned`, which the Spark engine calls after finding the copies on its workers. `featurize`
    and `spread` (`engines.local.GroupingWorkers`: the workers and `forked`) may featurise the articles
    and refine the stories in other processes: the same stories."""
    from storydesk.cluster import group_story_positions

    config = config or Config()
    stories = group_story_positions(_Merged(cleaned, copies), config.cluster, lexicon=lexicon,
                                    progress=progress or _no_progress, featurize=featurize, spread=spread)
    return StoryGroups(cleaned, copies, stories)


class _Merged(Sequence[Article]):
    """One article per group of copies (`dedup.merge_copies`), merged when it is asked for."""

    def __init__(self, cleaned: Sequence[Article], copies: list[list[int]]) -> None:
        self._cleaned, self._copies = cleaned, copies

    def __len__(self) -> int:
        return len(self._copies)

    def __getitem__(self, index: int) -> Article:  # type: ignore[override] - no slices needed
        from storydesk.dedup import merge_copies

        return merge_copies([self._cleaned[p] for p in self._copies[index]])


class StoryGroups(Sequence[Sequence[Article]]):
    """A run's stories, in grouping order, each a sequence of its de-duplicated articles that knows its
    length at once and reads (and merges) its articles only when they are asked for: a million-report run
    hands its stories to the analysis one batch at a time."""

    def __init__(self, cleaned: Sequence[Article], copies: list[list[int]], stories: list[list[int]]) -> None:
        self._merged = _Merged(cleaned, copies)
        self.copies = copies  #: positions in the cleaned articles, one list a group of copies
        self.stories = stories  #: per story, its merged articles as indices into `copies`

    def __len__(self) -> int:
        return len(self.stories)

    def __getitem__(self, index: int) -> Sequence[Article]:  # type: ignore[override] - no slices needed
        return _Story(self._merged, self.stories[index])


class _Story(Sequence[Article]):
    """One story of `StoryGroups`: its articles' positions in the merged view."""

    def __init__(self, merged: _Merged, members: list[int]) -> None:
        self._merged, self._members = merged, members

    def __len__(self) -> int:
        return len(self._members)

    def __getitem__(self, index: int) -> Article:  # type: ignore[override] - no slices needed
        return self._merged[self._members[index]]
