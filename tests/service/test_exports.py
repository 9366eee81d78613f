"""A story page's downloads (stories.json, facts CSV, Markdown) and the Atom feed, fetched from a real
`storydesk serve`, and the CSV and feed writers on values a hostile report could carry."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
from xml.etree import ElementTree as ET

import httpx
import pytest
from test_api import bridge_id

from storydesk.document import validate_document
from storydesk.model import Evidence, Fact, Story, StorySummary
from storydesk.service.exports import FACT_COLUMNS, atom_feed, facts_csv, spreadsheet_safe

ATOM = "{http://www.w3.org/2005/Atom}"
FORMULAS = ["=HYPERLINK(\"http://evil.example\")", "+1+2", "-3+4", "@SUM(A1:A9)", "\tindented", "\rcarriage"]


def _download(server, path: str) -> httpx.Response:  # type: ignore[no-untyped-def]
    response = httpx.get(server.url + path, timeout=60)
    assert response.status_code == 200, response.text[:300]
    return response


def test_story_downloads(sqlite_server, corpus_result) -> None:
    sid = bridge_id(corpus_result)
    bridge = next(s for s in corpus_result.stories if s.id == sid)
    document = _download(sqlite_server, f"/stories/{sid}/stories.json")
    assert document.headers["content-disposition"] == f'attachment; filename="{sid}.stories.json"'
    doc = json.loads(document.text)
    validate_document(doc)
    assert [s["id"] for s in doc["stories"]] == [sid]
    assert {a.id for a in bridge.articles} <= {a["id"] for a in doc["stories"][0]["articles"]}

    sheet = _download(sqlite_server, f"/stories/{sid}/facts.csv")
    assert sheet.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(sheet.text)))
    assert tuple(rows[0]) == FACT_COLUMNS
    stored = doc["stories"][0]["facts"]
    assert {r[0] for r in rows[1:]} == {f["id"] for f in stored}
    assert len(rows) - 1 == sum(max(1, len(f["evidence"])) for f in stored)  # a row per statement

    markdown = _download(sqlite_server, f"/stories/{sid}/report.md")
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert doc["stories"][0]["title"] in markdown.text
    missing = httpx.get(f"{sqlite_server.url}/stories/snothere/facts.csv", timeout=30)
    assert missing.status_code == 404


def test_atom_feed_lists_the_newest_stories(sqlite_server) -> None:
    feed = _download(sqlite_server, "/feed.atom")
    assert feed.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(feed.content)
    listed = httpx.get(f"{sqlite_server.url}/api/v1/stories", params={"limit": 50}, timeout=30).json()
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [s["title"] for s in listed["stories"]]
    for entry, story in zip(entries, listed["stories"], strict=True):
        assert entry.find(f"{ATOM}link").get("href") == f"{sqlite_server.url}/stories/{story['id']}"
        assert entry.findtext(f"{ATOM}updated").endswith("Z")


def _story_with(values: list[str]) -> Story:
    evidence = [Evidence("a1", value, 0, len(value), outlet=value, value=value) for value in values]
    fact = Fact("f1", values[0], values[0], "count", values[0], "conflicting", 1, evidence, values)
    return Story("s1", values[0], [], facts=[fact])


@pytest.mark.parametrize("value", FORMULAS)
def test_no_csv_cell_starts_like_a_formula(value: str) -> None:
    rows = list(csv.reader(io.StringIO(facts_csv(_story_with([value, value + " again"])), newline="")))
    cells = [cell for row in rows[1:] for cell in row]
    assert value in {cell.lstrip("'") for cell in cells}  # the words kept, shown as text
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert spreadsheet_safe("12 people") == "12 people" and spreadsheet_safe(None) == ""


def test_feed_carries_no_character_xml_cannot_hold() -> None:
    summary = StorySummary("s1", "Title\x00 with\x0b controls <b>", 2, None, dt.date(2026, 5, 1),
                           ["Outlet\x1f"], dt.datetime(2026, 5, 2, 8, 30))
    root = ET.fromstring(atom_feed([(summary, "Brief\x08 text & more")], base_url="http://127.0.0.1:1"))
    entry = root.find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Title with controls <b>"
    assert entry.findtext(f"{ATOM}summary") == "2 reports (Outlet). Brief text & more"
    assert entry.findtext(f"{ATOM}updated") == "2026-05-02T08:30:00Z"
    empty = ET.fromstring(atom_feed([(dataclasses.replace(summary, updated_at=None), "")], base_url="x"))
    assert empty.find(f"{ATOM}entry") is not None
