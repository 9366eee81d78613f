"""WARC and WARC.gz files: HTML responses become articles through trafilatura; everything else a response
holds is listed with its byte offset; a broken record stops that file only."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storydesk.ingest import read_inputs

BODY = (
    "The harbour authority in Example Bay closed the north pier on Tuesday after a storm damaged its "
    "moorings, officials said. Repairs are expected to take three weeks and cost about two million dollars, "
    "according to the port director, who said ferries would use the south pier while crews work."
)
PAGE = """<html><head><title>Storm closes north pier | Example Courier</title>
<meta property="article:published_time" content="2026-03-03T10:00:00Z"></head><body>
<nav><a href="/">Home</a> <a href="/port">Port</a></nav>
<article><h1>Storm closes north pier</h1><p>{body}</p><p>{more}</p></article>
<footer>Copyright Example Courier.</footer></body></html>"""
MORE = ("Fishing crews said they had warned of the worn moorings for months and asked the council to pay for "
        "a full survey of both piers before the winter season begins again.")


def _record(writer: WARCWriter, url: str, body: bytes, *, status: str = "200 OK",
            media: str = "text/html; charset=utf-8", encoding: str | None = None) -> None:
    headers = [("Content-Type", media)] + ([("Content-Encoding", encoding)] if encoding else [])
    http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
    record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http)
    writer.write_record(record)


def _warc(path: Path, gzip: bool) -> list[int]:
    """A crawl of our own: a page, its request, an image, a redirect, a page in Latin-1, a gzipped page;
    returns each record's byte offset."""
    import gzip as gz

    offsets = []
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=gzip)
        page = PAGE.format(body=BODY, more=MORE).encode()
        steps = [
            lambda: _record(writer, "https://courier.example/pier", page),
            lambda: writer.write_record(writer.create_warc_record(
                "https://courier.example/pier", "request", payload=io.BytesIO(b"GET /pier HTTP/1.1\r\n"))),
            lambda: _record(writer, "https://courier.example/logo.png", b"\x89PNG....", media="image/png"),
            lambda: _record(writer, "https://courier.example/old", b"", status="301 Moved Permanently"),
            lambda: _record(writer, "https://gazette.example/caf\u00e9",
                            PAGE.format(body="Caf\u00e9 owners " + BODY, more=MORE).encode("latin-1"),
                            media="text/html; charset=iso-8859-1"),
            lambda: _record(writer, "https://wire.example/pier", gz.compress(page.replace(b"Tuesday",
                            b"Tuesday evening")), encoding="gzip"),
        ]
        for step in steps:
            offsets.append(out.tell())
            step()
    return offsets


@pytest.mark.parametrize("gzip", [False, True], ids=["warc", "warc.gz"])
def test_html_responses_are_articles_and_the_rest_is_accounted_for(tmp_path: Path, gzip: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gzip else "crawl.warc")
    offsets = _warc(path, gzip)
    articles, rejected = read_inputs([str(tmp_path)])
    assert [a.url for a in articles] == [
        "https://courier.example/pier", "https://gazette.example/caf\u00e9", "https://wire.example/pier"]
    assert [a.path for a in articles] == [f"{path}@{offsets[i]}" for i in (0, 4, 5)]
    first, latin, zipped = articles
    assert BODY in first.text and MORE in first.text and "Copyright" not in first.text
    assert first.title == "Storm closes north pier" and first.published is not None
    assert latin.text.startswith("Caf\u00e9 owners")
    assert "Tuesday evening" in zipped.text
    assert [(r.path, r.reason) for r in rejected] == [
        (f"{path}@{offsets[2]}", "not an HTML page (image/png)"),
        (f"{path}@{offsets[3]}", "HTTP 301 response, not a page"),
    ]


def test_a_broken_record_is_listed_with_its_offset_and_the_run_goes_on(tmp_path: Path) -> None:
    good = tmp_path / "a.warc"
    offsets = _warc(good, gzip=False)
    data = bytearray(good.read_bytes())
    data[offsets[4]:offsets[4] + 8] = b"GARBAGE!"  # the fifth record's "WARC/1.x" line
    (tmp_path / "b-broken.warc").write_bytes(bytes(data))
    cut = tmp_path / "c-cut.warc.gz"
    cut_offsets = _warc(cut, gzip=True)
    cut.write_bytes(cut.read_bytes()[: cut_offsets[1] // 2])  # the first record's gzip member cut in half
    articles, rejected = read_inputs([str(tmp_path)])
    broken = [r for r in rejected if r.reason.startswith("broken WARC record")]
    assert [r.path for r in broken] == [f"{tmp_path / 'b-broken.warc'}@{offsets[4]}", f"{cut}@0"]
    # all of a.warc, and b-broken.warc up to the break
    assert [Path(a.path or "").name for a in articles] == [
        f"a.warc@{offsets[0]}", f"a.warc@{offsets[4]}", f"a.warc@{offsets[5]}", f"b-broken.warc@{offsets[0]}"]
