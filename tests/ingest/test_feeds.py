"""RSS and Atom feed files: every entry is an article (link, title, date, text) or a rejection."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from storydesk.ingest import read_data, read_inputs

PARAS = [
    "The harbour authority in Example Bay closed the north pier on Tuesday after a storm damaged its "
    "moorings, officials said at a briefing in the port office.",
    "Repairs are expected to take three weeks and cost about two million dollars, according to the port "
    "director, who said ferries would use the south pier meanwhile.",
]
RSS = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Example Bay Courier</title><link>https://courier.example/</link>
<item><title>Storm closes north pier</title><link>https://courier.example/pier</link>
<pubDate>Tue, 03 Mar 2026 09:30:00 GMT</pubDate><description>Short teaser.</description>
<content:encoded><![CDATA[<p>{PARAS[0]}</p><script>alert(1)</script><p>{PARAS[1]}</p>]]></content:encoded></item>
<item><title>Ferries move to south pier</title><guid>tag:courier.example,2026:2</guid>
<pubDate>Wed, 04 Mar 2026 07:00:00 GMT</pubDate>
<description>&lt;p&gt;Ferries used the south pier on Wednesday while crews began repairs.&lt;/p&gt;
</description>
</item>
<item><title>Only a title</title><link>https://courier.example/empty</link></item>
</channel></rss>"""
ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Wire Desk</title><id>urn:wire</id>
<updated>2026-03-05T12:00:00Z</updated>
<entry><title>Port repairs begin</title><id>urn:wire:1</id><link href="https://wire.example/port"/>
<updated>2026-03-05T12:00:00Z</updated>
<content type="text">{PARAS[1]} Work started on Thursday morning.</content></entry>
</feed>"""


def test_rss_entries_become_articles_with_link_title_date_and_text(tmp_path: Path) -> None:
    (tmp_path / "courier.rss").write_text(RSS, encoding="utf-8")
    articles, rejected = read_inputs([str(tmp_path / "courier.rss")])
    first, second = articles
    assert (first.url, first.title, first.published) == (
        "https://courier.example/pier", "Storm closes north pier", dt.date(2026, 3, 3))
    assert first.outlet == "courier.example" and first.path == f"{tmp_path / 'courier.rss'}#1"
    assert PARAS[0] in first.text and PARAS[1] in first.text  # content, the longest block, not the teaser
    assert "alert" not in first.text and "<p>" not in first.text
    # no link: the feed names the outlet; a short HTML summary trafilatura finds no article in is read as text
    assert (second.url, second.outlet, second.published) == (None, "Example Bay Courier", dt.date(2026, 3, 4))
    assert second.text == "Ferries used the south pier on Wednesday while crews began repairs."
    assert [(r.path, r.reason) for r in rejected] == [
        (f"{tmp_path / 'courier.rss'}#3", "feed entry has no content or summary")]


def test_atom_text_content_and_updated_date(tmp_path: Path) -> None:
    (tmp_path / "wire.atom").write_text(ATOM, encoding="utf-8")
    (article,), rejected = read_inputs([str(tmp_path)])
    assert not rejected
    assert (article.title, article.url, article.published) == (
        "Port repairs begin", "https://wire.example/port", dt.date(2026, 3, 5))
    assert article.text.endswith("Work started on Thursday morning.")


def test_a_feed_broken_part_way_keeps_the_entries_before_the_break(tmp_path: Path) -> None:
    broken = RSS.split("<item><title>Only a title")[0] + "<item><title>Cut off</title><description>&bogus;"
    articles, rejected = read_inputs([_write(tmp_path / "cut.xml", broken)])
    assert [a.title for a in articles] == ["Storm closes north pier", "Ferries move to south pier"]
    assert [r.path for r in rejected[-1:]] and "malformed feed XML at line" in rejected[-1].reason


def test_not_a_feed_is_one_rejection_and_a_feed_is_read_from_bytes_only(tmp_path: Path) -> None:
    # an upload's bytes naming a local file must not make feedparser open it
    (tmp_path / "secret.txt").write_text("the secret", encoding="utf-8")
    items = list(read_data(str(tmp_path / "secret.txt").encode(), "upload.rss", _config()))
    assert len(items) == 1 and items[0].path == "upload.rss"
    assert items[0].reason.startswith("not a readable RSS or Atom feed")


def _write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def _config():  # type: ignore[no-untyped-def]
    from storydesk.config import Config

    return Config()
