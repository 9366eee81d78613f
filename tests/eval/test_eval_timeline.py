"""Timeline17 metrics on hand-made timelines, and a bounded run on one real topic."""

from __future__ import annotations

import datetime as dt

import pytest

from storydesk_eval.timeline import alignment_rouge, date_f1, evaluate_timeline, topic_keywords

D1, D2, D3 = dt.date(2010, 1, 12), dt.date(2010, 1, 13), dt.date(2010, 1, 20)


def test_identical_timelines_score_one():
    ref = {D1: ["Earthquake strikes capital city"], D2: ["Rescue teams arrive from abroad"]}
    assert date_f1(ref, ref) == 1.0
    for n in (1, 2):
        assert alignment_rouge(ref, ref, n)["f"] == pytest.approx(1.0)


def test_disjoint_timelines_score_zero():
    ref = {D1: ["Earthquake strikes capital city"]}
    pred = {D3: ["Parliament debates budget reform"]}
    assert date_f1(pred, ref) == 0.0
    assert alignment_rouge(pred, ref, 1)["f"] == 0.0


def test_partial_case_computed_by_hand():
    # Reference tokens after stop words and stemming: {earthquak, strike, capit} / {rescu, team, arriv}.
    ref = {D1: ["Earthquake strikes capital"], D2: ["Rescue teams arrive"]}
    # One exact day sharing 2 of 3 words; one day a week off sharing 1 of 2 words.
    pred = {D1: ["Earthquake strikes town"], D3: ["Rescue dogs"]}
    assert date_f1(pred, ref) == pytest.approx(0.5)  # P = 1/2, R = 1/2
    # Precision: D1->D1 hits 2 of 3; D3->D2 (7 days apart, weight 1/8) hits 1 of 2 -> (2 + 1/8) / 5.
    # Recall: D1->D1 hits 2 of 3; D2 aligns to D1 (cost (1 - 1/2) * 1 = 0.5 beats D3's (1 - 1/8) * (1 - 0.4)
    # = 0.525), where it hits nothing -> 2 / 6.
    p, r = 2.125 / 5, 2 / 6
    scores = alignment_rouge(pred, ref, 1)
    assert scores["precision"] == pytest.approx(p)
    assert scores["recall"] == pytest.approx(r)
    assert scores["f"] == pytest.approx(2 * p * r / (p + r))
    # ROUGE-2: only "earthquak strike" matches on D1: P = 1/3 (3 predicted bigrams), R = 1/4.
    assert alignment_rouge(pred, ref, 2)["f"] == pytest.approx(2 * (1 / 3) * (1 / 4) / (1 / 3 + 1 / 4))


def test_keywords_from_folder_names():
    texts = ["BP said the oil spill grew.", "Oil reached the coast, BP said."] * 3
    assert topic_keywords("bpoil_bbc", texts) == ["bp", "oil"]
    assert topic_keywords("MJ_bbc", ["Michael Jackson died.", "Fans mourn Michael Jackson."]) == [
        "michael",
        "jackson",
    ]


def test_small_topic_run(eval_dir):
    result = evaluate_timeline(eval_dir / "timeline17", topics=["H1N1_guardian"])
    row = result["topics"]["H1N1_guardian"]
    assert row["timelines"] >= 1
    assert 0.0 < row["date_f1"] <= 1.0 and 0.0 < row["ar1_f"] <= 1.0 and 0.0 <= row["ar2_f"] <= row["ar1_f"]
    assert result["mean"]["date_f1"] == pytest.approx(row["date_f1"])
