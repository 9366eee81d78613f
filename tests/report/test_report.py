"""HTML and Markdown reports rendered from hand-built stories documents (invented content only)."""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from lxml import html as lxml_html
from pydantic import TypeAdapter

from storydesk.document import result_from_document
from storydesk.model import Article, TimelineEntry
from storydesk.report import build_view, write_reports
from storydesk.report import render_html as _render_html
from storydesk.report import render_markdown as _render_markdown
from storydesk.report.svg import timeline_svg as _timeline_svg


def _view(doc: dict[str, Any]):
    """The report view of a hand-built stories document (read through the model, as the store does)."""
    result = result_from_document(doc)
    return build_view(result.stories, result.rejected, generated_at=doc.get("generated_at"),
                      version=doc.get("storydesk_version"), schema_version=doc.get("schema_version"))


def render_html(doc: dict[str, Any]) -> str:
    return _render_html(_view(doc))


def render_markdown(doc: dict[str, Any]) -> str:
    return _render_markdown(_view(doc))


def timeline_svg(entries: list[dict[str, Any]]) -> str:
    return _timeline_svg(TypeAdapter(list[TimelineEntry]).validate_python(entries))

HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)"></style><b>bold</b>'
STATUSES = ("conflicting", "updated", "corroborated", "single-source")


def _differing_first(facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The who-said-what matrix's rows: facts the reports disagree on first, else the sheet's order."""
    return sorted(facts, key=lambda f: f["status"] not in ("conflicting", "updated"))


def _evidence(article: dict[str, Any], quote: str, value: str) -> dict[str, Any]:
    start = article["text"].index(quote)
    return {
        "article_id": article["id"],
        "quote": quote,
        "start": start,
        "end": start + len(quote),
        "outlet": article["outlet"],
        "published": article["published"],
        "value": value,
    }


def invented_doc() -> dict[str, Any]:
    """Two invented stories: one with every section (and a hostile article), one minimal; plus rejects."""
    a1 = {
        "id": "a1",
        "path": "in/ledger.html",
        "url": "https://ledger.example/bridge",
        "outlet": "The Northern Ledger",
        "title": "Harbour bridge to reopen in March",
        "published": "2024-01-10",
        "text": "The Harbour bridge will reopen on March 3 after repairs costing $12 million. "
        "Mayor Ilse Varga said the work took nine months.",
        "language": "en",
        "removed": [{"text": "Subscribe for more local news", "reason": "boilerplate"}],
        "copies": [
            {
                "path": "in/wire-copy.html",
                "url": "http://wire.example/1",
                "outlet": "Metro Wire",
                "title": "Bridge to reopen",
                "published": "2024-01-10",
            }
        ],
    }
    a2 = {
        "id": "a2",
        "path": "in/coast.html",
        "url": "javascript:alert(3)",
        "outlet": "Coastline Daily " + HOSTILE,
        "title": "Bridge reopening " + HOSTILE,
        "published": "2024-02-20",
        "text": "The Harbour bridge reopens on March 10, officials said, after repairs costing $12 million. "
        + HOSTILE
        + " Varga said the repairs took ten months.",
        "language": "en",
        "removed": [{"text": HOSTILE, "reason": "comment " + HOSTILE}],
        "copies": [],
    }
    a3 = {
        "id": "a3",
        "path": None,
        "url": None,
        "outlet": "Ostrava Žurnál",
        "title": "Most se znovu otevře — 橋",
        "published": None,
        "text": "Čtvrtek: the bridge project began in spring 2023. Ilse Varga welcomed the decision in 2022.",
        "language": "cs",
        "removed": [],
        "copies": [],
    }
    facts = [
        {
            "id": "f1",
            "subject": "Harbour bridge",
            "slot": "reopening date",
            "kind": "date",
            "value": "2024-03-10",
            "status": "updated",
            "outlets": 1,
            "evidence": [_evidence(a1, "March 3", "2024-03-03"), _evidence(a2, "March 10", "2024-03-10")],
            "values": ["2024-03-03", "2024-03-10"],
            "history": [{"since": "2024-01-10", "values": ["2024-03-03"]},
                        {"since": "2024-02-20", "values": ["2024-03-10"]}],
        },
        {
            "id": "f2",
            "subject": "Harbour bridge repairs",
            "slot": "cost",
            "kind": "money",
            "value": "USD 12000000",
            "status": "corroborated",
            "outlets": 2,
            "evidence": [
                _evidence(a1, "$12 million", "USD 12000000"),
                {**_evidence(a2, "$12 million", "USD 12000000"), "via": "Metro " + HOSTILE},
            ],
            "values": ["USD 12000000"],
        },
        {
            "id": "f3",
            "subject": "Harbour bridge repairs",
            "slot": "duration",
            "kind": "duration",
            "value": "P9M",
            "status": "conflicting",
            "outlets": 1,
            "evidence": [_evidence(a1, "nine months", "P9M"), _evidence(a2, "ten months", "P10M")],
            "values": ["P9M", "P10M"],
            "only_in": "quote",
        },
        {
            "id": "f4",
            "subject": "Ilse Varga " + HOSTILE,
            "slot": "role",
            "kind": "role",
            "value": "mayor",
            "status": "single-source",
            "outlets": 1,
            "evidence": [_evidence(a1, "Mayor Ilse Varga", "mayor")],
            "values": ["mayor"],
        },
    ]
    facts.insert(0, {
        "id": "f0",
        "subject": "Harbour bridge",
        "slot": "reopening",
        "kind": "event",
        "value": "bridge will reopen",
        "status": "corroborated",
        "outlets": 2,
        "evidence": [_evidence(a1, "The Harbour bridge will reopen", "bridge will reopen"),
                     _evidence(a2, "Harbour bridge", "bridge will reopen")],
        "values": ["bridge will reopen"],
        "parts": {"action": "reopening", "object": "Harbour bridge " + HOSTILE, "time": "2024-03-10"},
    })
    statements = [
        {"id": "q1", "speaker": "Ilse Varga", "text": "We did it " + HOSTILE, "attribution": "named",
         "status": "corroborated", "outlets": 2,
         "evidence": [_evidence(a1, "Mayor Ilse Varga", "Mayor Ilse Varga"),
                      _evidence(a2, "Harbour", "Harbour")]},
        {"id": "q2", "speaker": None, "text": "Nobody told us anything", "attribution": "unattributed",
         "status": "single-source", "outlets": 1, "evidence": [_evidence(a3, "Ilse Varga", "Ilse Varga")]},
    ]
    timeline = [
        {
            "date": "2022",
            "precision": "year",
            "start": "2022-01-01",
            "text": "Ilse Varga welcomed the decision",
            "sources": ["a3"],
            "evidence": [_evidence(a3, "in 2022", "in 2022")],
        },
        {
            "date": "2023-spring",
            "precision": "season",
            "start": "2023-03-01",
            "text": "The bridge project began " + HOSTILE,
            "sources": ["a3", "a1"],
            "evidence": [_evidence(a3, "in spring 2023", "in spring 2023")],
        },
        {
            "date": "2024-03-10",
            "precision": "day",
            "start": "2024-03-10",
            "text": "The Harbour bridge reopens",
            "sources": ["a2"],
            "evidence": [_evidence(a2, "on March 10", "on March 10")],
        },
    ]
    story = {
        "id": "s-bridge",
        "title": "Harbour bridge reopening",
        "articles": [a1, a2, a3],
        "brief": [
            {
                "text": "The Harbour bridge will reopen after repairs costing $12 million.",
                "sources": ["a2", "a1"],
            },
            {"text": "Varga said the repairs took ten months. " + HOSTILE, "sources": ["a2"]},
            {"text": "The project began in spring 2023.", "sources": ["a3", "unknown-id"]},
        ],
        "entities": [
            {
                "id": "e1",
                "name": "Ilse Varga",
                "type": "person",
                "variants": {"Ilse Varga": 2, "Varga": 2, HOSTILE: 1},
                "articles": ["a1", "a2", "a3"],
                "mentions": [],
            },
            {
                "id": "e2",
                "name": "Harbour bridge",
                "type": "place",
                "variants": {"Harbour bridge": 2},
                "articles": ["a1", "a2"],
                "mentions": [],
            },
        ],
        "facts": facts,
        "timeline": timeline,
        "statements": statements,
    }
    minimal = {
        "id": "s-fair",
        "title": "Autumn fair cancelled",
        "articles": [
            {
                "id": "b1",
                "path": "in/fair.txt",
                "url": None,
                "outlet": None,
                "title": None,
                "published": "2024-09-01",
                "text": "The autumn fair was cancelled.",
                "language": "en",
                "removed": [],
                "copies": [],
            }
        ],
        "brief": [{"text": "The autumn fair was cancelled.", "sources": ["b1"]}],
        "entities": [],
        "facts": [],
        "timeline": [],
    }
    return {
        "schema_version": "1",
        "generated_at": "2024-10-01T12:00:00+00:00",
        "storydesk_version": "0.1.0",
        "stories": [story, minimal],
        "rejected": [
            {"path": "in/empty.html", "reason": "no article text found"},
            {"path": "in/" + HOSTILE, "reason": "binary file " + HOSTILE},
        ],
    }


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    return invented_doc()


@pytest.fixture(scope="module")
def page(doc) -> str:
    return render_html(doc)


@pytest.fixture(scope="module")
def tree(page):
    return lxml_html.fromstring(page)


def _text(node) -> str:
    return " ".join(node.text_content().split())


class _Tags(HTMLParser):
    """Every start tag and attribute the browser's tokenizer would see."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_hostile_article_text_is_escaped(page):
    parser = _Tags()
    parser.feed(page)
    tags = [tag for tag, _ in parser.tags]
    assert "script" not in tags  # the report needs no script at all
    assert "img" not in tags and "<b>bold</b>" not in page
    assert not any(name.startswith("on") for _, attrs in parser.tags for name in attrs)
    assert "<script>alert(1)</script>" not in page
    assert page.count("</style>") == 1  # only the report's own stylesheet closes
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "javascript:" not in "".join(str(a.get("href")) for _, a in parser.tags)


def test_only_http_urls_become_links(tree):
    hrefs = [a.get("href") for a in tree.iter("a")]
    assert "https://ledger.example/bridge" in hrefs and "http://wire.example/1" in hrefs
    assert all(h.startswith(("#", "http://", "https://")) for h in hrefs)
    assert not tree.xpath("//link | //img | //iframe | //*[@src]")  # self-contained: nothing fetched


def test_every_internal_link_resolves_and_ids_are_unique(tree):
    ids = [el.get("id") for el in tree.iter() if el.get("id")]
    assert len(ids) == len(set(ids))
    targets = [a.get("href")[1:] for a in tree.iter("a") if a.get("href", "").startswith("#")]
    assert targets and set(targets) <= set(ids)


def test_brief_citations_point_to_the_cited_source(doc, tree):
    for n, story in enumerate(doc["stories"], start=1):
        numbers = {a["id"]: i for i, a in enumerate(story["articles"], start=1)}
        paragraphs = tree.xpath(f'//section[@id="story-{n}-brief"]/p')
        assert len(paragraphs) == len(story["brief"])
        for p, sentence in zip(paragraphs, story["brief"], strict=True):
            hrefs = [a.get("href") for a in p.xpath('.//a[@class="cite"]')]
            expected = sorted(numbers[s] for s in sentence["sources"] if s in numbers)
            assert hrefs == [f"#story-{n}-src-{i}" for i in expected]
            source_item = tree.get_element_by_id(hrefs[0][1:])
            assert source_item.tag == "li"
    unknown = tree.xpath('//section[@id="story-1-brief"]/p[3]//span[@class="cite"]')
    assert [_text(s) for s in unknown] == ["[?]"]


def test_every_story_has_its_sections(doc, tree):
    sections = tree.xpath('//section[contains(concat(" ", @class, " "), " story ")]')
    assert len(sections) == len(doc["stories"])
    for n, (section, story) in enumerate(zip(sections, doc["stories"], strict=True), start=1):
        assert story["title"] in _text(section.xpath(".//h2")[0])
        for part in ("brief", "facts", "statements", "timeline", "entities", "sources"):
            assert section.xpath(f'.//section[@id="story-{n}-{part}"]'), part
        assert len(section.xpath(f'.//ol[@class="sources"]/li[starts-with(@id, "story-{n}-src-")]')) == len(
            story["articles"]
        )


def test_header_counts(tree):
    counts = [_text(li) for li in tree.xpath('//ul[@class="counts"]/li')]
    # 4 articles; outlets: 3 named in story 1 plus the syndicated copy's outlet
    assert counts == ["2 stories", "4 articles", "4 outlets", "2 rejected inputs"]


def test_fact_sheet_badges_values_and_evidence(doc, tree):
    facts = doc["stories"][0]["facts"]  # the sheet keeps the story's order: the event first
    rows = tree.xpath('//table[@class="facts"]/tbody/tr')
    assert len(rows) == len(facts)
    for row, fact in zip(rows, facts, strict=True):
        badge = row.xpath('.//span[contains(@class, "badge")]')[0]
        assert badge.get("class").split() == ["badge", fact["status"]]
        assert _text(badge) == fact["status"]  # status readable as text, not colour alone
        assert [_text(q) for q in row.xpath(".//details/blockquote")] and len(
            row.xpath(".//details/blockquote")
        ) == len(fact["evidence"])
        current = _text(row.xpath('.//li[@class="current"]')[0])
        if fact.get("history"):  # shown by time: the latest step holds the standing value
            assert fact["value"] in current and not current.startswith("→")
        else:
            assert current.startswith(fact["value"])
    assert {
        b.get("class").split()[1]
        for b in tree.xpath('//table[@class="facts"]//span[@class and starts-with(@class, "badge")]')
    } == set(STATUSES)


def test_source_by_fact_matrix_shows_who_said_what(doc, tree):
    story = doc["stories"][0]
    matrix = tree.xpath('//section[@id="story-1-facts"]//table[@class="matrix"]')[0]
    assert len(matrix.xpath("./thead/tr/th")) == 1 + len(story["articles"])
    for row, fact in zip(matrix.xpath("./tbody/tr"), _differing_first(story["facts"]), strict=True):
        said = {ev["article_id"]: ev["value"] for ev in fact["evidence"]}
        cells = [_text(td) for td in row.xpath("./td")]
        assert cells == [said.get(a["id"], "") for a in story["articles"]]
        for td in row.xpath("./td"):
            assert ("differs" in td.get("class")) == (td.text_content() not in ("", fact["value"]))


def test_fact_sheet_shows_event_parts_history_quotation_only_and_cited_source(tree):
    rows = tree.xpath('//table[@class="facts"]/tbody/tr')
    event = rows[0]
    assert "event" in _text(event.xpath('.//span[@class="kind"]')[0])
    parts = [_text(x) for x in event.xpath('.//dl[@class="parts"]/*')]
    assert parts[:2] == ["object", "Harbour bridge " + HOSTILE] and parts[-2:] == ["time", "2024-03-10"]
    updated = rows[1]
    assert [_text(li) for li in updated.xpath('.//ol[contains(@class, "history")]/li')] == [
        "10 Jan 2024: 2024-03-03 (1 source)", "20 Feb 2024: 2024-03-10 (1 source)"]
    assert "via Metro " + HOSTILE in _text(rows[2].xpath('.//p[contains(@class, "via")]')[0])
    assert _text(rows[3].xpath('.//p[contains(@class, "only-in")]')[0]) == "only inside a quotation"


def test_quotations_have_their_own_section_with_speakers(doc, tree):
    rows = tree.xpath('//section[@id="story-1-statements"]//tbody/tr')
    assert [_text(r.xpath("./td/span")[0]) for r in rows] == ["Ilse Varga", "unattributed"]
    assert [_text(r.xpath("./td/span")[1]) for r in rows] == ["named", "unattributed"]
    assert rows[1].xpath('.//span[@class="unattributed"]')
    assert _text(rows[0].xpath(".//blockquote")[0]) == "We did it " + HOSTILE  # escaped, shown as text
    assert not tree.xpath('//section[@id="story-1-facts"]//span[@class="kind" and text()="quote"]')
    assert _text(tree.xpath('//section[@id="story-2-statements"]//p[@class="empty"]')[0])


def test_timeline_svg_and_table(doc, tree):
    timeline = doc["stories"][0]["timeline"]
    svg = tree.xpath('//section[@id="story-1-timeline"]//svg')
    assert len(svg) == 1
    groups = svg[0].xpath('.//g[@class="tl-entry"]')
    assert [g.get("data-precision") for g in groups] == [e["precision"] for e in timeline]
    assert [len(g.xpath(".//circle")) for g in groups] == [int(e["precision"] == "day") for e in timeline]
    rows = tree.xpath('//table[@class="timeline-table"]/tbody/tr')
    assert [len(r.xpath('./td[3]/a[@class="cite"]')) for r in rows] == [len(e["sources"]) for e in timeline]
    assert not tree.xpath('//section[@id="story-2-timeline"]//svg')


def test_entities_cleaning_and_rejected(doc, tree):
    entity_rows = tree.xpath('//section[@id="story-1-entities"]//tbody/tr')
    assert [_text(r.xpath("./td")[0]) for r in entity_rows] == ["Ilse Varga", "Harbour bridge"]
    assert "Varga (2)" in _text(entity_rows[0])
    removed = tree.xpath('//li[@id="story-1-src-1"]//details[@class="removed"]')
    assert removed and "boilerplate" in _text(removed[0]) and removed[0].get("open") is None
    rejected = tree.xpath('//section[@id="rejected"]//tbody/tr')
    assert [_text(r.xpath("./td")[1]) for r in rejected] == [r["reason"] for r in doc["rejected"]]
    copies = tree.xpath('//li[@id="story-1-src-1"]//ul[@class="copies"]/li')
    assert len(copies) == 1 and "Metro Wire" in _text(copies[0])


def test_unicode_survives(tree):
    text = _text(tree.body)
    assert "Ostrava Žurnál" in text and "Most se znovu otevře — 橋" in text


@pytest.mark.parametrize("stories", [[], None])
def test_empty_and_reject_only_documents(doc, stories):
    only_rejected = {**copy.deepcopy(doc), "stories": stories or []}
    tree = lxml_html.fromstring(render_html(only_rejected))
    assert [_text(li) for li in tree.xpath('//ul[@class="counts"]/li')] == [
        "0 stories",
        "0 articles",
        "0 outlets",
        "2 rejected inputs",
    ]
    assert tree.get_element_by_id("no-stories") is not None
    assert len(tree.xpath('//section[@id="rejected"]//tbody/tr')) == 2
    nothing = render_html({"schema_version": "1", "stories": [], "rejected": []})
    assert "0 rejected inputs" in " ".join(lxml_html.fromstring(nothing).text_content().split())
    assert "No stories" in render_markdown({"stories": [], "rejected": []})


def test_markdown_has_the_same_content(doc):
    md = render_markdown(doc)
    assert not re.search(r"(?<!\\)<", md)  # every "<" from a report is backslash-escaped
    assert "\\<script\\>alert(1)" in md
    assert md.count("\n## ") == len(doc["stories"]) + 1  # stories and rejected inputs
    brief_line = next(line for line in md.splitlines() if line.startswith("The Harbour bridge will reopen"))
    assert brief_line.endswith("[1][2]")
    assert re.search(
        r"^1\. \*\*The Northern Ledger\*\* · 10 Jan 2024 · \[.*\]\(https://ledger\.example/bridge\)", md, re.M
    )
    assert "(javascript:" not in md
    for status in STATUSES:
        assert f"| {status} |" in md
    assert "- **2023-spring** (season)" in md
    assert "### Quotations: who said what" in md and "| _unattributed_ (unattributed) |" in md
    assert "10 Jan 2024: 2024-03-03 (1 source)" in md and "only inside a quotation" in md
    assert "Ostrava Žurnál" in md


def test_markdown_tables_keep_their_columns(doc):
    md = render_markdown(doc)
    for block in re.findall(r"((?:^\|.*\|\n)+)", md, re.M):
        lines = block.splitlines()
        widths = {len(re.findall(r"(?<!\\)\|", line)) for line in lines}
        assert len(widths) == 1, lines


def test_write_reports(doc, tmp_path: Path):
    paths = write_reports(result_from_document(doc), tmp_path / "out", generated_at=doc["generated_at"])
    assert set(paths) == {"json", "html", "markdown"}
    assert paths["html"].name == "report.html" and paths["markdown"].name == "report.md"
    assert paths["json"].name == "stories.json"
    from storydesk import __version__

    stamped = {**doc, "storydesk_version": __version__, "schema_version": "1"}
    assert paths["html"].read_text(encoding="utf-8") == render_html(stamped)
    assert paths["markdown"].read_text(encoding="utf-8") == render_markdown(stamped)
    written = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert [s["id"] for s in written["stories"]] == [s["id"] for s in doc["stories"]]


def _svg_entries(n: int) -> list[dict[str, Any]]:
    precisions = ["day", "month", "season", "year"]
    return [
        {
            "date": f"{2000 + i // 12}-{i % 12 + 1:02d}",
            "precision": precisions[i % 4],
            "start": f"{2000 + i // 12}-{i % 12 + 1:02d}-01",
            "text": f"Event number {i} " + "with a long description " * (i % 3) + "</text><script>x</script>",
            "sources": ["a"] * (i % 3 + 1),
        }
        for i in range(n)
    ]


@pytest.mark.parametrize("n", [1, 2, 60])
def test_timeline_svg_is_valid_and_labels_do_not_overlap(n):
    svg = timeline_svg(_svg_entries(n))
    root = etree.fromstring(svg.encode("utf-8"))  # well-formed XML, so every label was escaped
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert not root.xpath("//s:script", namespaces=ns)
    groups = root.xpath("//s:g", namespaces=ns)
    assert len(groups) == n
    ys = [float(g.xpath("./s:text", namespaces=ns)[1].get("y")) for g in groups]
    assert all(b - a >= 16 for a, b in itertools.pairwise(ys))  # one row per entry
    assert max(ys) < float(root.get("viewBox").split()[3])
    labels = ["".join(g.xpath("./s:text", namespaces=ns)[1].itertext()) for g in groups]
    assert all(len(label) <= 80 for label in labels)
    ticks = root.xpath('//s:line[@class="grid"]', namespaces=ns)
    assert 1 <= len(ticks) <= 8


def test_timeline_svg_orders_by_date():
    entries = [
        {"date": "2021-10", "precision": "month", "start": "2021-10-01", "text": "later", "sources": ["a"]},
        {
            "date": "2021-02-03",
            "precision": "day",
            "start": "2021-02-03",
            "text": "earlier",
            "sources": ["a"],
        },
    ]
    root = etree.fromstring(timeline_svg(entries).encode("utf-8"))
    labels = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text") if t.text in ("earlier", "later")]
    assert labels == ["earlier", "later"]
    assert timeline_svg([]) == ""


def test_estimated_dates_are_marked_at_their_precision() -> None:
    from storydesk.report.view import source_date

    day = dt.date(2021, 10, 5)
    assert source_date(Article("a", "t", published=day)) == "5 Oct 2021"
    estimated = Article("a", "t", published=day, published_estimated=True)
    assert source_date(estimated) == "≈ 5 Oct 2021, estimated"
    month = Article("a", "t", published=dt.date(2021, 9, 1), published_estimated=True,
                    published_precision="month")
    assert source_date(month) == "≈ Sep 2021, estimated"


def test_an_old_outlier_does_not_squeeze_the_timeline() -> None:
    import re

    recent = [
        {
            "date": f"2021-{m:02d}-15",
            "precision": "day",
            "start": f"2021-{m:02d}-15",
            "text": f"e{m}",
            "sources": ["a"],
        }
        for m in range(1, 11)
    ]
    old = {"date": "1975", "precision": "year", "start": "1975-01-01", "text": "precedent", "sources": ["a"]}
    svg = timeline_svg([old, *recent])
    assert svg.count('class="before-axis"') == 1
    xs = [float(v) for v in re.findall(r'<circle cx="([\d.]+)"', svg)]
    assert len(xs) == 10 and max(xs) - min(xs) > 200  # the 2021 events use the width of the axis
    assert "1975" in svg  # the outlier keeps its date label


def test_markdown_fact_cites_each_source_once() -> None:
    story = {
        "id": "s1",
        "title": "T",
        "articles": [
            {
                "id": "a1",
                "path": "a.txt",
                "url": None,
                "outlet": "O",
                "title": None,
                "published": None,
                "text": "It starts on Monday. It starts Monday.",
            }
        ],
        "brief": [],
        "entities": [],
        "timeline": [],
        "facts": [
            {
                "id": "f1",
                "subject": "Event",
                "slot": "start",
                "kind": "date",
                "value": "2026-03-02",
                "status": "single-source",
                "outlets": 1,
                "values": ["2026-03-02"],
                "evidence": [
                    {"article_id": "a1", "quote": "It starts on Monday.", "start": 0, "end": 20},
                    {"article_id": "a1", "quote": "It starts Monday.", "start": 21, "end": 38},
                ],
            }
        ],
    }
    md = render_markdown({"schema_version": "1", "stories": [story], "rejected": []})
    row = next(line for line in md.splitlines() if line.startswith("| Event — start"))
    assert row.endswith("| [1] |")


def test_a_generated_brief_line_is_marked(doc):
    marked = copy.deepcopy(doc)
    line = {"text": "Reports differ on the cost of the bridge: $12 million (2 outlets) and $14 million "
            "(1 outlet).", "sources": ["a1", "a2"], "kind": "conflict"}
    marked["stories"][0]["brief"].insert(1, line)
    md = render_markdown(marked)
    assert "_(from the fact sheet)_ Reports differ on the cost of the bridge" in md
    assert "_(from the fact sheet)_ The Harbour bridge" not in md
    tree = lxml_html.fromstring(render_html(marked))
    generated = tree.xpath('//section[@id="story-1-brief"]/p[@class="generated"]')
    assert len(generated) == 1 and "From the fact sheet:" in generated[0].text_content()
    assert "Reports differ on the cost" in generated[0].text_content()
