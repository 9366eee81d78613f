"""The summary-evaluation harness: metric keys, word budget, baselines, reference handling, output files."""

from __future__ import annotations

import io
import json
from pathlib import Path

from rich.console import Console

from storydesk.model import Article
from storydesk.text import sentences
from storydesk_eval.baselines import BASELINES, lead, lead_round_robin
from storydesk_eval.rouge import cut_to_budget, reference_sentences, rouge
from storydesk_eval.summaries import KEYS, evaluate_summaries


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


# Four invented reports on one invented event: concepts (stem pairs) recur across reports in varied sentences.
_REPORTS = [
    "The city council approved the new harbour budget on Tuesday after a long debate about ferry fares.\n\n"
    "Council members said the harbour budget would fund repairs to the old ferry terminal next spring.\n\n"
    "A local bakery reported record sales of bread during the annual harbour festival last weekend.",
    "After a long debate the city council approved the harbour budget on Tuesday, raising ferry fares.\n\n"
    "The ferry terminal repairs will start next spring and take about two years, officials said today.",
    "Ferry fares will rise under the harbour budget that the city council approved on Tuesday evening.\n\n"
    "Residents of the island villages said higher ferry fares would hurt commuters and small shops.",
    "The harbour budget passed the city council on Tuesday, and ferry terminal repairs begin next spring.\n\n"
    "Commuters from the island villages plan a protest against the higher ferry fares next month.",
]


def _articles() -> list[Article]:
    return [Article(id=f"r{i}", text=t) for i, t in enumerate(_REPORTS)]


def test_icsi_solves_the_concept_program_exactly() -> None:
    """The ILP's choice covers as much concept weight as the best subset found by brute force."""
    import itertools

    from storydesk.analysis.brief.features import concept_weights
    from storydesk.analysis.brief.units import split_articles
    from storydesk_eval.baselines import ICSI_MIN_WORDS, icsi

    arts = _articles()
    sents = split_articles(arts)
    weights = concept_weights(sents, len(arts))
    cands = [s for s in sents if s.n_words >= ICSI_MIN_WORDS]

    def covered(chosen: list) -> int:
        return sum(weights[b] for b in set().union(*(s.bigrams for s in chosen)) if b in weights)

    for budget in (20, 40, 60):
        best = max(
            covered(list(c))
            for r in range(len(cands) + 1)
            for c in itertools.combinations(cands, r)
            if sum(s.n_words for s in c) <= budget
        )
        out = icsi(arts, budget)
        assert sum(len(t.split()) for t in out) <= budget
        by_text = {s.text: s for s in cands}
        assert all(t in by_text for t in out)
        assert covered([by_text[t] for t in out]) == best > 0


def test_submodular_within_budget_and_diverse() -> None:
    from storydesk_eval.baselines import submodular

    arts = _articles()
    texts = {s.text for a in arts for s in sentences(a.text)}
    for budget in (15, 40, 80):
        out = submodular(arts, budget)
        assert out and set(out) <= texts
        assert sum(len(t.split()) for t in out) <= budget
        assert len(set(out)) == len(out)
    # The off-topic bakery sentence is the least covered sentence: it must not be picked at a small budget.
    assert not any("bakery" in t for t in submodular(arts, 40))
    assert submodular(arts, 40) == submodular(list(arts), 40)


def test_rouge155_scores_as_the_perl_script_does(tmp_path: Path) -> None:
    import pytest

    from storydesk_eval.rouge import rouge155, rouge155_home

    if rouge155_home() is None:
        pytest.skip("ROUGE-1.5.5 needs tilse's copy and perl's XML::DOM (make eval-deps)")
    same = rouge155([["The river flooded the lower town."]], [[["The river flooded the lower town."]]])
    assert same["rouge1_r"] == same["rouge2_r"] == 100.0
    none = rouge155([["Completely unrelated words here."]], [[["The river flooded the lower town."]]])
    assert none["rouge1_r"] == 0.0
    # stemming (-m): "flooding" matches "flooded"; averaged over clusters
    two = rouge155([["The river flooding the town."], ["Cats sleep."]],
                   [[["The river flooded the town."]], [["Dogs bark loudly."]]])
    assert 0.0 < two["rouge1_r"] < 100.0 and two["rouge1_r_ci"][0] <= two["rouge1_r"] <= two["rouge1_r_ci"][1]
    rows = [{"documents": ["The river flooded the lower town on Sunday night after days of heavy rain.",
                           "Heavy rain made the river flood the lower town on Sunday night, officials said."],
             "summary": "The river flooded the lower town after heavy rain."}]
    path = tmp_path / "clusters.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    result = evaluate_summaries(path, max_words=20, scorer="rouge155", console=_quiet())
    assert result["scorer"] == "rouge155" and result["systems"]["storydesk"]["rouge1_r"] > 50.0
    assert evaluate_summaries(path, max_words=20, min_reports=3, console=_quiet())["clusters"] == 0
