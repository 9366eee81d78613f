"""Per-story analysis over worker processes gives exactly what one process gives."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from storydesk.config import Config
from storydesk.document import build_document
from storydesk.engines.local import analyse_stories, iter_analysed, plan_batches
from storydesk.pipeline import prepare

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
