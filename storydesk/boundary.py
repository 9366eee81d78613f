"""The boundary around every per-input and per-story stage: one bad report never stops a run.

Reports are hostile data. Whatever a stage raises on one input (or one story), or however long it runs
past its CPU budget (`LimitsConfig`), that input becomes a `Rejected` with the stage and the reason, or the
story keeps its articles and lists a `StageError`, and the run goes on with the others.
"""

from __future__ import annotations

import ctypes
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storydesk.config import Config
from storydesk.model import Article, Rejected, StageError, Story

if TYPE_CHECKING:
    from storydesk.analysis.nlp import ParseCache

#: Longest reason kept from an exception's message (it may quote the report).
_REASON_CHARS = 200


class BudgetExceeded(Exception):
    """A stage ran past its seconds budget."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "a stage ran past its CPU seconds budget"


@contextmanager
def time_budget(seconds: float, what: str) -> Iterator[None]:
    """Raise `BudgetExceeded` in the block after `seconds` of CPU time. Inside another budget of the same
    thread the outer one governs. In the main thread the clock is the process's (a profiling timer and its
    signal: on a loaded machine the budget measures the work, not the wait); in any other thread (a
    server's worker thread, where no signal can be taken) it is that thread's own CPU clock, watched by
    `_THREADS`. Either way the exception arrives between two Python bytecodes, so a single long C call
    (one regex match, one parser call) finishes first."""
    message = f"{what} took longer than {seconds:g} CPU seconds"
    if seconds <= 0:
        yield
    elif threading.current_thread() is threading.main_thread():
        with _process_budget(seconds, message):
            yield
    else:
        with _THREADS.budget(seconds, message):
            yield


@contextmanager
def _process_budget(seconds: float, message: str) -> Iterator[None]:
    if signal.getitimer(signal.ITIMER_PROF)[0] > 0:  # an outer budget governs
        yield
        return

    def overrun(signum: int, frame: object) -> None:
        raise BudgetExceeded(message)

    previous = signal.signal(signal.SIGPROF, overrun)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


@dataclass
class _ThreadBudget:
    clock: int  # the thread's CPU clock (clock_gettime id)
    deadline: float  # on that clock
    fired: bool = False


class _ThreadBudgets:
    """CPU-time budgets of threads other than the main one. One daemon watchdog thread per process sleeps
    until the nearest deadline could be due (a thread's CPU time grows no faster than the wall clock), reads
    the thread's CPU clock, and when a budget is spent raises `BudgetExceeded` in that thread
    (`PyThreadState_SetAsyncExc`, which CPython documents for this). Where the OS has no per-thread CPU
    clock (not Linux or BSD) the block runs unbounded."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._active: dict[int, _ThreadBudget] = {}  # thread ident -> its outermost budget
        self._watchdog: threading.Thread | None = None

    @contextmanager
    def budget(self, seconds: float, message: str) -> Iterator[None]:
        ident = threading.get_ident()
        clock = _thread_clock(ident)
        with self._changed:
            outer = ident in self._active or clock is None
            if not outer:
                budget = self._active[ident] = _ThreadBudget(clock, time.clock_gettime(clock) + seconds)
                self._start()
                self._changed.notify()
        if outer:
            yield
            return
        overran = False
        try:
            yield
        except BudgetExceeded:
            overran = True
        finally:
            while True:  # the watchdog's one exception may land anywhere in here: take it and go on
                try:
                    with self._changed:
                        self._active.pop(ident, None)
                    if budget.fired:  # drop it if it has not been delivered yet
                        _raise_in(ident, None)
                    break
                except BudgetExceeded:
                    overran = True
        if overran or budget.fired:
            raise BudgetExceeded(message)

    def _start(self) -> None:
        if self._watchdog is None or not self._watchdog.is_alive():
            self._watchdog = threading.Thread(target=self._watch, name="storydesk-budgets", daemon=True)
            self._watchdog.start()

    def _watch(self) -> None:
        with self._changed:
            while True:
                wait = None
                for ident, budget in self._active.items():
                    if budget.fired:
                        continue
                    left = budget.deadline - time.clock_gettime(budget.clock)
                    if left <= 0:
                        budget.fired = True
                        _raise_in(ident, BudgetExceeded)
                    else:
                        wait = left if wait is None else min(wait, left)
                self._changed.wait(wait)


def _thread_clock(ident: int) -> int | None:
    try:
        return time.pthread_getcpuclockid(ident)
    except (AttributeError, OSError):
        return None


def _raise_in(ident: int, error: type[BaseException] | None) -> None:
    """Have thread `ident` raise `error` at its next bytecode (None: cancel one not yet raised)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(ident), ctypes.py_object(error) if error is not None else None)


#: The watchdog of this process's thread budgets (state of running blocks only; no result depends on it).
_THREADS = _ThreadBudgets()


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


def analyse_guarded(
    articles: Sequence[Article], config: Config, *, parses: ParseCache | None = None
) -> Story:
    """`analyse_story` within its budget; on a failure the story keeps its articles, id and title, and
    lists the error (stage "analyse") instead of a brief, entities, facts and timeline."""
    from storydesk.analysis.story import analyse_story, story_title
    from storydesk.cluster import story_id

    seconds = config.limits.seconds_per_report * len(articles)
    try:
        with time_budget(seconds, f"analysing this story of {len(articles)} report(s)"):
            return analyse_story(articles, config, parses=parses)
    except Exception as error:  # the boundary
        failure = StageError("analyse", reason(error))
    try:
        title = story_title(articles, config.cluster)
    except Exception:  # a title is not worth losing the story for
        title = articles[0].title or articles[0].id
    return Story(id=story_id(articles), title=title, articles=list(articles), errors=[failure])


def analyse_all_guarded(
    groups: Sequence[Sequence[Article]], config: Config, *, parses: ParseCache | None = None
) -> list[Story]:
    """`analyse_guarded` of each group, in order: the unit of work a worker process is given."""
    return [analyse_guarded(group, config, parses=parses) for group in groups]
