"""Metadata written into the top of a plain-text report: headline, date lines, bylines, dateline.

Newsrooms and scrapers put the same few conventions above the body ("Published: March 3, 2026",
"By Jane Doe | March 3, 2026", a short headline line, "LISBON, March 3 (Agency) -"). Lines consumed as
metadata leave the body and are kept as `Removal(reason="metadata")`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import dateparser

from storydesk import debris
from storydesk.model import Removal

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_FULL_DATE = re.compile(
    rf"\b(?:\d{{4}}-\d{{1,2}}-\d{{1,2}}|{_MONTH} {_DAY},? \d{{4}}|{_DAY} {_MONTH},? \d{{4}}|"
    rf"\d{{1,2}}/\d{{1,2}}/\d{{4}})\b",
    re.IGNORECASE,
)
_DATE_KEYWORD = re.compile(
    r"^\W*(?:first published|last updated|published|updated|posted|date|dated|last modified)\b", re.IGNORECASE
)
_BYLINE = re.compile(r"^\W*by\s+[A-Z]", re.IGNORECASE)
_SOURCE = re.compile(r"^\W*(?:source|outlet|publisher|publication)\s*:\s*(?P<name>\S.{0,60})$", re.IGNORECASE)
_DATE_REST = re.compile(
    r"\b(?:on|at|am|pm|a\.m\.|p\.m\.|utc|gmt|[ecmp][sd]?t|bst|cet|cest|"
    r"mon|tue|wed|thu|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\b|\d{1,2}[:.]\d{2}|[\W\d_]",
    re.IGNORECASE,
)
_DATELINE = re.compile(
    rf"^(?P<place>[A-Z][A-Z .'’-]{{1,40}}(?:, [A-Z][A-Za-z. ]{{1,30}})?),? "
    rf"(?:(?P<date>(?i:{_MONTH}) {_DAY}(?:, \d{{4}})?) ?)?"
    r"(?:\((?P<agency>[A-Z][\w .&'-]{1,40})\))? ?[-–—]+ "
)
_DOMAIN = re.compile(
    r"\b(?:www\.)?((?:[a-z0-9-]+\.)+(?:com|net|org|news|info|co\.uk|com\.au|co\.nz|ca|ie|uk|us|eu))\b",
    re.IGNORECASE,
)
_HEADER_LINES = 8


@dataclass
class Header:
    """What the top of a report said about it, and the body without the lines it was read from."""

    body: str
    title: str | None = None
    published: dt.date | None = None
    outlet: str | None = None
    removed: list[Removal] = field(default_factory=list)


def read_header(text: str, *, title: str | None = None) -> Header:
    """Headline, publication date and outlet ("Source:" line or wire agency) from a report's first lines."""
    lines = text.split("\n")
    header = Header(body=text, title=title)
    dates: list[tuple[int, dt.date]] = []
    consumed: set[int] = set()
    for i in _header_indexes(lines):
        line = lines[i].strip()
        kind = _metadata_kind(line)
        source = _SOURCE.match(line)
        if source:
            header.outlet = header.outlet or source.group("name").strip()
            consumed.add(i)
        elif kind is not None:
            consumed.add(i)
            found = parse_date(line)
            if found:
                dates.append((kind, found))
        elif header.title is None and _is_headline(lines, i):
            header.title = line
            consumed.add(i)
        elif header.title is not None and _same(line, header.title):
            consumed.add(i)
    body_lines = [line for i, line in enumerate(lines) if i not in consumed]
    header.removed = [Removal(lines[i].strip(), "metadata") for i in sorted(consumed)]
    header.body = "\n".join(body_lines).strip("\n")
    dateline = _DATELINE.match(header.body.lstrip())
    if dateline:
        header.outlet = header.outlet or dateline.group("agency")
        if dateline.group("date"):
            dates.append((3, parse_date(dateline.group("date"))))
    dated = sorted((rank, d) for rank, d in dates if d)
    header.published = dated[0][1] if dated else None
    return header


def _header_indexes(lines: list[str]) -> list[int]:
    """Indexes of the non-blank lines above the first prose paragraph, skipping page furniture."""
    found: list[int] = []
    for i, (line, reason) in enumerate(zip(lines, debris.classify_lines(lines), strict=True)):
        text = line.strip()
        if not text or reason:
            continue
        if len(found) >= _HEADER_LINES or (len(text.split()) > 30 and not _metadata_kind(text)):
            break
        found.append(i)
    return found


def _metadata_kind(line: str) -> int | None:
    """0 for a publication-date line, 1 for a byline, 2 for an update line; None for anything else."""
    if len(line.split()) > 15:
        return None
    if _DATE_KEYWORD.match(line) and (_has_date_or_time(line) or len(line.split()) <= 6):
        return 2 if re.match(r"^\W*(?:last )?(?:updated|modified)", line, re.IGNORECASE) else 0
    if _BYLINE.match(line) or _SOURCE.match(line):
        return 1
    if _FULL_DATE.search(line) and not _DATE_REST.sub("", _FULL_DATE.sub("", line)).strip():
        return 0
    return None


def _has_date_or_time(line: str) -> bool:
    return bool(_FULL_DATE.search(line) or re.search(rf"\d{{1,2}}[:.]\d{{2}}|\b(?i:{_MONTH})\b", line))


def _is_headline(lines: list[str], i: int) -> bool:
    """A short single-sentence line without a closing period that stands alone above more text."""
    text = lines[i].strip()
    words = text.split()
    if not 2 <= len(words) <= 25 or len(text) > 200 or re.search(r"[.,;:][\"'”’)]*$", text):
        return False
    if _DATELINE.match(text) or re.search(r"[a-z]{2}[.!?][\"'”’]? [A-Z]", text):  # two sentences
        return False
    following = [line.strip() for line in lines[i + 1 :]]
    if not any(len(line.split()) > 8 for line in following):
        return False
    nxt = following[0] if following else ""
    return not nxt or debris.line_reason(nxt) is not None or _metadata_kind(nxt) is not None


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def parse_date(text: str) -> dt.date | None:
    """The first full calendar date (day, month and year) written in `text`."""
    match = _FULL_DATE.search(text)
    candidate = match.group() if match else text
    parsed = dateparser.parse(
        candidate,
        languages=["en"],
        settings={"REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DATES_FROM": "past"},
    )
    return parsed.date() if parsed else None


def outlet_from_url(url: str | None) -> str | None:
    """The site's domain without "www." ("reuters.com"), a stand-in when no outlet name is given."""
    if not url:
        return None
    host = (urlsplit(url if "//" in url else "//" + url).hostname or "").lower()
    host = re.sub(r"^(?:www\d?|m|amp|mobile)\.", "", host)
    return host or None


def outlet_from_filename(name: str) -> str | None:
    """A domain written in a file name ("reuters.com_story.txt"), the only way a name clearly names one."""
    match = _DOMAIN.search(name)
    return match.group(1).lower() if match else None
