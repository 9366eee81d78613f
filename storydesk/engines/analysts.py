"""Processes that analyse a stream's changed stories, kept from one batch to the next (`storydesk ingest
--jobs N`, `storydesk watch --jobs N`).

A feed's batches each re-analyse the stories that grew, so the processes, their loaded spaCy model and
their sentence parses (`nlp.ParseCache`) are worth keeping: `Analysts` starts `jobs - 1` worker processes
(spawned, as the local engine's) the first time a batch gives them a share, and this process is the last
analyst. A story goes back to the analyst that analysed it before, where its parses are; a new one goes
to the analyst with the fewest reports to analyse in this batch, largest stories first. Each story is
analysed by `boundary.analyse_guarded` wherever it runs, so the stories are those of one process (unless
a story's time budget is met in one and not the other). A batch with fewer reports to analyse than
`[engine] batch_articles` keeps its new stories here (a worker's start would cost more than it saves). If a
worker dies, its share is analysed here and a new worker takes its place at the next batch, twice at most.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType

from storydesk.analysis.nlp import ParseCache
from storydesk.config import Config
from storydesk.model import Article, Story

# A worker's parses, kept for its life (set by `_start`; a cache of a pure function: it changes no result).
_WORKER_PARSES: ParseCache | None = None
#: Times a worker slot is started again after its worker died; then its shares stay in this process.
RESTARTS = 2


def _start(config: Config) -> None:
    """Worker start: as the local engine's workers start, then make the worker's parse cache."""
    from storydesk.engines.local import _load_model

    global _WORKER_PARSES
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the parent, which stops its workers
    _load_model(config.nlp.model)
    _WORKER_PARSES = ParseCache(config.nlp.cache_tokens, config.nlp.model)


def _analyse(groups: list[list[Article]], config: Config) -> list[Story]:
    """A worker's share, with the worker's parse cache (a global only the worker's own process sees)."""
    from storydesk.boundary import analyse_all_guarded

    return analyse_all_guarded(groups, config, parses=_WORKER_PARSES)


class Analysts:
    """`jobs` analysts (this process and `jobs - 1` workers) for the batches of one stream; a context
    manager that stops the workers on exit."""

    def __init__(self, config: Config, jobs: int = 1) -> None:
        if jobs < 1:
            raise ValueError(f"jobs must be 1 or more, not {jobs}")
        self.config, self.jobs = config, jobs
        self.parses = ParseCache(config.nlp.cache_tokens, config.nlp.model)  # this process's
        self._workers: list[ProcessPoolExecutor | None] = [None] * (jobs - 1)
        self._deaths = [0] * (jobs - 1)
        self._home: dict[str, int] = {}  # story id -> analyst (workers 0.., this process last)

    def __enter__(self) -> Analysts:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close(now=error is not None)

    def close(self, *, now: bool = False) -> None:
        """Stop the workers: after their work, or `now` (on an error or an interrupt) without waiting."""
        for worker in self._workers:
            if worker is not None:
                if now:
                    for process in list(getattr(worker, "_processes", {}).values()):
                        process.terminate()
                worker.shutdown(wait=True)
        self._workers = [None] * (self.jobs - 1)

    def shares(self, groups: dict[str, Sequence[Article]]) -> list[list[str]]:
        """The story ids each analyst takes in this batch (workers first, this process last): each story
        analysed before goes back to its analyst, then the new ones, largest first, each to the analyst
        with the fewest reports so far (ties: this process)."""
        here = self.jobs - 1
        shares: list[list[str]] = [[] for _ in range(self.jobs)]
        load = [0] * self.jobs
        homed = {sid: self._home[sid] for sid in groups if sid in self._home}
        spread = sum(map(len, groups.values())) >= self.config.engine.batch_articles
        workers = [k for k in range(here) if self._deaths[k] <= RESTARTS] if spread else []
        for sid in sorted(groups, key=lambda s: (s not in homed, -len(groups[s]), s)):
            home = homed.get(sid)
            if home is None or (home < here and self._deaths[home] > RESTARTS):
                home = min([*workers, here], key=lambda k: (load[k], -k))
            shares[home].append(sid)
            load[home] += len(groups[sid])
        return shares

    def analyse(self, groups: dict[str, Sequence[Article]]) -> dict[str, Story]:
        """The story of each group (by story id), analysed over the analysts."""
        shares = self.shares(groups)
        running = {k: self._submit(k, [list(groups[s]) for s in share])
                   for k, share in enumerate(shares[:-1]) if share}
        done = self._here(shares[-1], groups)
        for k, future in running.items():
            try:
                done.update(zip(shares[k], future.result(), strict=True))
            except BrokenProcessPool:  # the worker died (memory, native crash): its share is analysed here
                self._workers[k] = None
                self._deaths[k] += 1
                done.update(self._here(shares[k], groups))
                for sid in shares[k]:  # homeless: shared out again at the next batch, a new worker among them
                    self._home.pop(sid, None)
                shares[k] = []
        for k, share in enumerate(shares):
            self._home.update(dict.fromkeys(share, k))
        return done

    def _here(self, share: list[str], groups: dict[str, Sequence[Article]]) -> dict[str, Story]:
        from storydesk.boundary import analyse_all_guarded

        stories = analyse_all_guarded([list(groups[sid]) for sid in share], self.config, parses=self.parses)
        return dict(zip(share, stories, strict=True))

    def _submit(self, k: int, groups: list[list[Article]]) -> Future[list[Story]]:
        """Worker `k` analysing `groups` (started now if it is not running); a worker found dead since the
        last batch gives a future that fails as a dead worker's does."""
        worker = self._workers[k]
        if worker is None:
            context = multiprocessing.get_context("spawn")
            worker = self._workers[k] = ProcessPoolExecutor(1, mp_context=context, initializer=_start,
                                                            initargs=(self.config,))
        try:
            return worker.submit(_analyse, groups, self.config)
        except BrokenProcessPool as error:
            failed: Future[list[Story]] = Future()
            failed.set_exception(error)
            return failed
