"""Reading and per-story analysis in worker processes: a run spread over the machine's cores.

Reading: `iter_cleaned` hands the read tasks (`ingest.read_tasks`: a file, or a batch of JSONL lines) to
workers, which read and clean them; the results come back in input order, the same as in one process.

Dedup and grouping: the grouper is sequential, but sketching an article for dedup and featurising it for
the grouper (and checking dedup's candidate copies) need no shared state, so `GroupingWorkers` do them in
worker processes, ahead of this one; its
refinement only reads the grouper, so its ranges run in forked children that share it (the one use of
fork: everything else spawns).

Stories are independent, and `analyse_story` takes and returns model objects only, so a worker gets a
batch of stories' articles (pickled) and sends back their `Story`s. Workers start with the `spawn` method
(no forked copy of the parent's state, the same on every OS) and load the spaCy model once each; this
process works too, so `jobs` processes share the batches. Batches go out largest first, so no core waits
on one big story at the end, and the results come back in the stories' order: the output is the same as
analysing them one after another in this process.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.connection import Connection
from typing import IO, TYPE_CHECKING, Any

from storydesk.config import Config
from storydesk.model import Article, Rejected, Story

if TYPE_CHECKING:
    import numpy as np

    from storydesk.cluster import FeatureKeys
    from storydesk.dedup import Component, MinHashScheme
    from storydesk.ingest.formats import ReadTask
    from storydesk.text import Lexicon

#: Called as progress(stories done, stories in all) while the analysis advances.
Progress = Callable[[int, int], None]


def cores() -> int:
    """The cores this process may run on (its CPU affinity where the OS tells it)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def iter_cleaned(
    paths: Sequence[str],
    config: Config,
    *,
    jobs: int | None = None,
    stdin: IO[Any] | None = None,
    include_hidden: bool = False,
) -> Iterator[Article | Rejected]:
    """Every input of `paths` read and cleaned (inside the boundary), in input order, over `jobs` processes
    (default `config.engine.jobs`, 0 for one per core): the same items for any number. Reading and cleaning
    cost more than deduplicating and grouping what they give (3 to 1 on the bench corpus)."""
    from storydesk.ingest.formats import read_each
    from storydesk.ingest.sources import read_tasks

    workers = job_count(config, jobs)
    batch = config.engine.read_batch if workers > 1 else 1
    tasks = read_tasks(paths, config=config, stdin=stdin, include_hidden=include_hidden, batch=batch)
    if workers <= 1:  # one item at a time: a large WARC file or a live stdin is never held whole
        yield from _clean_each(read_each(tasks, config), config)
        return
    yield from _read_over_pool(tasks, config, workers)


#: A read task's results: at work in a process, or to be read here (an empty list) or read already.
_Work = Future[list[Article | Rejected]] | list[Article | Rejected]


def _read_over_pool(
    tasks: Iterator[ReadTask | Rejected], config: Config, jobs: int
) -> Iterator[Article | Rejected]:
    """The results of `tasks`, in order. They are read here until reading has taken
    `engine.read_alone_seconds`, so a small run ends before workers would have started; the rest goes to
    `jobs` processes, up to `2 * jobs` tasks at work at once (a bounded window: memory does not grow with
    the input). A task whose worker died is read here."""
    from storydesk.ingest.formats import read_each

    started = time.perf_counter()
    for task in tasks:
        yield from _clean_each(read_each([task], config), config)
        if time.perf_counter() - started >= config.engine.read_alone_seconds:
            break
    else:
        return

    def results(task: ReadTask | None, work: _Work) -> list[Article | Rejected]:
        if isinstance(work, list):
            return work if task is None else _read_clean(task, config)
        try:
            return work.result()
        except BrokenProcessPool:
            return _read_clean(task, config) if task is not None else []

    window: deque[tuple[ReadTask | None, _Work]] = deque()
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn")) as pool:

        def submit(task: ReadTask) -> _Work:
            try:
                return pool.submit(_read_clean, task, config)
            except BrokenProcessPool:  # a worker died: the rest is read here
                return []

        for task in tasks:
            window.append((None, [task]) if isinstance(task, Rejected) else (task, submit(task)))
            while len(window) > 2 * jobs:
                yield from results(*window.popleft())
        while window:
            yield from results(*window.popleft())


def _read_clean(task: ReadTask, config: Config) -> list[Article | Rejected]:
    """A worker's whole task, read and cleaned (its results travel back as one list)."""
    return list(_clean_each(task.read(config), config))


def _clean_each(items: Iterator[Article | Rejected], config: Config) -> Iterator[Article | Rejected]:
    from storydesk.boundary import clean_guarded

    for item in items:
        yield clean_guarded(item, config) if isinstance(item, Article) else item


class GroupingWorkers:
    """Worker processes that sketch articles for dedup (a `dedup.Sketch`: `sketches`), check its candidate
    copies (a `dedup.CheckCopies`: `copies`) and featurise the articles for the grouper while it groups (a
    `cluster.Featurize`: calling it). None needs the grouper's state, and at 100,000 reports they are about
    half of the run's time (tokenising, shingles and MinHash; Jaccard checks; stems and names), so this
    process keeps only what is sequential: finding candidates among the sketches, and the grouping proper
    (`pipeline.group_cleaned` starts workers from `[engine] group_workers_from` reports: below it their
    start costs more than they save). The refinement reads the grouper and changes nothing: `forked` runs
    its ranges in forked children. With `jobs` above 1, `jobs` workers start at once (a context manager:
    they stop at its end), so their imports overlap whatever this process does next. Results come back in
    order and are what this process would compute (`dedup.text_sketches`, `dedup.component_copies`,
    `Featurizer.keys`); once a worker has died, or a call was left part-way, every later batch is done here
    (sketched and checked with `lexicon`; featurised by the grouper itself: None keys).

    Batches of `[engine] feature_batch` articles go round the workers over one pipe each, one message a
    batch, a batch at a time a worker: its next batch is sent when its last answer has been read, so neither
    side can block the other. A report goes as the UTF-8 bytes of its text (and title): pickling the str
    itself leaves CPython's UTF-8 copy cached on every non-ASCII text for as long as the article lives
    (100,000 synthetic reports held in a list: +283 MiB, tracemalloc)."""

    def __init__(self, config: Config, jobs: int, lexicon: Lexicon | None = None) -> None:
        from storydesk.text import Lexicon

        self._config = config
        self._lexicon = lexicon if lexicon is not None else Lexicon()
        self._broken = False
        self._calls = 0
        self._jobs = jobs
        self._workers: list[tuple[multiprocessing.process.BaseProcess, Connection]] = []
        if jobs > 1:
            from storydesk.dedup import minhash_scheme

            context = multiprocessing.get_context("spawn")
            scheme = minhash_scheme(config.dedup)  # drawn here once: a worker need not import datasketch
            for _ in range(jobs):
                here, there = context.Pipe()
                worker = context.Process(target=_grouping_worker, args=(there, config, scheme), daemon=True)
                worker.start()
                there.close()
                self._workers.append((worker, here))

    def __enter__(self) -> GroupingWorkers:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop()

    def _stop(self) -> None:
        """End the workers (each finishes the batch it holds, unread); later calls work here."""
        for _, pipe in self._workers:
            with contextlib.suppress(OSError):
                pipe.send(None)
            pipe.close()  # a worker still sending an answer gets an error and ends
        for worker, _ in self._workers:
            worker.join(timeout=5)
            if worker.is_alive():
                worker.kill()
        self._workers = []

    def sketches(self, articles: Iterator[Article]) -> Iterator[tuple[bytes, np.ndarray]]:
        """`dedup.sketch_here` of `articles`, computed by the workers."""
        from storydesk.dedup import sketch_here, text_sketches

        if not self._workers:
            yield from sketch_here(articles, self._config.dedup, self._lexicon)
            return
        for batch, answer in self._answers("sketch", articles, lambda article: article.text.encode()):
            digests, hashes = answer if answer is not None else text_sketches(
                [article.text for article in batch], self._config.dedup, self._lexicon)
            yield from zip(digests, hashes, strict=True)

    def copies(self, components: Iterator[Component]) -> Iterator[list[list[int]]]:
        """`dedup.copies_here` of `components` (a `dedup.CheckCopies`), computed by the workers."""
        from storydesk.dedup import copies_here

        if not self._workers:
            yield from copies_here(self._config.dedup, self._lexicon)(components)
            return

        def encode(component: Component) -> tuple[list[list[int]], dict[int, bytes]]:
            buckets, texts = component
            return buckets, {number: text.encode() for number, text in texts.items()}

        for batch, answer in self._answers("copies", components, encode, weigh=lambda c: len(c[1])):
            yield from answer if answer is not None else copies_here(self._config.dedup, self._lexicon)(
                iter(batch))

    def __call__(self, articles: Iterator[Article]) -> Iterator[tuple[Article, FeatureKeys | None]]:
        from storydesk.cluster import featurize_here

        if not self._workers:
            yield from featurize_here(articles)
            return

        def encode(article: Article) -> tuple[bytes, bytes]:
            return article.text.encode(), (article.title or "").encode()

        self._calls += 1  # a new call's keys are read by a new featurizer: the workers write them anew
        for batch, keys in self._answers(f"features {self._calls}", articles, encode):
            yield from zip(batch, keys or [None] * len(batch), strict=True)

    def forked(
        self, work: Callable[[int, int], list[Any]], ranges: list[tuple[int, int]]
    ) -> Iterator[list[Any]]:
        """`work` over each range in as many forked processes as there are workers (`cluster.SpreadRanges`),
        the results in the ranges' order: for work that reads a large state and changes none of it (the
        grouper's refinement), which a forked child shares with this process instead of receiving it.
        The workers end first (their memory goes to the children; later sketches and features are
        computed here). Process k takes ranges k, k + jobs, ...; a range whose process died is worked
        here. One process, or no fork on this platform: each range here. Before the fork the standard
        streams are flushed (a child has nothing of this process's to write) and the collector's objects
        frozen (a child's collections neither scan them nor copy their pages)."""
        jobs = self._jobs
        if jobs < 2 or "fork" not in multiprocessing.get_all_start_methods():
            yield from (work(start, stop) for start, stop in ranges)
            return
        self._stop()  # the refinement is the last step: their memory goes to the children
        context = multiprocessing.get_context("fork")
        children = []
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):  # a closed or replaced stream has nothing to flush
                stream.flush()
        gc.freeze()
        try:
            for k in range(jobs):
                here, there = context.Pipe(duplex=False)
                child = context.Process(target=_work_ranges, args=(work, ranges[k::jobs], there), daemon=True)
                child.start()
                there.close()
                children.append((child, here))
        finally:
            gc.unfreeze()
        try:
            for n, (start, stop) in enumerate(ranges):
                child, pipe = children[n % jobs]
                try:
                    result = pipe.recv()
                except (OSError, EOFError):  # the process died: its ranges are done here
                    result = work(start, stop)
                yield result
        finally:
            for child, pipe in children:
                pipe.close()
                child.join(timeout=5)
                if child.is_alive():
                    child.kill()

    def _answers(self, kind: str, items: Iterator[Any], encode: Callable[[Any], object],
                 weigh: Callable[[Any], int] = lambda item: 1) -> Iterator[tuple[list[Any], Any]]:
        """Each batch of `items` with the workers' answer to it (None once a worker has died): a batch is
        `[engine] feature_batch` in `weigh`'s units (articles by default), the last item may go over."""
        size = self._config.engine.feature_batch

        def batch() -> list[Any]:
            taken, weight = [], 0
            while weight < size and (item := next(items, None)) is not None:
                taken.append(item)
                weight += weigh(item)
            return taken

        batches = iter(batch, [])
        pipes = [pipe for _, pipe in self._workers]
        window: deque[tuple[list[Any], Connection | None]] = deque()

        def send(batch: list[Any], pipe: Connection) -> None:
            if not self._broken:
                try:
                    pipe.send((kind, [encode(item) for item in batch]))
                except OSError:  # the worker died
                    self._broken = True
            window.append((batch, None if self._broken else pipe))

        for pipe, batch in zip(pipes, batches, strict=False):  # a batch a worker to start with (pipes
            send(batch, pipe)  # first: zip takes no batch once they are out)
        try:
            while window:
                batch, pipe = window.popleft()
                answer = None
                if pipe is not None and not self._broken:
                    try:
                        answer = pipe.recv()
                    except (OSError, EOFError):
                        self._broken = True
                following = next(batches, None)
                if following is not None:
                    send(following, pipe or pipes[0])
                yield batch, answer
        finally:
            if window:  # left part-way: answers still due would be read as a later call's
                self._broken = True


def _work_ranges(
    work: Callable[[int, int], list[Any]], ranges: list[tuple[int, int]], pipe: Connection
) -> None:
    """A forked process of `GroupingWorkers.forked`: each range's result sent in order."""
    with contextlib.suppress(OSError):  # the parent stopped reading: nothing more to do
        for start, stop in ranges:
            pipe.send(work(start, stop))


def _grouping_worker(pipe: Connection, config: Config, scheme: MinHashScheme) -> None:
    """A worker of `GroupingWorkers`: each (kind, batch) read from `pipe` answered with the batch's
    sketches, copies or `FeatureKeys`, until None."""
    from storydesk.cluster import Featurizer
    from storydesk.dedup import adopt_minhash_scheme, component_copies, text_sketches

    exit_with_parent()
    adopt_minhash_scheme(config.dedup, scheme)
    last = ""  # the featurising call whose keys this worker writes
    featurizer = Featurizer(config.cluster)  # kept for every batch: each word is stemmed once per worker
    with contextlib.suppress(OSError, EOFError):  # the grouper closed its end: nothing more to do
        while (message := pipe.recv()) is not None:
            kind, batch = message
            if kind.startswith("features") and kind != last:  # another grouper reads these keys
                featurizer.new_source()
                last = kind
            if kind == "sketch":
                pipe.send(text_sketches([text.decode() for text in batch], config.dedup, featurizer.lexicon))
            elif kind == "copies":
                pipe.send([component_copies(buckets, {n: text.decode() for n, text in texts.items()},
                                            config.dedup, featurizer.lexicon) for buckets, texts in batch])
            else:
                pipe.send([featurizer.keys(Article(id="", text=text.decode(), title=title.decode()))
                           for text, title in batch])


def job_count(config: Config, jobs: int | None) -> int:
    """The processes to work with: `jobs`, else `[engine] jobs`; 0 is one per core."""
    wanted = config.engine.jobs if jobs is None else jobs
    if wanted < 0:
        raise ValueError(f"jobs must be 0 (one per core) or more, not {wanted}")
    return wanted or cores()


def analyse_stories(
    groups: Sequence[Sequence[Article]],
    config: Config,
    *,
    jobs: int | None = None,
    progress: Progress | None = None,
) -> list[Story]:
    """`analyse_story` of every group inside the boundary (`boundary.analyse_guarded`), in order, over
    `jobs` processes (default `config.engine.jobs`, where 0 is one per core)."""
    done = dict(iter_analysed(groups, config, jobs=jobs, progress=progress))
    return [done[i] for i in range(len(groups))]


def iter_analysed(
    groups: Sequence[Sequence[Article]],
    config: Config,
    *,
    jobs: int | None = None,
    progress: Progress | None = None,
) -> Iterator[tuple[int, Story]]:
    """(index, story) of every group as its analysis finishes — out of order over several processes — so
    a caller can write each story out and let it go. A run too small for two batches stays in this
    process."""
    from storydesk.boundary import analyse_guarded

    report = progress or (lambda done, total: None)
    batches = plan_batches([len(g) for g in groups], config.engine.batch_articles)
    workers = min(job_count(config, jobs), len(batches))
    if workers <= 1:
        for i, group in enumerate(groups):
            story = analyse_guarded(list(group), config)
            report(i + 1, len(groups))
            yield i, story
        return
    yield from _over_pool(groups, batches, config, workers, report)


def _over_pool(
    groups: Sequence[Sequence[Article]], batches: list[list[int]], config: Config, jobs: int, report: Progress
) -> Iterator[tuple[int, Story]]:
    """`jobs - 1` worker processes take batches from the front (largest first), two each at a time so none
    waits for its next, while this process takes them from the back. If a worker dies (killed for memory, a
    crash in native code), the pool is broken: its unfinished batches and the rest are analysed here, so the
    run still ends with every story. (No queued future is ever cancelled: on Python 3.11 a pool that breaks
    with a cancelled future in it hangs its process at exit.)"""
    from storydesk.boundary import analyse_all_guarded

    n_done = 0
    todo = deque(batches)
    running: dict[Future[list[Story]], list[int]] = {}
    context = multiprocessing.get_context("spawn")

    def finish(batch: list[int], stories: list[Story]) -> Iterator[tuple[int, Story]]:
        nonlocal n_done
        n_done += len(batch)
        report(n_done, len(groups))
        yield from zip(batch, stories, strict=True)

    def here(batch: list[int]) -> Iterator[tuple[int, Story]]:
        return finish(batch, analyse_all_guarded([list(groups[i]) for i in batch], config))

    with ProcessPoolExecutor(jobs - 1, mp_context=context, initializer=_load_model,
                             initargs=(config.nlp.model,)) as pool:
        try:
            while todo or running:
                while todo and len(running) < 2 * (jobs - 1):
                    batch = todo.popleft()
                    work = [list(groups[i]) for i in batch]
                    running[pool.submit(analyse_all_guarded, work, config)] = batch
                if todo:
                    yield from here(todo.pop())
                finished, _ = wait(running, timeout=0 if todo else None, return_when=FIRST_COMPLETED)
                for future in finished:
                    stories = future.result()  # before the batch leaves `running`: a broken pool raises here
                    yield from finish(running.pop(future), stories)
        except BrokenProcessPool:
            for batch in [*running.values(), *todo]:
                yield from here(batch)


def plan_batches(sizes: Sequence[int], batch_articles: int) -> list[list[int]]:
    """Story indices in batches of about `batch_articles` articles, largest stories first (a story larger
    than a batch goes alone), so the longest work starts first and the last batches are small."""
    order = sorted(range(len(sizes)), key=lambda i: (-sizes[i], i))
    batches: list[list[int]] = []
    filled = batch_articles
    for i in order:
        if filled + sizes[i] > batch_articles:
            batches.append([])
            filled = 0
        batches[-1].append(i)
        filled += sizes[i]
    return batches


def _load_model(model: str) -> None:
    """Worker start: load the spaCy model once, before the first batch arrives."""
    from storydesk.analysis.nlp import load_spacy

    exit_with_parent()
    load_spacy(model)


def exit_with_parent(every: float = 0.5) -> None:
    """In a worker: end this process when its parent is gone (killed with SIGKILL, a pool's workers would
    otherwise live on, holding the parent's standard output and error open for whoever reads them)."""
    import threading

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()
