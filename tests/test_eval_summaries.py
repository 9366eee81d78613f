"""The summary-evaluation harness: metric keys, word budget, baselines, reference handling, output files."""

from __future__ import annotations

import io
import json
from pathlib import Path

from rich.console import Console

from storydesk.eval.baselines import BASELINES, lead, lead_round_robin
from storydesk.eval.rouge import cut_to_budget, reference_sentences, rouge
from storydesk.eval.summaries import KEYS, evaluate_summaries
from storydesk.model import Article


def _quiet() -> Console:
    return Console(file=io.StringIO(), width=160)


def test_cut_to_budget() -> None:
    sents = ["one two three", "four five six seven", "eight"]
    assert cut_to_budget(sents, 5) == ["one two three", "four five"]
    assert cut_to_budget(sents, 0) == []
    assert cut_to_budget(sents, 100) == sents


def test_reference_dash_is_stripped() -> None:
    assert reference_sentences("– The vote passed. Few were surprised.") == [
        "The vote passed.",
        "Few were surprised.",
    ]


def test_rouge_is_perfect_on_identity_and_zero_on_disjoint() -> None:
    ref = [["The vote passed on Monday.", "Few were surprised."]]
    same = rouge(ref[0], ref)
    assert all(same[k] > 99.9 for k in KEYS)
    assert rouge(["Completely unrelated words here."], ref)["rouge1_f"] == 0.0


def test_lead_baselines_order() -> None:
    arts = [
        Article(id="a", text="Alpha one is here.\n\nAlpha two is here.\n\nAlpha three is here."),
        Article(id="b", text="Beta one is here.\n\nBeta two is here."),
    ]
    assert lead(arts, 8) == ["Alpha one is here.", "Alpha two is here."]
    assert lead_round_robin(arts, 12) == ["Alpha one is here.", "Beta one is here.", "Alpha two is here."]


def test_harness_on_made_up_references(tmp_path: Path) -> None:
    rows = [
        {
            "documents": [
                "The river flooded the lower town on Sunday night after days of heavy rain.\n\n"
                "Hundreds of residents were moved to the school gym by the fire brigade.",
                "Heavy rain made the river flood the lower town on Sunday night, officials said.\n\n"
                "The school gym became a shelter for hundreds of residents.",
            ],
            "references": [
                "– The river flooded the lower town after heavy rain.",
                "Residents were sheltered.",
            ],
        }
    ]
    path = tmp_path / "clusters.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    result = evaluate_summaries(path, max_words=20, out_dir=tmp_path / "out", console=_quiet())
    assert result["clusters"] == 1
    assert set(result["systems"]) == {"storydesk"}
    assert result["systems"]["storydesk"]["rouge1_f"] > 20.0
    assert (tmp_path / "out" / "summaries.json").is_file()
    assert "| storydesk |" in (tmp_path / "out" / "summaries.md").read_text(encoding="utf-8")


def test_multinews_slice_with_baselines(eval_dir: Path) -> None:
    result = evaluate_summaries(
        eval_dir / "multinews" / "validation.jsonl", limit=3, baselines=True, console=_quiet()
    )
    assert result["clusters"] == 3
    assert set(result["systems"]) == {"storydesk", *BASELINES}
    for row in result["systems"].values():
        assert set(row) == {*KEYS, "ms_median", "ms_mean"}
        assert all(0.0 <= row[k] <= 100.0 for k in KEYS)
        assert row["rouge1_f"] > 10.0
