"""B-cubed scoring and the ECB+ story-grouping harnesses on a four-topic slice."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from storydesk_eval.bcubed import bcubed
from storydesk_eval.stories import THRESHOLDS, evaluate_stories, read_ecb, two_fold_by_topic


def test_bcubed_perfect_and_all_in_one() -> None:
    gold = {"a": 1, "b": 1, "c": 2, "d": 2}
    assert bcubed(gold, gold) == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    lumped = bcubed(dict.fromkeys(gold, 0), gold)
    assert lumped["precision"] == pytest.approx(0.5) and lumped["recall"] == 1.0
    split = bcubed({k: k for k in gold}, gold)
    assert split["precision"] == 1.0 and split["recall"] == pytest.approx(0.5)


@pytest.fixture(scope="module")
def four_topics(eval_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    rows = [r for r in read_ecb(eval_dir / "ecbplus" / "dev.jsonl") if r["topic"] in {"2", "3", "4", "5"}]
    path = tmp_path_factory.mktemp("ecb") / "slice.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_evaluate_stories_on_four_topics(four_topics: Path) -> None:
    out = io.StringIO()
    result = evaluate_stories(four_topics, console=Console(file=out, width=120))
    rows = read_ecb(four_topics)
    gold = {r["doc"]: r["event"] for r in rows}
    trivial = bcubed(dict.fromkeys(gold, 0), gold)
    assert result["articles"] == len(rows) and result["gold_stories"] == 8
    for method in ("storydesk", "baseline"):
        scores = result[method]
        assert 0.0 <= scores["precision"] <= 1.0 and 0.0 <= scores["recall"] <= 1.0
        assert scores["seconds"] >= 0.0 and scores["stories"] >= 1
    assert result["storydesk"]["f1"] > trivial["f1"] + 0.1
    assert "storydesk" in out.getvalue() and "F1" in out.getvalue()


def test_two_fold_by_topic_scores_each_half_with_the_other_halfs_threshold(four_topics: Path) -> None:
    rows = read_ecb(four_topics)
    folds = two_fold_by_topic(four_topics, console=Console(file=io.StringIO()))
    assert [set(f["tuned_on"]) for f in folds] == [{"2", "3"}, {"4", "5"}]
    for fold in folds:
        held_out = {r["doc"]: r["event"] for r in rows if r["topic"] not in fold["tuned_on"]}
        assert fold["threshold"] in THRESHOLDS
        assert fold["f1"] > bcubed(dict.fromkeys(held_out, 0), held_out)["f1"] + 0.1
