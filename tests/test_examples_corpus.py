"""The bundled sample corpus agrees with its gold file (examples/expected.json).

Other stages test against this gold, so a wrong answer here would mislead them all: every reference must
resolve, every quoted string must be in its report, and every relative date must follow from the calendar.
"""

from __future__ import annotations

import calendar
import datetime as dt
import html
import json
import re
from pathlib import Path

import lxml.html
import pytest
from rapidfuzz.distance import Levenshtein

CHROME = "ancestor::nav or ancestor::header or ancestor::footer or ancestor::aside or ancestor::section"
WEEKDAYS = [d.lower() for d in calendar.day_name]
MONTHS = [m.lower() for m in calendar.month_name]


@pytest.fixture(scope="module")
def gold(examples_dir: Path) -> dict:
    return json.loads((examples_dir / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def raw(examples_dir: Path, gold: dict) -> dict[str, str]:
    """Each report's raw content by gold reference: file text, or the jsonl record's `text`/`html`."""
    out = {}
    for ref in gold["reports"]:
        path, _, line = ref.partition("#")
        content = (examples_dir / path).read_text(encoding="utf-8")
        if line:
            record = json.loads(content.splitlines()[int(line) - 1])
            content = record.get("text") or record["html"]
        out[ref] = content
    return out


def is_html(content: str) -> bool:
    return content.lstrip().startswith("<")


def readable(content: str) -> str:
    """What a reader could see, for substring checks: HTML entities decoded, tags left in place."""
    return html.unescape(content) if is_html(content) else content


def body_text(content: str) -> str:
    """The article body: HTML paragraphs outside page chrome, or the whole plain text."""
    if not is_html(content):
        return content
    doc = lxml.html.fromstring(content)
    paragraphs = doc.xpath(f"//p[not({CHROME})][not(contains(@class, 'meta'))]")
    return "\n".join(p.text_content() for p in paragraphs)


def test_corpus_files_are_in_the_gold_and_named_without_the_answer(examples_dir: Path, gold: dict) -> None:
    corpus = examples_dir / "corpus"
    files = {p.relative_to(examples_dir).as_posix() for p in corpus.rglob("*") if p.is_file()}
    referenced = {ref.partition("#")[0] for ref in gold["reports"]}
    assert files == referenced
    neutral = r"corpus/[a-z-]+/(\d{4}-\d{2}-\d{2}(-\d{4})?|undated-\d+|feed)\.(txt|html|jsonl)"
    for name in files:
        assert re.fullmatch(neutral, name), name
    for name in files:
        if name.endswith(".jsonl"):
            lines = (examples_dir / name).read_text(encoding="utf-8").splitlines()
            assert {f"{name}#{i}" for i in range(1, len(lines) + 1)} <= set(gold["reports"])


def test_jsonl_lines_parse_with_the_documented_fields(examples_dir: Path) -> None:
    allowed = {"text", "html", "title", "url", "outlet", "published"}
    for path in (examples_dir / "corpus").rglob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            assert set(record) <= allowed
            assert ("text" in record) != ("html" in record)


def test_corpus_meets_the_minimums(gold: dict, raw: dict[str, str]) -> None:
    reports = gold["reports"]
    grouped = [ref for refs in gold["stories"].values() for ref in refs]
    assert sorted(grouped) == sorted(reports)
    assert len(gold["stories"]) >= 4 and len(reports) >= 18
    assert len({r["outlet"] for r in reports.values()}) >= 6
    assert {r["format"] for r in reports.values()} == {"txt", "html", "jsonl"}
    assert all(3 <= len(refs) <= 7 for refs in gold["stories"].values())
    for ref, content in raw.items():
        assert 150 <= len(body_text(content).split()) <= 700, ref


def test_report_metadata_is_in_the_report(examples_dir: Path, gold: dict, raw: dict[str, str]) -> None:
    for ref, meta in gold["reports"].items():
        path, _, line = ref.partition("#")
        text = readable((examples_dir / path).read_text(encoding="utf-8"))
        assert meta["title"] in text, ref
        if meta["published"] is None:
            assert not re.search(r"\b20\d\d\b", raw[ref]), ref
            continue
        day = dt.date.fromisoformat(meta["published"])
        renderings = [day.isoformat(), f"{day:%b} {day.day}, {day.year}", f"{day:%B} {day.day}, {day.year}",
                      f"{day.day} {day:%B} {day.year}", f"{day.day} {day:%b} {day.year}"]
        record = text.splitlines()[int(line) - 1] if line else text
        assert any(r in record for r in renderings), ref


def test_quoted_evidence_occurs_in_its_report(gold: dict, raw: dict[str, str]) -> None:
    items = [*gold["facts_corroborated"], *gold["facts_single_source"]]
    items += [value for c in gold["conflicts"] for value in c["values"]]
    items += [u[stage] for u in gold["updates"] for stage in ("early", "late")]
    evidence = [e for item in items for e in item["evidence"]] + gold["quotes"]
    for e in evidence:
        assert e["text"] in readable(raw[e["file"]]), e
    for fact in gold["facts_corroborated"]:
        assert len({gold["reports"][e["file"]]["outlet"] for e in fact["evidence"]}) >= 2, fact


def test_conflicts_are_same_time_disagreements_and_updates_move_forward(gold: dict) -> None:
    reports = gold["reports"]
    for conflict in gold["conflicts"]:
        assert len({v["value"] for v in conflict["values"]}) >= 2
        dates = {reports[e["file"]]["published"] for v in conflict["values"] for e in v["evidence"]}
        assert conflict["date"] in dates
    for update in gold["updates"]:
        early = max(reports[e["file"]]["published"] for e in update["early"]["evidence"])
        late = min(reports[e["file"]]["published"] for e in update["late"]["evidence"])
        assert early < late and update["early"]["value"] != update["late"]["value"]


def test_debris_occurs_where_the_gold_says(gold: dict, raw: dict[str, str]) -> None:
    for item in gold["debris"]:
        content = raw[item["file"]]
        assert item["text"] in content, item
        if item["whole_line"]:
            assert item["text"] in [line.strip() for line in content.splitlines()], item
        if item["kind"] == "repeated-line":
            assert content.count(item["text"]) >= 2, item
    needed = {"glued-link", "photo-credit", "share-button", "lost-currency", "repeated-line",
              "newsletter-prompt", "cookie-prompt"}
    assert needed <= {item["kind"] for item in gold["debris"]}


def test_misspellings_and_surnames(gold: dict, raw: dict[str, str]) -> None:
    story_of = {ref: key for key, refs in gold["stories"].items() for ref in refs}
    for item in gold["misspellings"]:
        assert item["wrong"] in raw[item["file"]] and item["right"] not in raw[item["file"]]
        assert 1 <= Levenshtein.distance(item["wrong"], item["right"]) <= 2
        siblings = [r for r in gold["stories"][story_of[item["file"]]] if r != item["file"]]
        assert any(item["right"] in raw[r] for r in siblings)
    for item in gold["surname_only"]:
        first = item["person"].split()[0]
        assert re.search(rf"(?<!{first} )\b{item['surname']}\b", raw[item["file"]]), item


def test_shared_names_span_different_stories(gold: dict, raw: dict[str, str]) -> None:
    for shared in gold["shared_entities"]:
        assert len(set(shared["stories"])) >= 2
        for key in shared["stories"]:
            for name in shared["names"]:
                assert any(name in raw[ref] for ref in gold["stories"][key]), (key, name)


def shingles(content: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", body_text(content).lower())
    return {tuple(words[i : i + 5]) for i in range(len(words) - 4)}


def test_duplicates_are_the_only_close_pairs(gold: dict, raw: dict[str, str]) -> None:
    refs = list(raw)
    sets = {ref: shingles(raw[ref]) for ref in refs}
    marked = {frozenset(p) for p in gold["near_duplicates"] + gold["exact_duplicates"]}
    for i, a in enumerate(refs):
        for b in refs[i + 1 :]:
            jaccard = len(sets[a] & sets[b]) / len(sets[a] | sets[b])
            assert (jaccard > 0.5) == (frozenset((a, b)) in marked), (a, b, jaccard)
    for a, b in gold["exact_duplicates"]:
        body = raw[b] if len(raw[b]) < len(raw[a]) else raw[a]
        assert (raw[a] + raw[b]).count(body.strip()) == 2


def expected_date(phrase: str, published: dt.date, tense: str, precision: str) -> str | None:
    """The date a relative expression means in a report of `published`, from the calendar alone."""
    words = phrase.lower().replace("'s", "").split()
    if "yesterday" in words or (words[-1] == "night" and "last" in words):
        return (published - dt.timedelta(days=1)).isoformat()
    weekday = next((WEEKDAYS.index(w) for w in words if w in WEEKDAYS), None)
    if weekday is not None:
        step = {"past": -1, "future": 1}.get(tense, 0)
        day = published
        while day.weekday() != weekday or (step and day == published):
            day += dt.timedelta(days=step or -1)
        return day.isoformat()
    month_name = next((MONTHS.index(w) for w in words if w in MONTHS), None)
    if month_name:
        year = published.year + (month_name < published.month)
        number = next((int(w) for w in words if w.isdigit()), None)
        return f"{year}-{month_name:02d}" + (f"-{number:02d}" if number else "")
    shift = -1 if "last" in words else 1 if "next" in words else 0
    if precision == "year":
        return str(published.year + shift)
    if precision == "month":
        month = published.year * 12 + published.month - 1 + shift
        return f"{month // 12}-{month % 12 + 1:02d}"
    if precision == "week":
        monday = published - dt.timedelta(days=published.weekday())
        return (monday + dt.timedelta(weeks=shift)).isoformat()
    if precision == "season" and "spring" in words:
        return f"{published.year - (published.month <= 5)}-03"
    return None


def test_relative_dates_follow_from_the_calendar(gold: dict, raw: dict[str, str]) -> None:
    for item in gold["relative_dates"]:
        published = gold["reports"][item["file"]]["published"]
        assert published, item
        assert item["phrase"] in readable(raw[item["file"]]), item
        day = dt.date.fromisoformat(published)
        assert expected_date(item["phrase"], day, item["tense"], item["precision"]) == item["date"], item
