"""Timeline17 scoring through tilse on hand-made timelines, and a bounded run on one real topic."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest

pytest.importorskip("tilse")

from storydesk_eval.timeline import _tilse_scores as tilse_scores
from storydesk_eval.timeline import average, evaluate_timeline, make_evaluator, setting, topic_query

D1, D2, D3 = dt.date(2010, 1, 12), dt.date(2010, 1, 13), dt.date(2010, 1, 20)


def _rouge_perl_works() -> bool:
    perl = shutil.which("perl")
    return bool(perl) and subprocess.run([perl, "-MXML::DOM", "-e", "1"], capture_output=True).returncode == 0


needs_rouge = pytest.mark.skipif(
    not _rouge_perl_works(), reason="ROUGE-1.5.5 needs perl's XML::DOM (make eval-deps)"
)


@needs_rouge
def test_identical_timelines_score_one() -> None:
    ref = {D1: ["Earthquake strikes capital city"], D2: ["Rescue teams arrive from abroad"]}
    scores = tilse_scores(ref, ref, make_evaluator())
    assert scores["date"]["f_score"] == 1.0
    assert scores["rouge_1"]["f_score"] == pytest.approx(1.0)
    assert scores["rouge_2"]["f_score"] == pytest.approx(1.0)


@needs_rouge
def test_disjoint_timelines_score_zero() -> None:
    scores = tilse_scores({D3: ["Parliament debates budget reform"]}, {D1: ["Earthquake strikes capital"]},
                          make_evaluator())
    assert scores["date"]["f_score"] == 0.0
    assert scores["rouge_1"]["f_score"] == 0.0


def test_empty_prediction_scores_zero() -> None:
    scores = tilse_scores({}, {D1: ["Earthquake strikes capital"]}, make_evaluator("reimpl"))
    assert all(v["f_score"] == 0.0 for v in scores.values())


def test_news_tls_averaging_takes_f_of_mean_precision_and_recall() -> None:
    rows = [
        {m: {"precision": 1.0, "recall": 0.0, "f_score": 0.0} for m in ("date", "rouge_1", "rouge_2")},
        {m: {"precision": 0.0, "recall": 1.0, "f_score": 0.0} for m in ("date", "rouge_1", "rouge_2")},
    ]
    assert average(rows)["date"] == {"precision": 0.5, "recall": 0.5, "f_score": 0.5}


def test_standard_setting_of_a_reference() -> None:
    ref = {D2: ["a", "b", "c"], D1: ["d"], D3: ["e", "f"]}
    assert setting(ref) == {"dates": 3, "sentences": 2, "start": D1, "end": D3}
    assert topic_query("bpoil_bbc") == "bpoil" and topic_query("EgyptianProtest_cnn") == "EgyptianProtest"


@needs_rouge
def test_small_topic_run(eval_dir) -> None:
    result = evaluate_timeline(eval_dir / "timeline17", topics=["H1N1_guardian"])
    for system in ("storydesk", "baseline"):
        row = result["topics"][system]["H1N1_guardian"]
        assert 0.0 < row["date"]["f_score"] <= 1.0
        assert 0.0 <= row["rouge_2"]["f_score"] <= row["rouge_1"]["f_score"] <= 1.0
        assert result["mean"][system] == row
