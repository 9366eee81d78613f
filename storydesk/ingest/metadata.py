"""Metadata written into the top of a report's text: headline, date lines, bylines, dateline, section label.

Newsrooms and scrapers put the same few conventions above the body ("Published: March 3, 2026",
"By Jane Doe, Example News | March 3, 2026", a short headline line, "LISBON, March 3 (Agency) -", a
"Transportation" kicker over the headline). Lines consumed leave the body and are kept as
`Removal(reason="metadata")` or `Removal(reason="section-label")`. When in doubt a line stays in the body:
a missed headline costs less than a lost sentence.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import dateparser

from storydesk.clean import rules as debris
from storydesk.config import CleanConfig, Config, MetadataConfig
from storydesk.model import Removal
from storydesk.text import MONTH, read_dateline, sentences

_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_FULL_DATE = re.compile(
    rf"\b(?:\d{{4}}-\d{{1,2}}-\d{{1,2}}|{MONTH} {_DAY},? \d{{4}}|{_DAY} {MONTH},? \d{{4}}|"
    rf"\d{{1,2}}/\d{{1,2}}/\d{{4}})\b",
    re.IGNORECASE,
)
#: An ISO 8601 date, alone or with a time and offset: the form of most feeds' and scrapers' date fields.
_ISO_DATE = re.compile(
    r"\s*(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\s*"
)
_DATE_KEYWORD = re.compile(
    r"^\W*(?:first published|last updated|published|updated|posted|date|dated|last modified)\b", re.IGNORECASE
)
_NAME = r"[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,4}"
_OUTLET = r"(?:The )?[A-Z][\w.&'’-]*(?: (?:[A-Z0-9][\w.&'’-]*|of|on|de|la|&)){0,5}"
_BYLINE = re.compile(
    rf"^\W*(?i:by)\s+(?P<names>{_NAME}(?:(?:,| and| &) {_NAME})*?)"
    rf"(?:(?:\s*,\s*|\s+for\s+)(?:the )?(?P<outlet>{_OUTLET}))?\s*(?:$|[|·•/—–-]|,)"
)
_NAMED_BYLINE = re.compile(  # "Jane Roe, Example News | date", only right under a headline
    rf"^(?P<names>[A-Z][\w'’-]+(?: [A-Z][\w.'’-]*){{1,2}}), (?P<outlet>{_OUTLET})\s*(?:$|[|·•])"
)
_BYLINE_PART = re.compile(rf"^\s*(?P<outlet>{_OUTLET})\s*$")
_ROLE = re.compile(
    r"\b(?:staff|senior|chief|political|special|contributing|deputy|managing|executive|national|foreign|"
    r"writers?|reporters?|correspondents?|editors?|contributors?|columnists?|producers?|photographers?|"
    r"interns?|analysts?|critics?|bureau)\b.*$",
    re.IGNORECASE,
)
_SECTIONS = (
    r"(?:sports?|business|politics|opinion|world|culture|lifestyle|tech(?:nology)?|science|health|travel|"
    r"entertainment|arts|money|weather|metro|local)"
)
_SECTION_TAIL = re.compile(rf"(?: {_SECTIONS})+$", re.IGNORECASE)
_PROMO = re.compile(  # a footer naming the site: "Read more stories from the Example Times"
    rf"^\W*(?i:(?:click here to )?(?:read |see |get |find )?(?:more|the latest|all the latest)"
    rf"(?: \w+){{0,2}} from )(?:the )?(?P<outlet>{_OUTLET})\W*$"
)
_SOURCE = re.compile(r"^\W*(?:source|outlet|publisher|publication)\s*:\s*(?P<name>\S.{0,60})$", re.IGNORECASE)
_DATE_REST = re.compile(
    r"\b(?:on|at|am|pm|a\.m\.|p\.m\.|utc|gmt|[ecmp][sd]?t|bst|cet|cest|"
    r"mon|tue|wed|thu|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\b|\d{1,2}[:.]\d{2}|[\W\d_]",
    re.IGNORECASE,
)
_LIST_ITEM = re.compile(r"^[-–—•*]")  # a list item or a dash-led fragment is not a headline
_DOMAIN = re.compile(
    r"\b(?:www\.)?((?:[a-z0-9-]+\.)+(?:com|net|org|news|info|co\.uk|com\.au|co\.nz|ca|ie|uk|us|eu))\b",
    re.IGNORECASE,
)
_SHORT_ABBREVIATION = re.compile(r"(?:^|[\s-])[A-Z][a-z]{0,2}\.$")
_SENTENCE_GAP = re.compile(r"(?P<word>[A-Za-z]*[a-z]{2})(?P<mark>[.!?])[\"'”’]? (?=[A-Z])")
_BYLINE_JOINERS = frozenset({"and", "for", "the", "of", "at", "in", "on"})
_LABEL_JOINERS = frozenset({"&", "and", "of", "|", "/", ">", "»"})


@dataclass
class Header:
    """What the top of a report said about it, and the body without the lines it was read from."""

    body: str
    title: str | None = None
    published: dt.date | None = None
    outlet: str | None = None
    removed: list[Removal] = field(default_factory=list)


def read_header(text: str, config: Config | None = None, *, title: str | None = None) -> Header:
    """Headline, publication date and outlet (a "Source:" line, a byline, a wire agency, a footer naming the
    site, in that order) from a report's first lines; section labels above the headline are dropped."""
    config = config or Config()
    rules, clean = config.metadata, config.clean
    lines = text.split("\n")
    header = Header(body=text, title=title)
    dates: list[tuple[int, dt.date]] = []
    consumed: dict[int, str] = {}
    indexes = _header_indexes(lines, rules, clean)
    title_at = -1
    for k, i in enumerate(indexes):
        line = lines[i].strip()
        kind = _metadata_kind(line, rules)
        if kind is None and k > 0 and indexes[k - 1] == title_at and _NAMED_BYLINE.match(line):
            kind = 1
        source = _SOURCE.match(line)
        if source:
            header.outlet = header.outlet or source.group("name").strip()
            consumed[i] = "metadata"
        elif kind is not None:
            consumed[i] = "metadata"
            header.outlet = header.outlet or (_byline_outlet(line, rules) if kind == 1 else None)
            found = parse_date(line)
            if found:
                dates.append((kind, found))
        elif title_at < 0 and _is_kicker(lines, indexes[k:], header.title, rules, clean):
            consumed[i] = "section-label"
        elif header.title is None and _is_headline(lines, i, rules, clean):
            header.title, title_at, consumed[i] = line, i, "metadata"
        elif header.title is not None and _same(line, header.title):
            title_at, consumed[i] = i, "metadata"
    header.removed = [Removal(lines[i].strip(), reason) for i, reason in sorted(consumed.items())]
    header.body = "\n".join(line for i, line in enumerate(lines) if i not in consumed).strip("\n")
    dateline = read_dateline(header.body.lstrip())
    if dateline:
        header.outlet = header.outlet or dateline.agency
        if dateline.date:
            dates.append((3, parse_date(dateline.date)))
    header.outlet = header.outlet or _footer_outlet(lines, rules)
    dated = sorted((rank, d) for rank, d in dates if d)
    header.published = dated[0][1] if dated else None
    return header


def _header_indexes(lines: list[str], rules: MetadataConfig, clean: CleanConfig) -> list[int]:
    """Indexes of the non-blank lines above the first prose paragraph, skipping page furniture."""
    found: list[int] = []
    for i, (line, reason) in enumerate(zip(lines, debris.classify_lines(lines, clean), strict=True)):
        text = line.strip()
        if not text or reason:
            continue
        if len(found) >= rules.header_lines or (
            len(text.split()) > rules.prose_line_words and not _metadata_kind(text, rules)
        ):
            break
        found.append(i)
    return found


def _metadata_kind(line: str, rules: MetadataConfig) -> int | None:
    """0 for a publication-date line, 1 for a byline, 2 for an update line; None for anything else."""
    if len(line.split()) > rules.metadata_max_words:
        return None
    short = len(line.split()) <= rules.date_keyword_max_words
    if _DATE_KEYWORD.match(line) and (_has_date_or_time(line) or short):
        return 2 if re.match(r"^\W*(?:last )?(?:updated|modified)", line, re.IGNORECASE) else 0
    if (_BYLINE.match(line) and not _is_clause(line, rules)) or _SOURCE.match(line):
        return 1
    if _FULL_DATE.search(line) and not _DATE_REST.sub("", _FULL_DATE.sub("", line)).strip():
        return 0
    return None


def _is_clause(line: str, rules: MetadataConfig) -> bool:
    """Prose that opens with "By" ("By Monday, officials had left") has lower-case words; a byline has few."""
    return sum(w[0].islower() and w not in _BYLINE_JOINERS for w in line.split()) >= rules.byline_clause_words


def _has_date_or_time(line: str) -> bool:
    return bool(_FULL_DATE.search(line) or re.search(rf"\d{{1,2}}[:.]\d{{2}}|\b(?i:{MONTH})\b", line))


def _byline_outlet(line: str, rules: MetadataConfig) -> str | None:
    """The outlet a byline names after its writers: "By Jane Roe, Example News | date", "By Jane Roe for
    The Example Times", "By Jane Roe | Example News Sport | date" (section and job titles left out)."""
    match = _BYLINE.match(line) or _NAMED_BYLINE.match(line)
    if not match:
        return None
    for part in [match.group("outlet") or "", *re.split(r"\s[|·•]\s?", line)[1:]]:
        named = _BYLINE_PART.match(part)
        if named and not _has_date_or_time(part) and not debris.has_credit(part):
            outlet = _SECTION_TAIL.sub("", _ROLE.sub("", named.group("outlet"))).strip()
            if outlet and not re.fullmatch(_SECTIONS, outlet, re.IGNORECASE):
                return outlet
    return None


def _footer_outlet(lines: list[str], rules: MetadataConfig) -> str | None:
    """The site a closing promo line names ("Read more stories from the Example Times")."""
    tail = [line.strip() for line in lines if line.strip()][-rules.footer_lines :]
    for line in tail:
        match = _PROMO.match(line) if len(line.split()) <= rules.footer_max_words else None
        if match:
            return match.group("outlet")
    return None


def _is_kicker(
    lines: list[str], indexes: list[int], title: str | None, rules: MetadataConfig, clean: CleanConfig
) -> bool:
    """Whether the header line at `indexes[0]` is a section label ("Transportation", "Election 2026"): a few
    capitalised words, no sentence, followed by the headline or, when the headline is known, by the body's
    start (an upper-case line there may be a dateline, "LISBON", and stays)."""
    line = lines[indexes[0]].strip()
    words = line.split()
    if (
        len(words) > rules.kicker_max_words
        or len(line) > rules.kicker_max_chars
        or len(indexes) < 2
        or not all(w[0].isupper() or w[0].isdigit() or w in _LABEL_JOINERS for w in words)
        or re.search(r"[!?:,;\"“”]|[a-z]{2}\.$", line)
        or _has_date_or_time(line)
    ):
        return False
    nxt = lines[indexes[1]].strip()
    if title is not None:
        return _same(nxt, title) or (_is_body_start(nxt, rules) and not line.isupper())
    return _is_headline(lines, indexes[1], rules, clean)


def _is_headline(lines: list[str], i: int, rules: MetadataConfig, clean: CleanConfig) -> bool:
    """A short one-sentence line without a closing period, standing alone right above the body's start.

    Not a caption (it carries a photo credit) and not a line whose next text is not prose (a lone name
    over a figure, a label over a list, half a sentence broken across lines).
    """
    text = lines[i].strip()
    words = text.split()
    if (
        sum(any(c.isalpha() for c in w) for w in words) < 2
        or len(words) > rules.headline_max_words
        or len(text) > rules.headline_max_chars
    ):
        return False
    if re.search(r"[.,;:][\"'”’)]*$", text):
        return False
    if _LIST_ITEM.match(text) or read_dateline(text) or _two_sentences(text) or debris.has_credit(text):
        return False
    following = [line.strip() for line in lines[i + 1 :]]
    if following and following[0] and not _is_furniture(following[0], rules, clean):
        return False  # the first line of a paragraph
    body = next((line for line in following if line and not _is_furniture(line, rules, clean)), "")
    return _is_body_start(body, rules)


def _is_furniture(line: str, rules: MetadataConfig, clean: CleanConfig) -> bool:
    """Debris or metadata, which may stand between a headline and the body ("Jane Roe, Example News")."""
    if debris.line_reason(line, clean) is not None or _metadata_kind(line, rules) is not None:
        return True
    return bool(_NAMED_BYLINE.match(line))


def _is_body_start(line: str, rules: MetadataConfig) -> bool:
    return len(line.split()) > rules.body_start_words or read_dateline(line) is not None


def _two_sentences(text: str) -> bool:
    """Whether a line holds two sentences. Headlines use abbreviations ("Lt. Gov. Jane Roe", "Calif. Town"):
    a split after a capitalised word of up to three letters, or a period after one of up to five that the
    splitter did not split at, is not a sentence end."""
    if any(not _SHORT_ABBREVIATION.search(span.text) for span in sentences(text)[:-1]):
        return True
    return any(
        m.group("mark") != "." or not (m.group("word")[0].isupper() and len(m.group("word")) <= 5)
        for m in _SENTENCE_GAP.finditer(text)
    )


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def parse_date(text: str) -> dt.date | None:
    """The first full calendar date (day, month and year) written in `text`. An ISO 8601 date is read
    directly, as dateparser reads it (the date as written, whatever the offset), at a thousandth of
    its cost; it was a third of the time of reading a JSONL corpus."""
    iso = _ISO_DATE.fullmatch(text)
    if iso:
        try:
            return dt.date(*(int(part) for part in iso.groups()))
        except ValueError:
            pass  # not a calendar date ("2026-02-30"): dateparser decides
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
