"""report.writer: a run's three files written story by story, in any arrival order, are the same bytes as
rendering all the stories at once."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from storydesk.document import build_document
from storydesk.model import Rejected, RunResult
from storydesk.report import RunWriter, render_html, render_markdown, report_view

REJECTED = [Rejected(path="odd <b>[/]</b>.txt", reason="empty file", stage="read")]


def _expected(result: RunResult) -> dict[str, str]:
    view = report_view(result, generated_at="T")
    return {"json": json.dumps(build_document(result, generated_at="T"), ensure_ascii=False, indent=2),
            "html": render_html(view), "markdown": render_markdown(view)}


@pytest.mark.parametrize("take", [slice(None), slice(0, 1), slice(0, 0)], ids=["all", "one", "none"])
def test_shuffled_arrival_writes_the_whole_render(corpus_result: RunResult, tmp_path: Path, take: slice):
    result = RunResult(stories=corpus_result.stories[take], rejected=REJECTED)
    arrival = list(enumerate(result.stories))
    random.Random(7).shuffle(arrival)
    with RunWriter(tmp_path, generated_at="T") as writer:
        for index, story in arrival:
            writer.add(index, story)
        paths = writer.finish(result.rejected)
    assert {fmt: path.read_text(encoding="utf-8") for fmt, path in paths.items()} == _expected(result)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html", "report.md", "stories.json"]


def test_a_missing_or_repeated_story_is_refused(corpus_result: RunResult, tmp_path: Path):
    story = corpus_result.stories[0]
    with RunWriter(tmp_path, generated_at="T") as writer:
        writer.add(1, story)
        with pytest.raises(ValueError, match="already added"):
            writer.add(1, story)
        with pytest.raises(ValueError, match=r"missing from the run: \[0\]"):
            writer.finish([])
    assert list(tmp_path.iterdir()) == []  # nothing half-written, no spool left behind
