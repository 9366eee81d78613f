"""Reports into a store as they arrive, with stories that keep their ids: `storydesk ingest`, `storydesk
watch` and the HTTP service's writes all go through `add_reports`.

A batch of cleaned reports goes in as one transaction:

1. reports already stored (same text with the same URL, or without a URL the same outlet and headline:
   `report_key`) are known and skipped; the others are added to the store's `reports` table, each once;
2. deduplication reads every stored report in one canonical order (`_canonical`), so which report
   carries a group of copies, and in what order its copies are listed, does not depend on arrival; the
   store keeps its `dedup.DuplicateIndex` (LSH bands and union-find, no text) in the stream state, so a
   batch tokenises only its new reports and the stored texts that share a band with them;
3. the persisted streaming `StoryGrouper` (kept without its articles' texts, with their features) takes the
   new deduplicated reports in stream order when they all come after the ones it has (an appended stream);
   when one comes earlier, or deduplication changed a report it already has, it starts over from every
   report in stream order (a replay, from the features it kept: only new reports are featurised). Either
   way its `refined()` stories equal a batch grouping of all stored reports (the grouper's guarantee), so
   any split of a corpus into batches, in any order, ends in the same stories as one batch;
4. the new stories get ids (`assign_ids`): each keeps the id of the stored story it shares most reports
   with, so an id once given never changes; a story that lost its id to a larger part has merged (its id
   now resolves to the story that took most of its reports), a new part of a stored story is a split, and
   both are kept in the store's story history;
5. only stories whose articles or copies changed are analysed again; they are saved, the merged ones
   removed, the reports and the grouper's state written, in one transaction that commits only if no other
   writer committed since the batch read the store (else the batch is redone from what is stored now).

So a process killed at any moment leaves the store as it was after its last whole batch, and the same
command run again skips what is stored and does the rest: every report once, every story analysed from
exactly its reports.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import pickle
import signal
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from storydesk.cluster import StoryGrouper, sort_key, story_id
from storydesk.config import Config
from storydesk.dedup import DuplicateIndex, merge_copies
from storydesk.engines.analysts import Analysts
from storydesk.model import Article, Rejected, Story, StoryChange, StoryEvent, StreamUpdate

if TYPE_CHECKING:
    from storydesk.store import Store, StreamSnapshot

#: `STORYDESK_CRASH_AT=POINT:N` kills the process (SIGKILL) the Nth time a batch reaches POINT ("read",
#: "analysed", "committed"): how the tests crash a real ingest at a chosen moment.
CRASH_VARIABLE = "STORYDESK_CRASH_AT"


class StoreBusy(RuntimeError):
    """Other writers kept committing to the store while a batch was being prepared."""


def report_key(article: Article) -> str:
    """What makes a report the same report, hashed: its text with its URL, or without a URL its outlet and
    headline (a syndicated copy of the same text under another outlet is another report)."""
    return _key(article.id, article.url, article.outlet, article.title)


def _key(article_id: str | None, url: str | None, outlet: str | None, title: str | None) -> str:
    parts = [article_id, url] if url else [article_id, None, outlet, title]
    return hashlib.sha1(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


def copy_keys(article: Article) -> list[str]:
    """The report keys of an article and of each copy it carries."""
    return [report_key(article)] + [_key(c.id, c.url, c.outlet, c.title) for c in article.copies if c.id]


def _canonical(report: Article) -> tuple:
    """The order deduplication reads reports in: stream order, then what tells copies of one text apart."""
    return (*sort_key(report), report.url or "", report.outlet or "", report.title or "", report.path or "")


def _signature(articles: Iterable[Article]) -> frozenset:
    """What a story's analysis depends on of its membership: its articles and the copies each carries."""
    return frozenset(
        (a.id, a.published, tuple(sorted(c.id or f"{c.path}|{c.url}|{c.outlet}|{c.title}" for c in a.copies)))
        for a in articles
    )


def _as_read(article: Article) -> Article:
    """A stored article with a publication date the analysis inferred dropped: grouping reads the dates the
    reports gave."""
    if not article.published_estimated:
        return article
    return dataclasses.replace(article, published=None, published_estimated=False, published_precision="day")


def adopted_reports(stories: dict[str, list[Article]]) -> dict[str, Article]:
    """Reports for the stories of a store written by `storydesk run` (which keeps no reports table): each
    stored article as read, and each copy it carries with the article's text (a copy's own text was never
    stored; it was a copy of this one), so deduplication and grouping rebuild the stored stories."""
    reports: dict[str, Article] = {}
    for articles in stories.values():
        for article in articles:
            carrier = dataclasses.replace(_as_read(article), copies=[])
            reports.setdefault(report_key(carrier), carrier)
            for c in article.copies:
                copy = dataclasses.replace(carrier, id=c.id or carrier.id, url=c.url, outlet=c.outlet,
                                           title=c.title, published=c.published, path=c.path)
                reports.setdefault(report_key(copy), copy)
    return reports


def assign_ids(
    previous: dict[str, list[Article]], groups: list[list[Article]], taken: set[str], now: dt.datetime
) -> tuple[dict[str, list[Article]], list[StoryEvent]]:
    """Ids for `groups` that keep every stored story's id while it goes on (see the module doc).

    Overlap counts reports (articles and copies, by article id). The largest overlaps are matched first
    (ties: the older-sorting id), each stored id to one new group. A group left without an id gets
    `cluster.story_id` of its articles (with "-2", "-3"... when that id was ever used). Overlaps are
    counted through an index of report -> new groups: a batch costs the reports of the stories, not the
    product of the stored and the new story counts.
    """
    holders: dict[str, list[int]] = {}  # report id -> the new groups holding it
    for j, group in enumerate(groups):
        for i in _report_ids(group):
            holders.setdefault(i, []).append(j)
    natural = [story_id(g) for g in groups]
    overlap: Counter[tuple[str, int]] = Counter()  # (stored id, new group) -> reports shared
    for sid, articles in previous.items():
        overlap.update((sid, j) for i in _report_ids(articles) for j in holders.get(i, ()))
    pairs = sorted(((n, sid, natural[j], j) for (sid, j), n in overlap.items()),
                   key=lambda p: (-p[0], p[1], p[2]))
    named: dict[int, str] = {}
    kept: set[str] = set()
    parent_of: dict[int, str] = {}  # a group's stored story of largest overlap
    heir_of: dict[str, int] = {}  # a stored story's new group of largest overlap
    for _, sid, _, j in pairs:
        parent_of.setdefault(j, sid)
        heir_of.setdefault(sid, j)
        if j not in named and sid not in kept:
            named[j], kept = sid, kept | {sid}
    used = set(taken) | kept
    events: list[StoryEvent] = []
    for j in sorted(set(range(len(groups))) - set(named), key=lambda j: natural[j]):
        sid = named[j] = unused_id(natural[j], used)
        used.add(sid)
        if j in parent_of:
            events.append(StoryEvent(now, "split", parent_of[j], sid))
    for sid in sorted(set(previous) - kept):
        if sid in heir_of:
            events.append(StoryEvent(now, "merged", sid, named[heir_of[sid]]))
    return {named[j]: g for j, g in enumerate(groups)}, events


def unused_id(natural: str, used: set[str]) -> str:
    """`natural`, or with "-2", "-3"... the first of those not in `used` (an id is never given twice)."""
    sid, n = natural, 1
    while sid in used:
        n += 1
        sid = f"{natural}-{n}"
    return sid


def _report_ids(articles: Iterable[Article]) -> set[str]:
    """The ids of a story's reports: its articles' and the copies they carry."""
    return {i for a in articles for i in (a.id, *(c.id for c in a.copies if c.id))}


class CrashPoints:
    """The test hook of `CRASH_VARIABLE`: counts the points a run passes and kills it at the named one."""

    def __init__(self) -> None:
        point, _, nth = os.environ.get(CRASH_VARIABLE, "").partition(":")
        self.point, self.nth, self.seen = point, int(nth or 1), 0

    def reached(self, point: str) -> None:
        if point == self.point:
            self.seen += 1
            if self.seen == self.nth:
                os.kill(os.getpid(), signal.SIGKILL)


def add_reports(
    store: Store,
    reports: Sequence[Article],
    config: Config | None = None,
    *,
    crash: CrashPoints | None = None,
    analysts: Analysts | None = None,
) -> StreamUpdate:
    """Add cleaned reports to the store as one batch (see the module doc); redone from what is stored when
    another writer commits first, `StreamConfig.retries` times at most (then StoreBusy). `analysts` analyse
    the changed stories (by default this process alone); pass the same ones to every batch of a feed, so
    that a grown story is analysed where its sentence parses are kept."""
    config = config or Config()
    if analysts is not None and analysts.config != config:
        raise ValueError("add_reports was given analysts of another configuration")
    crash = crash or CrashPoints()
    analysts = analysts or Analysts(config)  # one for the retries too: a redone batch finds its parses
    for _ in range(config.stream.retries + 1):
        snapshot = store.stream_snapshot()
        plan = plan_batch(snapshot, reports, config)
        if plan is None:
            return StreamUpdate([], dict(snapshot.stories), [], [], "none")
        fresh, added, state, groups, grouping = plan
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        named, history = assign_ids(snapshot.stories, groups, snapshot.taken_ids, now)
        crash.reached("read")
        save, changes = _analyse_changed(named, snapshot.stories, analysts)
        removed = sorted(set(snapshot.stories) - set(named))
        changes += [StoryChange(sid, "", 0, "removed") for sid in removed]
        crash.reached("analysed")
        if store.commit_stream(snapshot.version, pickle.dumps(state), fresh, save, removed, history):
            crash.reached("committed")
            return StreamUpdate(added, named, changes, history, grouping)
    raise StoreBusy(
        f"the store kept changing under {config.stream.retries + 1} attempts (other writers are adding "
        "reports); nothing of this batch was written: run the same command again"
    )


@dataclasses.dataclass
class StreamState:
    """What a store keeps between batches (pickled): the streaming grouper and the deduplication index of
    every stored report, so a batch tokenises only its new reports (and their LSH candidates)."""

    grouper: StoryGrouper
    duplicates: DuplicateIndex


def _duplicates(state: object, stored: dict[str, Article], config: Config) -> DuplicateIndex:
    """The stored deduplication index when it covers exactly the stored reports under this configuration;
    else one built from them (a store written before the index was kept, or another `dedup` setting)."""
    index = getattr(state, "duplicates", None)
    if isinstance(index, DuplicateIndex) and index.config == config.dedup and len(index) == len(stored) \
            and all(key in index for key in stored):
        return index
    index = DuplicateIndex(config.dedup)
    index.add(_canonical_texts(stored))
    return index


def _canonical_texts(reports: dict[str, Article]) -> list[tuple[str, str]]:
    """`(key, text)` of each report, in the order deduplication reads them (`_canonical`)."""
    return [(key, reports[key].text) for key in sorted(reports, key=lambda k: _canonical(reports[k]))]


def plan_batch(
    snapshot: StreamSnapshot, reports: Sequence[Article], config: Config
) -> tuple[dict[str, Article], list[str], StreamState, list[list[Article]], str] | None:
    """The reports to store (with those adopted from a store `storydesk run` wrote), the keys of the new
    ones among `reports`, the state after them, the stories (articles in stream order), how it grouped;
    None when there is nothing to store."""
    stored = snapshot.reports
    fresh = adopted_reports(snapshot.stories) if not stored and snapshot.stories else {}
    added: list[str] = []
    for report in reports:
        key = report_key(report)
        if key not in stored and key not in fresh:
            fresh[key] = dataclasses.replace(report, copies=[])
            added.append(key)
    if not fresh:
        return None
    state = pickle.loads(snapshot.state) if snapshot.state else None
    duplicates = _duplicates(state, stored, config)
    duplicates.add(_canonical_texts(fresh), lambda keys: {key: stored[key].text for key in keys})
    everything = {**stored, **fresh}
    carriers = {}
    for keys in duplicates.groups():
        carrier = merge_copies(sorted((everything[key] for key in keys), key=_canonical))
        carriers[carrier.id] = carrier
    grouper = state.grouper if isinstance(state, StreamState) else None
    fed = [a for story in grouper.stories for a in story] if grouper else []
    fed_ids = {f.id for f in fed}
    new = sorted((a for i, a in carriers.items() if i not in fed_ids), key=sort_key)
    unchanged = all(
        f.id in carriers and (carriers[f.id].published, carriers[f.id].title) == (f.published, f.title)
        for f in fed
    )
    last = max((sort_key(f) for f in fed), default=None)
    if grouper is not None and unchanged and (last is None or not new or sort_key(new[0]) > last):
        grouping = "appended"
    else:
        grouper = grouper.restarted() if grouper is not None and grouper.config == config.cluster \
            else StoryGrouper(config.cluster, remember=True)
        grouping = "replayed"
        new = sorted(carriers.values(), key=sort_key)
    for article in new:
        grouper.add(article)
    grouper.compact()
    groups = [sorted((carriers[a.id] for a in g), key=sort_key) for g in grouper.refined()]
    return fresh, added, StreamState(grouper, duplicates), groups, grouping


def _analyse_changed(
    named: dict[str, list[Article]], stored: dict[str, list[Article]], analysts: Analysts
) -> tuple[list[Story], list[StoryChange]]:
    """Analyse the stories whose membership changed (new, grown, shrunk), under their assigned ids, each
    inside the boundary (a failure is that story's errors, never the batch's)."""
    changed = {sid: articles for sid, articles in named.items()
               if sid not in stored or _signature(articles) != _signature(map(_as_read, stored[sid]))}
    analysed = analysts.analyse(changed)
    save: list[Story] = []
    changes: list[StoryChange] = []
    for sid in sorted(changed):
        story = dataclasses.replace(analysed[sid], id=sid)
        save.append(story)
        change = "updated" if sid in stored else "created"
        changes.append(StoryChange(sid, story.title, len(changed[sid]), change))
    return save, changes


def ingest_paths(
    store: Store,
    paths: Sequence[str],
    config: Config | None = None,
    *,
    on_batch: Callable[[StreamUpdate, list[Rejected]], None] | None = None,
    jobs: int | None = None,
    analysts: Analysts | None = None,
) -> tuple[list[StreamUpdate], list[Rejected]]:
    """Read `paths` as `storydesk run` reads them and add their reports in batches of
    `StreamConfig.batch_reports`; `on_batch` hears of each committed batch and the rejections so far.
    The batches share `analysts` (by default `jobs` of them, `[engine] jobs` when None, 0 one per core,
    kept for this call)."""
    from storydesk.engines.local import job_count

    config = config or Config()
    if analysts is not None:
        return _ingest(store, paths, config, analysts, on_batch)
    with Analysts(config, job_count(config, jobs)) as own:
        return _ingest(store, paths, config, own, on_batch)


def _ingest(
    store: Store, paths: Sequence[str], config: Config, analysts: Analysts,
    on_batch: Callable[[StreamUpdate, list[Rejected]], None] | None,
) -> tuple[list[StreamUpdate], list[Rejected]]:
    """`ingest_paths` with its analysts running."""
    from storydesk.engines.local import iter_cleaned

    crash = CrashPoints()
    updates: list[StreamUpdate] = []
    rejected: list[Rejected] = []
    batch: list[Article] = []

    def flush() -> None:
        if batch:
            updates.append(add_reports(store, batch, config, crash=crash, analysts=analysts))
            batch.clear()
            if on_batch:
                on_batch(updates[-1], rejected)

    for item in iter_cleaned(paths, config, jobs=1):  # a batch's cost is its analysis, not its reading
        if isinstance(item, Rejected):
            rejected.append(item)
            continue
        batch.append(item)
        if len(batch) >= config.stream.batch_reports:
            flush()
    flush()
    return updates, rejected


def watch(
    store: Store,
    folder: Path,
    config: Config | None = None,
    *,
    on_batch: Callable[[Path, StreamUpdate | None, list[Rejected]], None] | None = None,
    stop: Callable[[], bool] = lambda: False,
    sleep: Callable[[float], None] | None = None,
    jobs: int | None = None,
) -> None:
    """Ingest each file that appears in `folder` (recursively, hidden entries skipped) once it has stopped
    changing, until `stop()` says so; a file changed after it was read is read again (its known reports
    are skipped). The same `jobs` analysts (`[engine] jobs` when None) serve every file."""
    from storydesk.engines.local import job_count

    config = config or Config()
    with Analysts(config, job_count(config, jobs)) as analysts:  # for as long as it watches
        _watch(store, folder, config, analysts, on_batch=on_batch, stop=stop, sleep=sleep or time.sleep)


def _watch(
    store: Store, folder: Path, config: Config, analysts: Analysts, *,
    on_batch: Callable[[Path, StreamUpdate | None, list[Rejected]], None] | None,
    stop: Callable[[], bool], sleep: Callable[[float], None],
) -> None:
    from storydesk.ingest import unsupported

    done: dict[Path, tuple[int, int]] = {}
    pending: dict[Path, tuple[tuple[int, int], float]] = {}
    while not stop():
        now = time.monotonic()
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            if any(part.startswith(".") for part in path.relative_to(folder).parts) or unsupported(str(path)):
                continue
            try:
                stat = path.stat()
            except OSError:
                continue  # removed meanwhile
            seen = (stat.st_size, stat.st_mtime_ns)
            if done.get(path) == seen:
                continue
            if path not in pending or pending[path][0] != seen:
                pending[path] = (seen, now)
                continue
            if now - pending[path][1] < config.stream.settle_seconds:
                continue
            del pending[path]
            updates, rejected = ingest_paths(store, [str(path)], config, analysts=analysts)
            done[path] = seen
            if on_batch:
                on_batch(path, updates[-1] if updates else None, rejected)
        sleep(config.stream.poll_seconds)
