"""The citation check: its aligner's entailment rule, precision and carrier recall on made-up briefs."""

from __future__ import annotations

import io
import json
from pathlib import Path

from rich.console import Console

from storydesk.model import Article, BriefSentence
from storydesk_eval.citations import Tally, Unit, check_brief, entails, evaluate_citations

REPORTS = [
    Article(id="a", text="City engineers put the cost of repairs at $3.2 million.\n\nIt reopens in June."),
    Article(id="b", text="City engineers put the cost of repairs at $2.3 million on Tuesday."),
    Article(id="c", text="Officials said city engineers put the cost of repairs at $3.2 million. More soon."),
    Article(id="d", text="The bridge was not damaged, Mayor Vance said."),
]


def test_entailment_needs_numbers_names_negation_and_most_content() -> None:
    claim = Unit("City engineers put the cost of repairs at $3.2 million.")
    assert entails(Unit("Officials said city engineers put the cost of repairs at $3.2 million."), claim)
    assert not entails(Unit("City engineers put the cost of repairs at $2.3 million."), claim)
    assert not entails(Unit("City engineers put the cost of repairs at $3.2 billion."), claim)
    assert not entails(Unit("The cost is $3.2 million."), claim)  # most content missing
    said = Unit("The bridge was damaged, Mayor Vance said.")
    assert not entails(Unit("The bridge was not damaged, Mayor Vance said."), said)
    assert not entails(Unit("The bridge was damaged, Councillor Dunmore said."), said)


def test_precision_and_recall_of_near_verbatim_carriers() -> None:
    right = BriefSentence("City engineers put the cost of repairs at $3.2 million.", ["a", "c"])
    tally = Tally()
    check_brief([right], REPORTS, tally)
    assert (tally.citations, tally.right, tally.carriers, tally.carriers_cited) == (2, 2, 1, 1)
    wrong = BriefSentence("City engineers put the cost of repairs at $3.2 million.", ["a", "b"])
    tally = Tally()
    check_brief([wrong, BriefSentence("Reports differ on the cost.", ["a", "b"], "conflict")], REPORTS, tally)
    summary = tally.summary()
    assert summary["precision"] == 0.5 and summary["other_near_verbatim_recall"] == 0.0
    assert summary["generated_lines"] == 1 and summary["lifted_from_cited"] == 1.0


def test_the_command_on_made_up_clusters(tmp_path: Path) -> None:
    row = {"documents": [a.text for a in REPORTS], "summary": "unused"}
    path = tmp_path / "clusters.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    result = evaluate_citations(path, max_words=60, out=tmp_path / "out", console=Console(file=io.StringIO()))
    assert result["stories"] == 1 and result["citations"] >= result["sentences"] >= 1
    assert result["precision"] == 1.0
    assert json.loads((tmp_path / "out" / "citations.json").read_text(encoding="utf-8")) == result
