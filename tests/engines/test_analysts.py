"""A stream's analysts (`storydesk.engines.analysts`): real spawned workers give the stories one process
gives, a grown story goes back to its analyst, and a dead worker's share is analysed by the parent."""

from __future__ import annotations

import dataclasses
import os
import signal
from pathlib import Path

import pytest

from storydesk.clean import clean_article
from storydesk.cluster import group_stories, story_id
from storydesk.config import Config
from storydesk.document import story_to_dict
from storydesk.engines.analysts import RESTARTS, Analysts
from storydesk.ingest import read_inputs
from storydesk.model import Article
from storydesk.store import Store
from storydesk.stream import ingest_paths

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "examples" / "corpus"


@pytest.fixture(scope="module")
def stories() -> dict[str, list[Article]]:
    read, _ = read_inputs([str(CORPUS)])
    groups = group_stories([clean_article(a) for a in read])
    return {story_id(g): g for g in sorted(groups, key=len, reverse=True)[:4]}


def _fake(sizes: dict[str, int]) -> dict[str, list[Article]]:
    return {sid: [Article(id=f"{sid}{i}", text="x") for i in range(n)] for sid, n in sizes.items()}


def test_shares_keep_a_story_with_its_analyst_and_balance_the_new_ones() -> None:
    analysts = Analysts(Config(), jobs=2)  # [engine] batch_articles = 40
    first = analysts.shares(_fake({"a": 25, "b": 20, "c": 5}))
    assert first == [["b", "c"], ["a"]]  # largest first, each to the least loaded (ties: this process, last)
    analysts._home.update({sid: k for k, share in enumerate(first) for sid in share})
    # stories analysed before go back first (b and c to the worker, a here), then the new: x to the worker
    assert analysts.shares(_fake({"x": 30, "a": 26, "b": 1, "c": 1})) == [["b", "c", "x"], ["a"]]
    # a small batch keeps its new stories here; a story with a home still goes there
    assert analysts.shares(_fake({"y": 3, "b": 2})) == [["b"], ["y"]]
    analysts._deaths[0] = RESTARTS + 1  # the worker kept dying: its slot is given up
    assert analysts.shares(_fake({"x": 30, "b": 20})) == [[], ["b", "x"]]


def _spreading() -> Config:
    """The shipped settings, but every batch shared out, however small (the sample corpus is)."""
    base = Config()
    return dataclasses.replace(base, engine=dataclasses.replace(base.engine, batch_articles=1),
                               stream=dataclasses.replace(base.stream, batch_reports=8))


def test_workers_analyse_as_this_process_does_and_a_dead_one_is_replaced(
    stories: dict[str, list[Article]],
) -> None:
    config = _spreading()
    alone = Analysts(config, jobs=1).analyse(stories)
    with Analysts(config, jobs=2) as analysts:
        first = analysts.analyse(stories)
        worker = analysts._workers[0]
        assert worker is not None  # it took a share
        for pid in list(worker._processes):  # killed between batches: found dead at the next
            os.kill(pid, signal.SIGKILL)
        again = analysts.analyse(stories)
        third = analysts.analyse(stories)  # a new worker in its place
        assert analysts._workers[0] is not None and analysts._workers[0] is not worker
    for got in (first, again, third):
        assert {sid: story_to_dict(s) for sid, s in got.items()} == \
            {sid: story_to_dict(s) for sid, s in alone.items()}


def test_an_ingest_over_two_processes_stores_the_stories_of_one(tmp_path: Path) -> None:
    config = _spreading()
    stored = []
    for jobs in (1, 2):
        store = Store(tmp_path / f"{jobs}.sqlite")
        with Analysts(config, jobs) as analysts:
            updates, _ = ingest_paths(store, [str(CORPUS)], config, analysts=analysts)
            assert len(updates) > 2
            assert any(w is not None for w in analysts._workers) == (jobs == 2)  # a worker took shares
        stored.append({s.id: story_to_dict(store.find_story(s.id)) for s in store.list_stories()})
    assert stored[0] == stored[1]


def test_stopping_on_an_error_does_not_wait_for_the_workers(stories: dict[str, list[Article]]) -> None:
    analysts = Analysts(_spreading(), jobs=2)
    future = analysts._submit(0, [list(g) for g in stories.values()] * 20)  # minutes of work
    worker = analysts._workers[0]
    assert worker is not None
    processes = list(worker._processes.values())
    analysts.close(now=True)
    assert all(not p.is_alive() for p in processes)
    assert future.done() and future.exception() is not None  # stopped, not finished
