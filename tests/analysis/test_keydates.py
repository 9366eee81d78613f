"""Key dates of a long-running story: the query, relative dates, the window, and the CLI contract."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

from storydesk.analysis.keydates import key_dates, query_matcher, query_terms
from storydesk.model import Article

TEXTS = [
    "The Iraq war entered its fifth year as Iraqi troops took over in Basra.",
    "Financial markets fell as the financial crisis spread to Europe; finance ministers met.",
    "Protesters in Cairo said the Egyptian protest movement would continue.",
    "BP said the oil spill grew. Michael Jackson fans gathered. The H1N1 virus spread.",
] * 5


def test_folder_style_queries_read_against_the_reports() -> None:
    assert query_terms("IraqWar", TEXTS) == [("iraq",), ("war",)]
    assert query_terms("EgyptianProtest", TEXTS) == [("egyptian",), ("protest",)]
    assert set(query_terms("Finan", TEXTS)) == {("financial",), ("finance",)}
    assert query_terms("bpoil", TEXTS) == [("bp", "oil")]
    assert query_terms("MJ", TEXTS) == [("michael", "jackson")]
    assert query_terms("H1N1", TEXTS) == [("h1n1",)]


def test_camel_case_parts_are_read_like_words() -> None:
    texts = ["Syria said on Monday that the crisis in Syria would end."] * 4
    assert query_terms("SyrianCrisis", texts) == [("syrian",), ("crisis",)]
    names = query_matcher(query_terms("SyrianCrisis", texts))
    assert names("Syria's army shelled Homs.") and names("Syrians fled.")
    assert not query_matcher([("war",)])("A warning was issued.")
    assert query_matcher([("iraq",)])("Iraqi troops")


def test_a_truncated_word_is_not_cut_into_small_words() -> None:
    texts = ["The fin of an F-16 in a financial report."] * 4
    assert ("f", "in", "an") not in query_terms("Finan", texts)


def test_a_report_names_a_term_with_all_its_words() -> None:
    names = query_matcher([("bp", "oil"), ("haiti",)])
    assert names("BP cut its oil output.") and names("Haiti mourns.")
    assert not names("BP shares rose.")


def _article(n: int, day: dt.date, text: str) -> Article:
    return Article(id=f"a{n}", text=text, published=day)


def test_relative_dates_resolve_with_tense_and_count() -> None:
    friday = dt.date(2011, 2, 4)
    articles = [
        _article(i, friday, f"Crowds gathered in Tahrir Square on Tuesday, report {i} said. More followed.")
        for i in range(3)
    ] + [_article(9, friday, "A general strike will begin on Tuesday across the country, unions said.")]
    found = key_dates(articles, dates=2, sentences=1)
    days = [k.date for k in found]
    assert dt.date(2011, 2, 1) in days  # past tense: the Tuesday before
    assert dt.date(2011, 2, 8) in days  # future tense: the Tuesday after
    tuesday = next(k for k in found if k.date == dt.date(2011, 2, 1))
    assert set(tuesday.sources) >= {0, 1, 2}
    assert "Tahrir Square on Tuesday" in tuesday.sentences[0]


def test_window_and_query_restrict_the_reports() -> None:
    early, late = dt.date(2010, 5, 1), dt.date(2010, 6, 1)
    articles = [
        _article(1, early, "Oil from the BP well reached the coast on April 30, officials said."),
        _article(2, late, "Oil from the BP well reached Florida on May 30, officials said today."),
        _article(3, late, "Football fans celebrated the victory on May 30 in the capital, police said."),
    ]
    found = key_dates(articles, dates=5, sentences=2, start=dt.date(2010, 5, 20), end=late, query="bpoil")
    assert dt.date(2010, 5, 30) in [k.date for k in found]
    assert all(k.sources == [1] for k in found)
    assert all("Football" not in s for k in found for s in k.sentences)


def test_cli_json_contract(tmp_path: Path) -> None:
    lines = [
        ("2010-01-13", "A powerful earthquake struck Haiti on Tuesday, officials said."),
        ("2010-01-14", "Rescuers searched the rubble in Haiti yesterday for survivors."),
        ("2010-01-14", "The earthquake that hit Haiti on Tuesday killed thousands of people."),
    ]
    path = tmp_path / "articles.jsonl"
    path.write_text(
        "".join(json.dumps({"id": str(n), "time": d, "text": t}) + "\n" for n, (d, t) in enumerate(lines)),
        encoding="utf-8",
    )
    args = ["timeline", str(path), "--dates", "2", "--sentences", "1", "--from", "2010-01-12", "--to",
            "2010-01-14", "--query", "haiti", "--format", "json"]  # fmt: skip
    proc = subprocess.run(
        [str(Path(sys.executable).with_name("storydesk")), *args], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    entries = json.loads(proc.stdout)["timeline"]
    assert 1 <= len(entries) <= 2
    assert entries == sorted(entries, key=lambda e: e["date"])
    first = entries[0]
    assert first["date"] == "2010-01-12" and first["sources"] == [1, 3] and len(first["sentences"]) == 1
