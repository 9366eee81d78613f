"""Ingest reads every kind of input and accounts for each one: an article or a rejection with a reason."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from pathlib import Path

import pytest

from storydesk.clean import clean_article
from storydesk.ingest import iter_inputs, read_inputs
from storydesk.ingest.language import detect_language
from storydesk.ingest.metadata import parse_date
from storydesk.model import Article, Rejected

BODY = (
    "The city council voted on Tuesday to approve a new budget for the coming year, officials said. "
    "The mayor welcomed the decision and promised more money for schools and roads."
)
PAGE = """<html><head><title>Council passes budget | Daily Planet</title>
<meta property="og:site_name" content="Daily Planet">
<meta property="article:published_time" content="2026-03-03T10:00:00Z">
<link rel="canonical" href="https://www.dailyplanet.example/city/budget"></head>
<body><div id="cookie-banner"><p>We use cookies to personalise content.</p><button>Accept all</button></div>
<nav><a href="/">Home</a> <a href="/city">City</a> <a href="/sport">Sport</a></nav>
<article><h1>Council passes budget</h1><p>{body}</p>
<p>Opposition members said the plan left too little for housing and promised to keep pressing for changes
at the next session of the council in April.</p></article>
<footer>Copyright Daily Planet. All rights reserved.</footer></body></html>"""


def _write(path: Path, data: str | bytes) -> str:
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return str(path)


def _only(paths: list[str], **kwargs: object) -> Article | Rejected:
    articles, rejected = read_inputs(paths, **kwargs)  # type: ignore[arg-type]
    assert len(articles) + len(rejected) == 1
    return (articles or rejected)[0]


def test_seeds_are_read_with_their_metadata(seeds_dir: Path) -> None:
    articles, rejected = read_inputs([str(seeds_dir)])
    assert not rejected
    assert [a.path for a in articles] == sorted(str(p) for p in seeds_dir.iterdir())
    assert {a.language for a in articles} == {"en"}
    by_prefix = {Path(a.path or "").name[:3]: a for a in articles}
    assert by_prefix["002"].published == dt.date(2021, 5, 17)
    headline = (seeds_dir / Path(by_prefix["001"].path or "").name).read_text(encoding="utf-8").split("\n")[0]
    assert by_prefix["001"].title == headline.strip()
    assert headline.strip() not in by_prefix["001"].text
    assert [r.reason for r in by_prefix["001"].removed] == ["metadata"]
    assert by_prefix["000"].title is None  # opens straight into prose: no headline to take


def test_plain_text_header_conventions(tmp_path: Path) -> None:
    text = f"Council passes budget after long debate\nBy Jane Roe | March 3, 2026\n\nShare\n\n{BODY}\n"
    article = _only([_write(tmp_path / "a.txt", text)])
    assert isinstance(article, Article)
    assert article.title == "Council passes budget after long debate"
    assert article.published == dt.date(2026, 3, 3)
    assert article.text.startswith("Share\n\n")  # debris is cleaning's job, not ingest's
    assert [r.reason for r in article.removed] == ["metadata", "metadata"]
    assert "Jane Roe" not in article.text


def test_published_beats_updated_and_dateline_gives_agency(tmp_path: Path) -> None:
    text = f"Updated 4 Mar 2026\nPublished: 2 March 2026\n\nLISBON, March 2 (Wire Service) - {BODY}"
    article = _only([_write(tmp_path / "b.md", text)])
    assert isinstance(article, Article)
    assert article.published == dt.date(2026, 3, 2)
    assert article.outlet == "Wire Service"
    assert article.text.startswith("LISBON, March 2")
    sourced = _only([_write(tmp_path / "s.txt", f"Source: Evening Echo\nPublished: 2 March 2026\n\n{BODY}")])
    assert isinstance(sourced, Article)
    assert (sourced.outlet, sourced.published) == ("Evening Echo", dt.date(2026, 3, 2))
    assert sourced.text == BODY
    undated = _only([_write(tmp_path / "c.txt", f"LISBON, March 2 (Wire Service) - {BODY}")])
    assert isinstance(undated, Article)
    assert undated.published is None  # no year anywhere: left unresolved rather than guessed


def test_html_page_with_metadata(tmp_path: Path) -> None:
    article = _only([_write(tmp_path / "page.html", PAGE.format(body=BODY))])
    assert isinstance(article, Article)
    assert article.title == "Council passes budget"
    assert article.outlet == "Daily Planet"
    assert article.published == dt.date(2026, 3, 3)
    assert article.url == "https://www.dailyplanet.example/city/budget"
    assert BODY in article.text
    assert "Accept all" not in article.text and "cookies" not in article.text
    assert "Council passes budget" not in article.text
    assert "\n\n" in article.text


def test_hostile_files_are_rejected_with_reasons(tmp_path: Path) -> None:
    cases = {
        "empty.txt": b"",
        "blank.txt": b"  \n\n ",
        "junk.txt": os.urandom(2048) + b"\x00",
        "nul.txt": b"Some text\x00with NUL bytes inside it and more words",
        "image.html": b"\x89PNG\r\n\x1a\n" + b"\x01" * 100,
        "script.html": b"<html><body><script>var a = 1;</script></body></html>",
        "tiny.txt": b"Too short.",
        "big.txt": b"word " * 2_100_000,
    }
    paths = [_write(tmp_path / name, data) for name, data in cases.items()]
    articles, rejected = read_inputs([*paths, str(tmp_path / "missing.txt"), str(tmp_path / "*.none")])
    assert articles == []
    reasons = {Path(r.path).name: r.reason for r in rejected}
    assert reasons["empty.txt"] == reasons["blank.txt"] == "empty file"
    assert reasons["junk.txt"].startswith("binary file")
    assert reasons["nul.txt"] == "binary file (contains NUL bytes)"
    assert reasons["image.html"] == "binary file (PNG image)"
    assert reasons["script.html"] == "no article text found in the HTML page"
    assert reasons["tiny.txt"].startswith("no usable text")
    assert reasons["big.txt"].startswith("file too large")
    assert reasons["missing.txt"] == "no such file or directory"
    assert reasons["*.none"] == "no files match this pattern"


def test_other_encodings_are_decoded(tmp_path: Path) -> None:
    text = "Café owners in Zürich said the new rules would cost them customers this winter, reports said."
    latin = _only([_write(tmp_path / "latin.txt", text.encode("latin-1"))])
    utf16 = _only([_write(tmp_path / "utf16.txt", text.encode("utf-16"))])
    bom8 = _only([_write(tmp_path / "bom.txt", b"\xef\xbb\xbf" + text.encode("utf-8"))])
    for article in (latin, utf16, bom8):
        assert isinstance(article, Article)
        assert article.text == text


def test_json_inputs_line_by_line(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {"text": BODY, "title": "Budget", "url": "https://www.example.org/x", "date": "2026-03-03"}
        ),
        "{not json",
        "",
        json.dumps(["a list"]),
        json.dumps({"title": "no body"}),
        json.dumps({"html": PAGE.format(body=BODY), "outlet": "Given Outlet"}),
    ]
    jsonl = _write(tmp_path / "feed.jsonl", "\n".join(lines))
    listed = _write(tmp_path / "list.json", json.dumps([{"text": BODY}, {"text": BODY + " Again."}]))
    articles, rejected = read_inputs([jsonl, listed])
    assert [a.path for a in articles] == [f"{jsonl}#1", f"{jsonl}#6", f"{listed}#1", f"{listed}#2"]
    first = articles[0]
    assert (first.title, first.outlet, first.published) == ("Budget", "example.org", dt.date(2026, 3, 3))
    assert articles[1].outlet == "Given Outlet"
    assert [r.path for r in rejected] == [f"{jsonl}#2", f"{jsonl}#4", f"{jsonl}#5"]
    assert rejected[0].reason.startswith("invalid JSON")


def test_stdin_jsonl_and_progress() -> None:
    stdin = io.StringIO(
        "\n".join([json.dumps({"text": BODY}), "oops", json.dumps({"text": BODY + " More."})])
    )
    counts: list[int] = []
    articles, rejected = read_inputs(["-"], stdin=stdin, progress=counts.append)
    assert [a.path for a in articles] == ["-#1", "-#3"]
    assert [r.path for r in rejected] == ["-#2"]
    assert counts == [1, 2, 3]


def test_folder_of_mixed_files_is_fully_accounted_for(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    (folder / "sub").mkdir(parents=True)
    (folder / ".git").mkdir()
    _write(folder / "b.txt", BODY)
    _write(folder / "sub" / "a.htm", PAGE.format(body=BODY))
    _write(folder / "notes.docx", b"PK\x03\x04 stuff")
    _write(folder / "photo.png", b"\x89PNG")
    _write(folder / "empty.md", "")
    _write(folder / ".git" / "config", "[core]")
    items = list(iter_inputs([str(folder), str(folder / "b.txt")]))
    # sorted; b.txt given twice, read once; the hidden folder listed as skipped
    names = [".git", "b.txt", "empty.md", "notes.docx", "photo.png", "a.htm"]
    assert [Path(i.path or "").name for i in items] == names
    kinds = [type(i).__name__ for i in items]
    assert kinds == ["Rejected", "Article", "Rejected", "Rejected", "Rejected", "Article"]
    assert items[0].reason == "skipped: hidden folder (--include-hidden reads it)"  # type: ignore[union-attr]
    assert items[3].reason == "unsupported file type (.docx)"  # type: ignore[union-attr]
    assert [Path(i.path or "").name for i in iter_inputs([str(folder)], include_hidden=True)][:2] == [
        "config", "b.txt"]


def test_examples_corpus(examples_dir: Path) -> None:
    corpus = examples_dir / "corpus"
    if not corpus.is_dir():
        pytest.skip("examples/corpus is not present yet")
    articles, rejected = read_inputs([str(corpus)])
    assert not rejected
    for article in articles:
        assert article.title, article.path
        assert article.language == "en"
        cleaned = clean_article(article)
        assert len(cleaned.text.split()) > 50
    assert sum(a.published is not None for a in articles) >= len(articles) - 2


@pytest.mark.parametrize(
    ("header", "outlet"),
    [
        ("By Jane Roe, Harbour Herald | March 3, 2026", "Harbour Herald"),
        ("By Jane Roe and John Doe, Harbour Herald", "Harbour Herald"),
        ("By Jane Roe for The Harbour Times", "The Harbour Times"),
        ("By Jane Roe | Harbour Herald Sport | March 3, 2026", "Harbour Herald"),
        ("By JANE ROE, Harbour Press Writer", "Harbour Press"),
        ("Jane Roe, Harbour News | March 3, 2026", "Harbour News"),
        ("By Jane Roe, Staff Writer | March 3, 2026", None),
        ("By Jane Roe | Getty Images", None),
    ],
)
def test_byline_names_the_outlet(tmp_path: Path, header: str, outlet: str | None) -> None:
    text = f"Council passes budget after long debate\n{header}\n\n{BODY}\n"
    article = _only([_write(tmp_path / "a.txt", text)])
    assert isinstance(article, Article)
    assert article.outlet == outlet
    assert article.title == "Council passes budget after long debate"
    assert article.text == BODY  # the byline is metadata, never body


def test_outlet_from_agency_dateline_and_site_footer(tmp_path: Path) -> None:
    wire = _only([_write(tmp_path / "w.txt", f"(Harbour Wire) - {BODY}")])
    assert isinstance(wire, Article) and wire.outlet == "Harbour Wire"
    footer = f"{BODY}\n\nClick here to read more stories from the Harbour Observer"
    promo = _only([_write(tmp_path / "f.txt", footer)])
    assert isinstance(promo, Article) and promo.outlet == "Harbour Observer"
    (tmp_path / "harbour-herald").mkdir()
    plain = _only([_write(tmp_path / "harbour-herald" / "p.txt", BODY)])
    assert isinstance(plain, Article) and plain.outlet is None  # a folder's name is not an outlet


@pytest.mark.parametrize(
    "sentence",
    ["By late afternoon, up to a foot of snow had fallen.", "By Monday, officials had evacuated 300 homes."],
)
def test_a_sentence_starting_with_by_is_not_a_byline(tmp_path: Path, sentence: str) -> None:
    text = f"Storm hits the north of the region\n\n{sentence}\n\n{BODY}"
    article = _only([_write(tmp_path / "a.txt", text)])
    assert isinstance(article, Article)
    assert sentence in article.text.split("\n")
    assert article.outlet is None
    assert sentence not in [r.text for r in article.removed]


@pytest.mark.parametrize(
    "headline",
    ["Gov. Jane Roe signs budget into law", "Lt. Gov. Jane Roe resigns", "Calif. Town Bans Cars After Vote"],
)
def test_headlines_with_abbreviations(tmp_path: Path, headline: str) -> None:
    article = _only([_write(tmp_path / "a.txt", f"{headline}\n\n{BODY}")])
    assert isinstance(article, Article)
    assert article.title == headline
    assert article.text == BODY


@pytest.mark.parametrize(
    "top",
    [
        "Jane Roe at the council meeting (Photo: John Doe)",  # a caption
        "Jane Roe\n\n$13 million",  # a lone name over a figure, not over the body
        "Fire hits the town. Mayor responds",  # two sentences
        "The new budget is the largest the city\nhas ever passed, officials said.",  # half a paragraph
    ],
)
def test_no_headline_is_invented(tmp_path: Path, top: str) -> None:
    article = _only([_write(tmp_path / "a.txt", f"{top}\n\n{BODY}")])
    assert isinstance(article, Article)
    assert article.title is None
    assert article.text.startswith(top)
    assert article.removed == []


def test_section_label_above_the_headline_is_dropped(tmp_path: Path) -> None:
    page = PAGE.format(body=BODY).replace("<h1>", '<p class="kicker">City Hall</p><h1>')
    html_article = _only([_write(tmp_path / "page.html", page)])
    text = f"Election 2026\nCouncil passes budget after long debate\nBy Jane Roe | March 3, 2026\n\n{BODY}"
    txt_article = _only([_write(tmp_path / "a.txt", text)])
    for article, label in ((html_article, "City Hall"), (txt_article, "Election 2026")):
        assert isinstance(article, Article)
        assert article.title and article.title.startswith("Council passes budget")
        assert label not in article.text
        assert [r.text for r in article.removed if r.reason == "section-label"] == [label]
    kept = _only([_write(tmp_path / "b.txt", f"Election 2026\n\n{BODY}")])  # no headline follows: kept
    assert isinstance(kept, Article) and kept.text.startswith("Election 2026")


def test_language_detection_matches_py3langid() -> None:
    import py3langid

    texts = [
        BODY,
        "Le conseil municipal a adopté mardi un nouveau budget pour l'année prochaine, selon les élus.",
        "Der Stadtrat hat am Dienstag einen neuen Haushalt für das kommende Jahr beschlossen.",
        "El ayuntamiento aprobó el martes un nuevo presupuesto para el próximo año, dijeron los concejales.",
    ]
    assert [detect_language(t) for t in texts] == [py3langid.classify(t)[0] for t in texts]
    assert [detect_language(t) for t in texts] == ["en", "fr", "de", "es"]
    assert detect_language("12 345 — 678") is None


def test_remembered_walks_give_py3langid_s_features(examples_dir: Path) -> None:
    """The language features read word by word from remembered walks equal py3langid's byte-by-byte
    `instance2fv`, on the sample corpus's texts read twice (the second time from the walks), on a text
    of one long word and on bytes beyond ASCII."""
    import numpy as np

    from storydesk.ingest.language import _extractor, _langid

    model, extractor = _langid(), _extractor()
    texts = [path.read_text(encoding="utf-8") for path in sorted((examples_dir / "corpus").rglob("*"))
             if path.is_file()]
    texts += ["x" * 3000, "Zürich — 東京  double  spaces\n\tand\ttabs ", ""]
    assert len(texts) > 10
    for text in texts + texts:
        counts = np.bincount(np.array(extractor.indexes(text), dtype=np.int64), minlength=model.nb_numfeats)
        assert (counts == model.instance2fv(text)).all()


@pytest.mark.parametrize("written", [
    "2026-02-16", " 2021-05-13 ", "2026-02-16T10:00:00Z", "2021-05-13T23:12:00+03:00",
    "2021-05-13T01:12:00-0500", "2026-02-16 10:00", "2026-02-16T10:00:00.250+00:00", "2024-02-29",
    "2026-02-30", "2026-13-01", "0001-01-01",
])
def test_an_iso_date_reads_as_dateparser_reads_it(written: str) -> None:
    """parse_date reads ISO 8601 itself (for speed); the date must be dateparser's, invalid ones included."""
    import dateparser

    settings = {"REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DATES_FROM": "past"}
    parsed = dateparser.parse(written, languages=["en"], settings=settings)
    assert parse_date(written) == (parsed.date() if parsed else None)


def test_examples_corpus_metadata_matches_the_gold(examples_dir: Path, corpus_dir: Path) -> None:
    """Every report's title and date as in examples/expected.json; its outlet too whenever the report names
    it (a byline, a dateline, a footer, page metadata): storydesk never guesses one from a folder name."""
    gold = json.loads((examples_dir / "expected.json").read_text(encoding="utf-8"))["reports"]
    articles, rejected = read_inputs([str(corpus_dir)])
    assert not rejected
    assert len(articles) == len(gold)
    for article in articles:
        ref = Path(article.path or "").relative_to(examples_dir).as_posix()
        expected = gold[ref]
        published = expected["published"] and dt.date.fromisoformat(expected["published"])
        assert (article.title, article.published) == (expected["title"], published), ref
        path, _, line = ref.partition("#")
        raw = (examples_dir / path).read_text(encoding="utf-8")
        raw = raw.splitlines()[int(line) - 1] if line else raw
        named = expected["outlet"] in raw
        assert article.outlet == (expected["outlet"] if named else None), ref
