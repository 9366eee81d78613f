"""Reading and per-story analysis over worker processes give exactly what one process gives."""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from storydesk import dedup
from storydesk.cluster import Featurizer, group_story_positions
from storydesk.config import Config
from storydesk.dedup import duplicate_groups, sketch_here
from storydesk.document import build_document
from storydesk.engines.local import (
    GroupingWorkers,
    analyse_stories,
    iter_analysed,
    iter_cleaned,
    plan_batches,
)
from storydesk.model import Article, Rejected
from storydesk.pipeline import group_cleaned, prepare, read_cleaned
from storydesk.text import Lexicon

BIN = Path(sys.executable).with_name("storydesk")


def test_batches_hold_every_story_once_largest_first() -> None:
    sizes = [3, 50, 1, 20, 20, 4]
    batches = plan_batches(sizes, 40)
    assert sorted(i for b in batches for i in b) == list(range(len(sizes)))
    assert batches[0] == [1]  # larger than a batch: alone, and first
    assert all(sum(sizes[i] for i in b) <= 40 for b in batches[1:])
    assert [sizes[b[0]] for b in batches] == sorted((sizes[b[0]] for b in batches), reverse=True)


def test_negative_jobs_are_refused() -> None:
    with pytest.raises(ValueError, match="jobs"):
        analyse_stories([], Config(), jobs=-1)


def test_two_workers_write_the_same_stories_json_as_one(
    tmp_path: Path, corpus_dir: Path, corpus_result
) -> None:
    """`storydesk run --jobs 2` (one story a batch, so both workers take stories) against the in-process
    run of the same corpus: stories.json byte for byte, apart from its time stamp."""
    settings = tmp_path / "small-batches.toml"
    settings.write_text("[engine]\nbatch_articles = 1\n", encoding="utf-8")
    assert len(plan_batches([len(s.articles) for s in corpus_result.stories], 1)) > 2
    proc = subprocess.run(
        [str(BIN), "run", str(corpus_dir), "--jobs", "2", "--config", str(settings), "--no-store",
         "--out", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "analyse" in proc.stderr  # the progress bar still reports the analysis
    written = (tmp_path / "out" / "stories.json").read_text(encoding="utf-8")
    stamp = json.loads(written)["generated_at"]
    expected = json.dumps(build_document(corpus_result, generated_at=stamp), ensure_ascii=False, indent=2)
    assert written == expected


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_killed_worker_loses_no_story(corpus_dir: Path, corpus_result) -> None:
    """A worker killed mid-run (as the kernel's OOM killer would) breaks the pool; its batches and the rest
    are analysed in this process, so every story still comes back, once, as one process makes it."""
    config = Config().replace("engine", batch_articles=1)
    groups, _ = prepare([str(corpus_dir)], config)
    got: dict[int, object] = {}
    killed = []
    for index, story in iter_analysed(groups, config, jobs=2):
        if not killed:  # the pool is up (its worker is loading or working): kill it now
            killed = [p.pid for p in multiprocessing.active_children()]
            for pid in killed:
                os.kill(pid, signal.SIGKILL)
        assert index not in got
        got[index] = story
    assert killed
    assert [got[i] for i in range(len(groups))] == corpus_result.stories  # `run` with jobs=1


def _mixed_inputs(folder: Path) -> list[str]:
    """JSONL files of several read batches with broken lines among them, a text file, an empty JSONL file
    and an unsupported one."""
    def record(i: int) -> str:
        return json.dumps({"title": f"Budget vote {i}", "published": f"2026-03-{i % 28 + 1:02d}",
                           "text": f"The council of town {i} approved a budget of {i} million dollars on "
                                   f"Tuesday after a long debate about roads, schools and the harbour."})
    lines = [record(i) for i in range(23)]
    lines[5], lines[11], lines[17] = "{not json", "[1, 2]", json.dumps({"title": "no text"})
    (folder / "a.jsonl").write_text("\n".join(lines[:12]) + "\n\n" + "\n".join(lines[12:]) + "\n")
    (folder / "b.txt").write_text("Harbour reopens\n\nThe harbour reopened on Monday after repairs that "
                                  "took three months and cost the town four million dollars.\n")
    (folder / "c.jsonl").write_text("\n\n")
    (folder / "d.bin").write_bytes(b"\x00\x01")
    (folder / "e.jsonl").write_text("\n".join(record(100 + i) for i in range(9)) + "\n")
    return [str(folder)]


def test_reading_over_two_workers_gives_what_one_process_gives(tmp_path: Path) -> None:
    config = Config().replace("engine", read_batch=4, read_alone_seconds=0.0)
    paths = _mixed_inputs(tmp_path)
    alone = list(iter_cleaned(paths, config, jobs=1))
    workers_seen = 0
    shared = []
    for item in iter_cleaned(paths, config, jobs=2):
        workers_seen = max(workers_seen, len(multiprocessing.active_children()))
        shared.append(item)
    assert workers_seen == 2  # the batches did go to the pool
    assert shared == alone
    assert len(alone) == 23 + 1 + 1 + 1 + 9  # every record, the text file, both rejected files
    assert sum(isinstance(i, Rejected) for i in alone) == 5


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_killed_reading_worker_loses_no_input(tmp_path: Path) -> None:
    config = Config().replace("engine", read_batch=2, read_alone_seconds=0.0)
    paths = _mixed_inputs(tmp_path)
    killed: list[int] = []
    got = []
    for item in iter_cleaned(paths, config, jobs=2):
        if not killed:
            killed = [p.pid for p in multiprocessing.active_children()]
            for pid in killed:
                os.kill(pid, signal.SIGKILL)
        got.append(item)
    assert killed
    assert got == list(iter_cleaned(paths, config, jobs=1))


def test_a_small_run_reads_without_starting_workers(tmp_path: Path) -> None:
    """Under `read_alone_seconds` of reading, no worker is started (it would take about a second)."""
    paths = _mixed_inputs(tmp_path)
    workers_seen = 0
    for _ in iter_cleaned(paths, Config().replace("engine", read_batch=4), jobs=2):
        workers_seen = max(workers_seen, len(multiprocessing.active_children()))
    assert workers_seen == 0


def test_reading_in_one_process_yields_each_report_as_it_is_read(tmp_path: Path, monkeypatch) -> None:
    """With one process a file's reports are not held back until the whole file is read (a large WARC
    file or feed is one task): the first comes out after one record has been read."""
    import storydesk.ingest.formats as formats

    record = {"title": "Harbour reopens", "text": "The harbour reopened on Monday after repairs that took "
              "three months and cost the town four million dollars."}
    (tmp_path / "many.json").write_text(json.dumps([record] * 5), encoding="utf-8")
    calls = []
    real = formats.read_record
    monkeypatch.setattr(formats, "read_record", lambda *a: calls.append(1) or real(*a))
    items = iter_cleaned([str(tmp_path / "many.json")], Config(), jobs=1)
    first = next(items)
    assert not isinstance(first, Rejected) and len(calls) == 1
    assert len([first, *items]) == 5


def _keyed(featurizer: Featurizer, ids, counts, kinds) -> list[tuple[str, int, float]]:
    words = featurizer.features.words
    return list(zip([words[i] for i in ids.tolist()], counts.tolist(), kinds.tolist(), strict=True))


def test_featurizing_workers_give_the_features_and_stories_of_one_process(examples_dir: Path) -> None:
    """Features computed in worker processes (their own vocabularies) are the article's features in the
    grouper's ids, feature for feature, count and kind; and the stories are those of one process."""
    config = Config().replace("engine", feature_batch=3)
    cleaned, _ = read_cleaned([str(examples_dir / "corpus")], config, jobs=1)
    here = Featurizer(config.cluster)
    mapped = Featurizer(config.cluster)
    mapped.counts(cleaned[-1])  # a history of its own: other ids than the workers'
    with GroupingWorkers(config, 2) as featurize:
        pairs = list(featurize(iter(cleaned)))
    assert [a for a, _ in pairs] == cleaned
    assert all(keys is not None for _, keys in pairs)  # the workers did the work
    assert len({keys.source for _, keys in pairs}) == 2  # both, each in its own ids
    for article, keys in pairs:
        assert _keyed(mapped, *mapped.from_keys(keys)) == _keyed(here, *here.counts(article))
    alone = group_story_positions(cleaned, config.cluster)
    with GroupingWorkers(config, 2) as featurize:
        assert group_story_positions(cleaned, config.cluster, featurize=featurize) == alone
        assert group_story_positions(cleaned, config.cluster, featurize=featurize) == alone  # a second call
    assert len(alone) > 3


def test_keys_read_out_of_their_order_are_refused(examples_dir: Path) -> None:
    """A featurizer maps another's ids through the features each key writes out, so a key read before
    the one that wrote out its features would stand for other features: it is refused, not misread."""
    cleaned, _ = read_cleaned([str(examples_dir / "corpus")], Config(), jobs=1)
    writer, reader = Featurizer(Config().cluster), Featurizer(Config().cluster)
    first, second = writer.keys(cleaned[0]), writer.keys(cleaned[1])
    assert second.start > 0 and second.new  # the second article brings features of its own
    with pytest.raises(ValueError, match="out of order"):
        reader.from_keys(second)
    assert _keyed(reader, *reader.from_keys(first)) == _keyed(writer, *writer.counts(cleaned[0]))
    assert _keyed(reader, *reader.from_keys(second)) == _keyed(writer, *writer.counts(cleaned[1]))
    with pytest.raises(ValueError, match="out of order"):
        reader.from_keys(first)  # read twice


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_killed_featurizing_worker_loses_no_article(examples_dir: Path) -> None:
    config = Config().replace("engine", feature_batch=2)
    cleaned, _ = read_cleaned([str(examples_dir / "corpus")], config, jobs=1)
    killed: list[int] = []
    got = []
    with GroupingWorkers(config, 2) as featurize:
        for article, keys in featurize(iter(cleaned)):
            if not killed:
                killed = [p.pid for p in multiprocessing.active_children()]
                for pid in killed:
                    os.kill(pid, signal.SIGKILL)
            got.append((article, keys))
    assert killed
    assert [a for a, _ in got] == cleaned
    assert got[-1][1] is None  # featurised by the grouper once the pool broke
    with GroupingWorkers(config, 2) as featurize:
        stories = group_story_positions(cleaned, config.cluster, featurize=_killing(featurize))
    assert stories == group_story_positions(cleaned, config.cluster)


def _killing(featurize):
    def wrapped(articles):
        for n, pair in enumerate(featurize(articles)):
            if n == 5:
                for child in multiprocessing.active_children():
                    os.kill(child.pid, signal.SIGKILL)
            yield pair
    return wrapped


def test_sketching_workers_give_the_sketches_of_one_process(examples_dir: Path) -> None:
    """Digests and band hashes from worker processes (their own lexicons) equal this process's, in order,
    and a worker killed mid-way loses no article: the rest are sketched here."""
    config = Config().replace("engine", feature_batch=2)
    cleaned, _ = read_cleaned([str(examples_dir / "corpus")], config, jobs=1)
    here = [(digest, row.tolist()) for digest, row in sketch_here(iter(cleaned), config.dedup, Lexicon())]
    assert len({digest for digest, _ in here}) < len(here)  # the corpus has an exact copy to find
    with GroupingWorkers(config, 2) as pool:
        assert [(digest, row.tolist()) for digest, row in pool.sketches(iter(cleaned))] == here
    with GroupingWorkers(config, 2) as pool:
        got, killed = [], []
        for n, (digest, row) in enumerate(pool.sketches(iter(cleaned))):
            if n == 3:
                killed = [child.pid for child in multiprocessing.active_children()]
                for pid in killed:
                    os.kill(pid, signal.SIGKILL)
            got.append((digest, row.tolist()))
    assert len(killed) == 2
    assert got == here


def _with_near_copies(articles: list[Article]) -> list[Article]:
    """`articles` and, for each, a copy missing its last paragraph (a near copy when that is short)."""
    trimmed = [dataclasses.replace(a, id=a.id + "-trimmed", text=a.text.rsplit("\n\n", 1)[0])
               for a in articles if a.text.count("\n\n") >= 4]
    return [*articles, *trimmed]


def test_copy_checking_workers_find_the_copies_of_one_process(examples_dir: Path, monkeypatch) -> None:
    """Candidate copies checked in worker processes (their own lexicons) are the copies found here, sets
    too large to send are checked here with the same result, and a worker killed mid-way loses no
    component: the rest are checked here."""
    config = Config().replace("engine", feature_batch=1)
    cleaned, _ = read_cleaned([str(examples_dir / "corpus")], config, jobs=1)
    articles = _with_near_copies(cleaned)
    here = duplicate_groups(articles, config.dedup)
    assert sum(len(group) > 1 for group in here) >= 5  # near copies to find, in several components
    checked: list[int] = []

    def counted(components):
        for component in components:
            checked.append(len(component[1]))
            yield component

    with GroupingWorkers(config, 2) as pool:
        assert duplicate_groups(articles, config.dedup, check=lambda c: pool.copies(counted(c))) == here
        assert not pool._broken and len(checked) >= 5  # the workers answered every component
    with GroupingWorkers(config, 2) as pool:
        killed: list[int] = []

        def killing(components):
            for n, found in enumerate(pool.copies(components)):
                if n == 1:
                    killed.extend(child.pid for child in multiprocessing.active_children())
                    for pid in killed:
                        os.kill(pid, signal.SIGKILL)
                yield found

        assert duplicate_groups(articles, config.dedup, check=killing) == here
        assert pool._broken  # the rest were checked here
    assert len(killed) == 2
    checked.clear()
    monkeypatch.setattr(dedup, "_SENT_TEXTS", 1)  # every set too large to send: checked here
    with GroupingWorkers(config, 2) as pool:
        assert duplicate_groups(articles, config.dedup, check=lambda c: pool.copies(counted(c))) == here
    assert checked == []


def test_grouping_over_workers_gives_the_stories_of_one_process(examples_dir: Path) -> None:
    """`group_cleaned` with workers (from 10 reports, so the 23 are enough to start them; a lexicon keeping
    10 texts) and with one process: the same copies and stories; a smaller run starts no worker."""
    cleaned, _ = read_cleaned([str(examples_dir / "corpus")], Config(), jobs=1)
    seen: list[int] = []

    def progress(stage: str, done: int, total: int) -> None:
        if stage == "group":
            seen.append(len(multiprocessing.active_children()))

    small = group_cleaned(cleaned, Config(), jobs=2, progress=progress)
    assert max(seen) == 0
    seen.clear()
    few = Config().replace("engine", lexicon_texts=10, group_workers_from=10, feature_batch=2)
    shared = group_cleaned(cleaned, few, jobs=2, progress=progress)
    assert max(seen) == 2
    alone = group_cleaned(cleaned, Config(), jobs=1)
    assert (shared.copies, shared.stories) == (alone.copies, alone.stories) == (small.copies, small.stories)


def test_forked_ranges_come_back_in_order_and_survive_a_killed_child() -> None:
    import time

    here: list[int] = []  # ranges worked in this process (a child's appends stay in the child)

    def work(start: int, stop: int) -> list[int]:
        here.append(start)
        time.sleep(0.05)  # so that both children are still at work when they are killed
        return [n * n for n in range(start, stop)]

    ranges = [(n, n + 3) for n in range(0, 30, 3)]
    with GroupingWorkers(Config(), 2) as pool:
        spawned = {child.pid for child in multiprocessing.active_children()}
        assert len(spawned) == 2
        assert [x for part in pool.forked(work, ranges) for x in part] == [n * n for n in range(30)]
        assert here == []  # the children did every range
        got, forked = [], []
        for n, part in enumerate(pool.forked(work, ranges)):
            if n == 1:
                alive = {child.pid for child in multiprocessing.active_children()}
                assert not alive & spawned  # the workers ended before the fork: their memory is free
                forked = sorted(alive)
                for pid in forked:
                    os.kill(pid, signal.SIGKILL)
            got.extend(part)
    assert len(forked) == 2
    assert got == [n * n for n in range(30)]
    assert here  # the killed children's ranges were worked here


def test_the_refinement_over_forked_processes_moves_as_one_process() -> None:
    """2,500 synthetic reports of 50 overlapping topics (three refinement ranges, so each forked process
    takes some; the refinement moves a few): the same moves with the refinement spread as without."""
    import random

    from storydesk.cluster import StoryGrouper, sort_key
    from storydesk.model import Article

    rng = random.Random(7)
    topics = [[f"t{t}w{k}" for k in range(40)] for t in range(50)]
    common = [f"c{k}" for k in range(400)]
    articles = [Article(id=f"a{n}", title=" ".join(rng.sample(topics[n % 50], 3)),
                        text=" ".join(rng.sample(topics[n % 50], 20) + rng.sample(topics[(n + 1) % 50], 10)
                                      + rng.sample(common, 40)))
                for n in range(2500)]
    config = Config()
    grouper = StoryGrouper(config.cluster, on_disk=True)
    for article in sorted(articles, key=sort_key):
        grouper.add(article)
    streamed: dict[int, list[int]] = {}
    for position, home in enumerate(grouper._home):
        streamed.setdefault(home, []).append(position)
    alone = grouper.refined_positions()
    assert sorted(alone) != sorted(streamed.values())  # the refinement moved some
    here: list[int] = []  # ranges refined in this process (a child's appends stay in the child)

    def spread(work, ranges):
        def counted(start: int, stop: int) -> list:
            here.append(start)
            return work(start, stop)
        return pool.forked(counted, ranges)

    with GroupingWorkers(config, 2) as pool:
        assert grouper.refined_positions(spread=spread) == alone
    assert here == []  # the children refined every range


def test_a_call_left_part_way_leaves_no_answer_to_the_next(examples_dir: Path) -> None:
    """Answers still due to an abandoned call are never read as a later call's: the pool works here."""
    config = Config().replace("engine", feature_batch=2)
    cleaned, _ = read_cleaned([str(examples_dir / "corpus")], config, jobs=1)
    with GroupingWorkers(config, 2) as pool:
        sketches = pool.sketches(iter(cleaned))
        next(sketches)
        sketches.close()
        pairs = list(pool(iter(cleaned)))
    assert [article for article, _ in pairs] == cleaned
    assert all(keys is None for _, keys in pairs)
