"""The stream: reports added batch by batch keep their stories' ids, and any split into batches, in any
order, ends in the stories of one batch (real SQLite stores, the real grouper and analysis)."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from storydesk.clean import clean_article
from storydesk.cluster import story_id
from storydesk.config import Config
from storydesk.document import story_to_dict
from storydesk.ingest import read_inputs
from storydesk.model import Article, StoryEvent
from storydesk.store import Store
from storydesk.stream import add_reports, assign_ids, report_key, unused_id

NOW = dt.datetime(2026, 3, 1, 12, 0)


def cleaned(paths: list[str]) -> list[Article]:
    articles, _ = read_inputs(paths)
    config = Config()
    return [clean_article(a, config.clean) for a in articles]


def partition(store: Store) -> set[frozenset[str]]:
    """The stories of a store as sets of report ids (articles and the copies they carry)."""
    return {frozenset(i for a in arts for i in (a.id, *(c.id for c in a.copies)))
            for arts in store.stream_snapshot().stories.values()}


def analyses(store: Store) -> dict[frozenset[str], dict]:
    """Each stored story's stories.json object without its id, by its set of article ids."""
    found = {}
    for summary in store.list_stories():
        data = story_to_dict(store.find_story(summary.id))  # type: ignore[arg-type]
        del data["id"]
        found[frozenset(a["id"] for a in data["articles"])] = data
    return found


@pytest.fixture(scope="module")
def corpus(corpus_dir: Path) -> list[Article]:
    return cleaned([str(corpus_dir)])


@pytest.fixture(scope="module")
def one_batch(corpus: list[Article], tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = Store(tmp_path_factory.mktemp("one") / "one.sqlite")
    update = add_reports(store, corpus)
    assert update.grouping == "replayed" and len(update.added) == len(corpus)
    return store


def test_ten_batches_in_any_order_end_in_the_stories_of_one_batch(
    corpus: list[Article], one_batch: Store, tmp_path: Path
) -> None:
    reports = list(corpus)
    random.Random(13).shuffle(reports)
    cuts = sorted(random.Random(7).sample(range(1, len(reports)), 9))
    batches = [reports[i:j] for i, j in zip([0, *cuts], [*cuts, len(reports)], strict=True)]
    store = Store(tmp_path / "batches.sqlite")
    given: dict[str, frozenset[str]] = {}
    groupings = []
    for batch in batches:
        update = add_reports(store, batch)
        groupings.append(update.grouping)
        for sid, arts in update.stories.items():
            given.setdefault(sid, frozenset(a.id for a in arts))
    assert partition(store) == partition(one_batch)
    assert analyses(store) == analyses(one_batch)  # brief, facts, timeline: each of exactly its reports
    assert "replayed" in groupings[1:]  # shuffled: later batches held earlier reports
    assert store.report_count() == len({report_key(a) for a in corpus})
    # every id ever handed out still resolves, to the story holding the reports it was given for
    current = store.stream_snapshot().stories
    for sid, ids in given.items():
        now = store.resolve_story_id(sid)
        assert now is not None
        assert ids & {i for a in current[now] for i in (a.id, *(c.id for c in a.copies))}


def test_batches_in_stream_order_append_to_the_grouper(
    corpus: list[Article], one_batch: Store, tmp_path: Path
) -> None:
    from storydesk.cluster import sort_key

    ordered = sorted(corpus, key=sort_key)
    store = Store(tmp_path / "ordered.sqlite")
    groupings = [add_reports(store, ordered[i:i + 8]).grouping for i in range(0, len(ordered), 8)]
    assert groupings[0] == "replayed" and set(groupings[1:]) <= {"appended", "replayed"}
    assert "appended" in groupings
    assert partition(store) == partition(one_batch)


def test_a_known_report_changes_nothing_and_a_new_one_reanalyses_only_its_story(
    corpus: list[Article], one_batch: Store, tmp_path: Path
) -> None:
    import shutil

    copy = tmp_path / "copy.sqlite"
    shutil.copy(one_batch.engine.url.database, copy)  # type: ignore[arg-type]
    store = Store(copy)
    stamps = {s.id: s.updated_at for s in store.query_stories(limit=100).stories}
    again = add_reports(store, corpus[:3])
    assert (again.grouping, again.added, again.changes) == ("none", [], [])
    bridge = next(s for s in store.list_stories() if "Bridge" in s.title)
    follow_up = Article(
        id="", text="The Linden Street Bridge in Carrow Bay will reopen to traffic in April, the county "
        "said on Friday, after engineers finished repairs to the bridge deck ahead of schedule.",
        title="Linden Street Bridge to reopen", outlet="Test Wire", published=dt.date(2026, 3, 20))
    follow_up = clean_article(follow_up, Config().clean)
    update = add_reports(store, [follow_up])
    assert [(c.id, c.change) for c in update.changes] == [(bridge.id, "updated")]
    after = {s.id: s.updated_at for s in store.query_stories(limit=100).stories}
    assert {sid for sid in stamps if after[sid] != stamps[sid]} == {bridge.id}
    assert follow_up.id in {a.id for a in store.find_story(bridge.id).articles}  # type: ignore[union-attr]


def _a(name: str, day: int = 1) -> Article:
    return Article(id=name, text=name, published=dt.date(2026, 1, day))


def test_ids_are_kept_and_merges_and_splits_recorded() -> None:
    a, b, c, d, e = (_a(x, i) for i, x in enumerate("abcde", 1))
    previous = {"s-left": [a, b], "s-right": [c, d]}
    # c and d join a and b: the larger overlap keeps its id (a tie: the smaller id), the other merges
    named, events = assign_ids(previous, [[a, b, c, d]], set(previous), NOW)
    assert list(named) == ["s-left"]
    assert events == [NOW_EVENT("merged", "s-right", "s-left")]
    # a story split in two: its id stays with the larger part, the other part is new and recorded
    named, events = assign_ids({"s-x": [a, b, c]}, [[a, b], [c], [e]], {"s-x"}, NOW)
    assert named == {"s-x": [a, b], "sc": [c], "se": [e]}
    assert events == [NOW_EVENT("split", "s-x", "sc")]
    # an id once used is never handed out again
    named, _ = assign_ids({}, [[c]], {"sc"}, NOW)
    assert list(named) == ["sc-2"]


def NOW_EVENT(kind: str, old: str, new: str):  # type: ignore[no-untyped-def]
    from storydesk.model import StoryEvent

    return StoryEvent(NOW, kind, old, new)  # type: ignore[arg-type]


def _ids_by_definition(
    previous: dict[str, list[Article]], groups: list[list[Article]], taken: set[str]
) -> tuple[dict[str, list[Article]], list[StoryEvent]]:
    """`assign_ids` as the module doc defines it, by intersecting every stored story with every group (the
    "-2", "-3" numbering is the module's own `unused_id`)."""
    ids = [{a.id for a in g} for g in groups]
    natural = [story_id(g) for g in groups]
    shared = {(sid, j): len({a.id for a in arts} & ids[j]) for sid, arts in previous.items()
              for j in range(len(groups))}
    pairs = sorted(((n, sid, natural[j], j) for (sid, j), n in shared.items() if n),
                   key=lambda p: (-p[0], p[1], p[2]))
    named, kept = {}, set()
    for _, sid, _, j in pairs:
        if j not in named and sid not in kept:
            named[j] = sid
            kept.add(sid)
    used, events = set(taken) | kept, []
    for j in sorted(set(range(len(groups))) - set(named), key=lambda j: natural[j]):
        sid = named[j] = unused_id(natural[j], used)
        used.add(sid)
        parents = [p for _, p, _, k in pairs if k == j]
        events += [StoryEvent(NOW, "split", parents[0], sid)] if parents else []
    for sid in sorted(set(previous) - kept):
        heirs = [named[j] for _, p, _, j in pairs if p == sid]
        events += [StoryEvent(NOW, "merged", sid, heirs[0])] if heirs else []
    return {named[j]: g for j, g in enumerate(groups)}, events


def test_ids_follow_the_largest_overlaps_on_random_regroupings() -> None:
    rng = random.Random(3)
    for _ in range(200):
        reports = [_a(f"r{k}", 1 + k % 28) for k in range(rng.randint(1, 30))]

        def partition(items: list[Article]) -> list[list[Article]]:
            groups: dict[int, list[Article]] = {}
            for item in items:
                groups.setdefault(rng.randrange(1 + len(items) // 3), []).append(item)
            return list(groups.values())

        previous = {story_id(g): g for g in partition(rng.sample(reports, rng.randint(0, len(reports))))}
        groups = partition(reports)
        taken = set(previous) | {story_id([r]) for r in rng.sample(reports, min(3, len(reports)))}
        assert assign_ids(previous, groups, taken, NOW) == _ids_by_definition(previous, groups, taken)


def test_a_merged_id_resolves_through_the_history(tmp_path: Path) -> None:
    from storydesk.model import Story, StoryEvent

    store = Store(tmp_path / "h.sqlite")
    article = _a("x" * 32)
    events = [StoryEvent(NOW, "merged", "sold", "smid"), StoryEvent(NOW, "merged", "smid", "snew")]
    assert store.commit_stream(0, b"state", {}, [Story("snew", "T", [article])], [], events)
    assert not store.commit_stream(0, b"state", {}, [], [], [])  # the state moved on: refused
    assert [store.resolve_story_id(k) for k in ("sold", "smid", "snew", "snever")] == [
        "snew", "snew", "snew", None]
    assert store.story_history("smid") == events


def test_a_writer_that_keeps_losing_the_race_gives_up_with_one_line(
    corpus: list[Article], tmp_path: Path
) -> None:
    from storydesk.stream import StoreBusy

    db = tmp_path / "race.sqlite"
    config = Config().replace("stream", retries=1)
    rival, rivals = Store(db), iter(corpus[2:4])

    class Racing(Store):
        """A store where another writer commits between each read and commit of this one."""

        def commit_stream(self, *args, **kwargs) -> bool:  # type: ignore[no-untyped-def]
            add_reports(rival, [next(rivals)], config)
            return super().commit_stream(*args, **kwargs)

    with pytest.raises(StoreBusy) as busy:
        add_reports(Racing(db), corpus[:1], config)
    assert "\n" not in str(busy.value) and "run the same command again" in str(busy.value)
    reports = rival.stream_snapshot().reports
    assert sorted(reports) == sorted(report_key(a) for a in corpus[2:4])  # the rival's, whole; none of ours
    assert set().union(*partition(rival)) == {a.id for a in corpus[2:4]}  # and in its stories


def test_the_cli_reads_a_story_by_an_id_merged_into_it(tmp_path: Path) -> None:
    import subprocess
    import sys

    from storydesk.model import Story, StoryEvent

    db = tmp_path / "cli.sqlite"
    article = Article(id="a" * 32, text="The north pier closed on Tuesday after the storm.", title="Pier")
    assert Store(db).commit_stream(0, b"state", {}, [Story("snow", "Pier shut", [article])], [],
                                   [StoryEvent(NOW, "merged", "sbefore", "snow")])

    def facts(key: str) -> subprocess.CompletedProcess[str]:
        binary = Path(sys.executable).with_name("storydesk")
        return subprocess.run([str(binary), "facts", key, "--db", str(db)], capture_output=True, text=True)

    old, now, never = facts("sbefore"), facts("snow"), facts("snever")
    assert (old.returncode, now.returncode, never.returncode) == (0, 0, 3)
    assert old.stdout == now.stdout


def test_the_state_keeps_the_dedup_index_and_an_older_state_is_rebuilt(
    corpus: list[Article], one_batch: Store, tmp_path: Path
) -> None:
    import pickle

    from sqlalchemy import update

    from storydesk.store import StreamStateRow
    from storydesk.stream import StreamState

    store = Store(tmp_path / "state.sqlite")
    half = len(corpus) // 2
    add_reports(store, corpus[:half])
    state = pickle.loads(store.stream_snapshot().state)  # type: ignore[arg-type]
    assert isinstance(state, StreamState)
    assert len(state.duplicates) == store.report_count() == len({report_key(a) for a in corpus[:half]})
    with store.engine.begin() as connection:  # a store written when the state was the grouper alone
        connection.execute(update(StreamStateRow).values(data=pickle.dumps(state.grouper)))
    add_reports(store, corpus[half:])
    assert partition(store) == partition(one_batch)
    assert len(pickle.loads(store.stream_snapshot().state).duplicates) == store.report_count()  # type: ignore[arg-type]
