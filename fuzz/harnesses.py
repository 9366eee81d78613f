"""Fuzz targets of the hostile-input floor (issue #11), free of atheris so the regression test replays them.

Each target takes bytes and runs one stage without its boundary: any exception it lets out is a crash
(`fuzz/fuzz.py` drives them under atheris; `tests/test_fuzz_regressions.py` replays fuzz/crashes/).
The first byte picks a variant (a format, a publication day); the rest is the input.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from storydesk.analysis.story import analyse_story
from storydesk.analysis.temporal.expressions import date_mentions
from storydesk.clean import clean_article
from storydesk.config import Config
from storydesk.ingest import read_data
from storydesk.model import Article, Rejected

_CONFIG = Config()
_SUFFIXES = (".txt", ".md", ".html", ".json", ".jsonl")


def _text(data: bytes) -> str:
    """The payload as text, lone surrogates and all (what a JSON escape can smuggle in)."""
    return data.decode("utf-8", errors="surrogatepass") if _valid(data) else data.decode("latin-1")


def _valid(data: bytes) -> bool:
    try:
        data.decode("utf-8", errors="surrogatepass")
    except UnicodeDecodeError:
        return False
    return True


def _day(selector: int) -> dt.date:
    """A publication day from one byte, the calendar's edges included."""
    days = (dt.date.min, dt.date.max, dt.date(2026, 3, 1), dt.date(1, 12, 31), dt.date(9999, 1, 1))
    return days[selector % len(days)]


def ingest(data: bytes) -> None:
    """Bytes of each format to articles or rejections."""
    if not data:
        return
    for item in read_data(data[1:], "fuzz" + _SUFFIXES[data[0] % len(_SUFFIXES)], _CONFIG):
        assert isinstance(item, Article | Rejected)


def clean(data: bytes) -> None:
    """Any text through cleaning (the sentence bound included)."""
    article = clean_article(Article(id="f", text=_text(data), title=_text(data[:40])))
    assert article.text == article.text.strip()


def dates(data: bytes) -> None:
    """Date expressions found and resolved against any publication day, at day and month precision."""
    if not data:
        return
    for mention in date_mentions(_text(data[1:]), tense=False):
        for precision in ("day", "month"):
            mention.resolve(_day(data[0]), precision)


def story(data: bytes) -> None:
    """One story of one or two articles (cut where the payload has a NUL) through the whole analysis."""
    if not data:
        return
    parts = [p for p in _text(data[1:]).split("\x00")[:2] if p.split()]
    articles = [clean_article(Article(id=f"f{i}", text=p, title=p[:30], published=_day(data[0])))
                for i, p in enumerate(parts)]
    articles = [a for a in articles if a.text.split()]
    if articles:
        analyse_story(articles, _CONFIG)


TARGETS: dict[str, Callable[[bytes], None]] = {
    "ingest": ingest, "clean": clean, "dates": dates, "story": story}
