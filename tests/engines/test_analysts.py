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
from storydesk.engines.analysts import Analysts
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


def test_shares_keep_a_story_with_its_analyst_and_balance_the_new_ones() -> None:
    analysts = Analysts(Config(), jobs=2)
    fake = {sid: [Article(id=f"{sid}{i}", text="x")] * n for i, (sid, n) in
            enumerate([("a", 5), ("b", 4), ("c", 1)])}
    first = analysts.shares(fake)
    assert first == [["b", "c"], ["a"]]  # largest first, each to the least loaded (ties: this process, last)
    analysts._home.update({sid: k for k, share in enumerate(first) for sid in share})
    grown = {**fake, "b": fake["b"] * 3, "d": fake["c"]}
    assert analysts.shares(grown) == [["b", "c"], ["a", "d"]]  # b and c stay where their parses are


def test_workers_analyse_as_this_process_does_and_a_dead_one_is_replaced(
    stories: dict[str, list[Article]],
) -> None:
    config = Config()
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
    base = Config()
    config = dataclasses.replace(base, stream=dataclasses.replace(base.stream, batch_reports=8))
    stored = []
    for jobs in (1, 2):
        store = Store(tmp_path / f"{jobs}.sqlite")
        updates, _ = ingest_paths(store, [str(CORPUS)], config, jobs=jobs)
        assert len(updates) > 2
        stored.append({s.id: story_to_dict(store.find_story(s.id)) for s in store.list_stories()})
    assert stored[0] == stored[1]
