"""B-cubed scoring and the ECB+ story-grouping harness (product path, k-fold by topic) on four topics."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from storydesk_eval.bcubed import bcubed
from storydesk_eval.stories import BASELINE_DISTANCES, GRID, evaluate_stories, read_as_files, read_ecb


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


def test_articles_reach_the_product_as_anonymous_files(four_topics: Path) -> None:
    rows = read_ecb(four_topics)
    articles, row_of = read_as_files(rows)
    assert sorted(row_of.values()) == list(range(len(rows)))
    assert all(Path(p).name[:-4].isdigit() for p in row_of)  # no doc, topic or event in the name
    assert len(articles) + sum(len(a.copies) for a in articles) == len(rows)


def test_held_out_folds_are_scored_with_knobs_tuned_on_the_other_topics(four_topics: Path) -> None:
    out = io.StringIO()
    result = evaluate_stories(four_topics, folds=2, orders=2, console=Console(file=out, width=160))
    rows = read_ecb(four_topics)
    assert result["articles"] == len(rows) and result["gold_stories"] == 8
    assert len(result["folds"]) == 2
    assert {t for f in result["folds"] for t in f["test_topics"]} == {"2", "3", "4", "5"}
    for fold in result["folds"]:
        held = {i: r["event"] for i, r in enumerate(rows) if r["topic"] in fold["test_topics"]}
        trivial = bcubed(dict.fromkeys(held, 0), held)["f1"]
        assert all(fold["knobs"][k] in values for k, values in GRID.items())
        assert fold["distance"] in BASELINE_DISTANCES
        assert fold["storydesk"]["f1"] > trivial + 0.1
    gold = {i: r["event"] for i, r in enumerate(rows)}
    assert result["in_sample"]["f1"] > bcubed(dict.fromkeys(gold, 0), gold)["f1"] + 0.1
    assert 0.0 < result["held_out"]["baseline"]["f1"] <= 1.0
    assert len(set(result["orders_mean_fold_f1"])) == 1  # grouping does not depend on input order
    assert "held out" in out.getvalue() and "In-sample" in out.getvalue()
