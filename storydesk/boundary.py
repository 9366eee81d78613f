"""The boundary around every per-input and per-story stage: one bad report never stops a run.

Reports are hostile data. Whatever a stage raises on one input (or one story), or however long it runs
past its CPU budget (`LimitsConfig`), that input becomes a `Rejected` with the stage and the reason, or the
story keeps its articles and lists a `StageError`, and the run goes on with the others.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from storydesk.config import Config
from storydesk.model import Article, Rejected, StageError, Story

#: Longest reason kept from an exception's message (it may quote the report).
_REASON_CHARS = 200


class BudgetExceeded(Exception):
    """A stage ran past its seconds budget."""


@contextmanager
def time_budget(seconds: float, what: str) -> Iterator[None]:
    """Raise `BudgetExceeded` in the block after `seconds` of the process's CPU time (a profiling timer:
    on a loaded machine the budget measures the work, not the wait). Inside another budget the outer one
    governs. Only the main thread of a process can take a signal, so elsewhere (a server's worker thread)
    the block runs unbounded."""
    if (seconds <= 0 or threading.current_thread() is not threading.main_thread()
            or signal.getitimer(signal.ITIMER_PROF)[0] > 0):
        yield
        return

    def overrun(signum: int, frame: object) -> None:
        raise BudgetExceeded(f"{what} took longer than {seconds:g} CPU seconds")

    previous = signal.signal(signal.SIGPROF, overrun)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def reason(error: BaseException) -> str:
    """One line naming what went wrong: the budget's own message, else the exception's type and message."""
    if isinstance(error, BudgetExceeded):
        return str(error)
    text = " ".join(str(error).split())
    if len(text) > _REASON_CHARS:
        text = text[: _REASON_CHARS - 1] + "…"
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def guard_read(
    name: str, items: Iterator[Article | Rejected], config: Config
) -> Iterator[Article | Rejected]:
    """The articles and rejections of one input; if reading it fails or overruns, what was read so far
    and then a rejection of the input."""
    try:
        while True:
            with time_budget(config.limits.read_seconds, "reading"):
                item = next(items, None)
            if item is None:
                return
            yield item
    except Exception as error:  # the boundary: any failure is this input's, not the run's
        yield Rejected(name, f"could not be read: {reason(error)}", "read")


def clean_guarded(article: Article, config: Config) -> Article | Rejected:
    """`clean_article`, or the article's rejection at the clean stage."""
    from storydesk.clean import clean_article

    try:
        return clean_article(article, config.clean, limits=config.limits)
    except Exception as error:  # the boundary
        return Rejected(article.path or article.id, f"cleaning failed: {reason(error)}", "clean")


def analyse_guarded(articles: Sequence[Article], config: Config) -> Story:
    """`analyse_story` within its budget; on a failure the story keeps its articles, id and title, and
    lists the error (stage "analyse") instead of a brief, entities, facts and timeline."""
    from storydesk.analysis.story import analyse_story, story_title
    from storydesk.cluster import story_id

    seconds = config.limits.seconds_per_report * len(articles)
    try:
        with time_budget(seconds, f"analysing this story of {len(articles)} report(s)"):
            return analyse_story(articles, config)
    except Exception as error:  # the boundary
        failure = StageError("analyse", reason(error))
    try:
        title = story_title(articles, config.cluster)
    except Exception:  # a title is not worth losing the story for
        title = articles[0].title or articles[0].id
    return Story(id=story_id(articles), title=title, articles=list(articles), errors=[failure])
