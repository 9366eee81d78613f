"""RSS and Atom feed files (feedparser): each entry becomes an article named "FEED#n" (its place in the feed).

An entry gives its link, title, date (published, else updated) and its text: the longest of its content
blocks, else its summary. HTML goes through trafilatura like a page; an entry's HTML holds only the entry
(no page furniture), so when trafilatura finds no article in a short fragment its text is read as it is.
A feed that does not parse at all is one rejection; a feed whose XML breaks part-way gives the entries
before the break and a rejection naming the line of the break.

Only bytes are parsed (never a URL or a file name, which feedparser would fetch or open), and feedparser
refuses external entities and strips scripts from entry HTML.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import IO, Any

import feedparser
import lxml.etree
import lxml.html

from storydesk.config import Config
from storydesk.ingest.formats import article_from_html, article_from_text
from storydesk.model import Article, Rejected

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "html", "xhtml"})
_BLOCKS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr")


def read_feed(stream: IO[bytes], name: str, config: Config) -> Iterator[Article | Rejected]:
    """The articles of a feed file's entries, in feed order."""
    limit = config.ingest.max_bytes
    data = stream.read(limit + 1)
    if len(data) > limit:
        yield Rejected(name, f"file too large (more than {limit:,} bytes)")
        return
    parsed = feedparser.parse(io.BytesIO(data))
    if not parsed.entries:
        problem = f": {parsed.bozo_exception}" if parsed.get("bozo") else " (no entries)"
        yield Rejected(name, f"not a readable RSS or Atom feed{problem}")
        return
    outlet = (parsed.feed.get("title") or "").strip() or None
    for n, entry in enumerate(parsed.entries, 1):
        yield _entry_article(entry, f"{name}#{n}", outlet, config)
    if parsed.get("bozo") and hasattr(parsed.bozo_exception, "getLineNumber"):
        line = parsed.bozo_exception.getLineNumber()
        yield Rejected(
            f"{name}:{line}",
            f"malformed feed XML at line {line} ({parsed.bozo_exception.getMessage()}); "
            f"the {len(parsed.entries)} entries before it were read",
        )


def _entry_article(entry: Any, name: str, feed_title: str | None, config: Config) -> Article | Rejected:
    """An entry's article: its text with its link, title and date (the feed's title as the outlet only
    when the entry has no link to name the site)."""
    blocks = [c for c in entry.get("content", []) if (c.get("value") or "").strip()]
    block = max(blocks, key=lambda c: len(c["value"])) if blocks else entry.get("summary_detail")
    if not block or not (block.get("value") or "").strip():
        return Rejected(name, "feed entry has no content or summary")
    link = (entry.get("link") or "").strip()  # an RSS guid counts as a link unless it says otherwise
    url = link if link.lower().startswith(("http://", "https://")) else None
    known = {
        "url": url,
        "title": (entry.get("title") or "").strip() or None,
        "outlet": None if url else feed_title,
        "published": _entry_date(entry),
    }
    value = block["value"]
    if (block.get("type") or "text/html").lower() not in _HTML_TYPES:
        return article_from_text(value, name, config, **known)
    article = article_from_html(value, name, config, **known)
    if isinstance(article, Rejected):
        return article_from_text(_fragment_text(value), name, config, **known)
    return article


def _entry_date(entry: Any) -> dt.date | None:
    """The entry's publication day (UTC, as feedparser normalises it), else the day it was updated."""
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    return dt.date(*stamp[:3]) if stamp else None


def _fragment_text(html: str) -> str:
    """The text of an HTML fragment, a blank line after each block element."""
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return ""
    for element in root.xpath("//script|//style"):
        element.drop_tree()
    for element in root.iter(*_BLOCKS):
        element.tail = "\n\n" + (element.tail or "")
    return root.text_content()
