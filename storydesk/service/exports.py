"""Downloads of a story (stories.json, facts as CSV, the report as Markdown) and the Atom feed of stories."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from xml.etree import ElementTree as ET

from storydesk.document import build_document
from storydesk.model import RunResult, Story, StorySummary
from storydesk.report import render_markdown, report_view

#: Characters a spreadsheet reads as the start of a formula (OWASP's list, tab and carriage return too).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Characters XML 1.0 cannot carry at all.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

FACT_COLUMNS = (
    "fact_id",
    "subject",
    "slot",
    "kind",
    "status",
    "value",
    "outlets",
    "values",
    "reported_value",
    "outlet",
    "published",
    "article_id",
    "quote",
)


def spreadsheet_safe(value: object) -> str:
    """A CSV cell a spreadsheet shows as text: a value starting like a formula gets a leading
    apostrophe, so "=HYPERLINK(...)" from a hostile article is never evaluated."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def facts_csv(story: Story) -> str:
    """One row per statement in evidence (a fact without evidence gets one row), every cell made safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FACT_COLUMNS)
    for fact in story.facts:
        head = [
            fact.id,
            fact.subject,
            fact.slot,
            fact.kind,
            fact.status,
            fact.value,
            fact.outlets,
            " | ".join(fact.values),
        ]
        for ev in fact.evidence or [None]:
            tail = (
                [ev.value or fact.value, ev.outlet, ev.published, ev.article_id, ev.quote]
                if ev
                else ["", "", "", "", ""]
            )
            writer.writerow([spreadsheet_safe(cell) for cell in head + tail])
    return out.getvalue()


def story_document(story: Story) -> str:
    """A stories.json document holding this story alone."""
    return json.dumps(build_document(RunResult([story])), ensure_ascii=False, indent=2)


def story_markdown(story: Story) -> str:
    """The Markdown report of this story alone."""
    from storydesk.document import now

    return render_markdown(report_view(RunResult([story]), generated_at=now()))


def _xml_text(value: str | None) -> str:
    return _NOT_XML.sub("", value or "")


def atom_feed(
    stories: list[tuple[StorySummary, str]], *, base_url: str, title: str = "storydesk stories"
) -> str:
    """An Atom 1.0 feed: one entry per (story, its brief as text), newest news first."""
    ns = "http://www.w3.org/2005/Atom"
    ET.register_namespace("", ns)
    feed = ET.Element(f"{{{ns}}}feed")
    updated = max((s.updated_at for s, _ in stories if s.updated_at), default=dt.datetime(2000, 1, 1))
    for tag, value in (("title", title), ("id", f"{base_url}/feed.atom"), ("updated", _stamp(updated))):
        ET.SubElement(feed, f"{{{ns}}}{tag}").text = value
    ET.SubElement(feed, f"{{{ns}}}link", rel="self", href=f"{base_url}/feed.atom")
    ET.SubElement(feed, f"{{{ns}}}link", rel="alternate", href=f"{base_url}/")
    ET.SubElement(ET.SubElement(feed, f"{{{ns}}}author"), f"{{{ns}}}name").text = "storydesk"
    for summary, brief in stories:
        entry = ET.SubElement(feed, f"{{{ns}}}entry")
        link = f"{base_url}/stories/{summary.id}"
        ET.SubElement(entry, f"{{{ns}}}title").text = _xml_text(summary.title)
        ET.SubElement(entry, f"{{{ns}}}id").text = link
        ET.SubElement(entry, f"{{{ns}}}link", rel="alternate", href=link)
        ET.SubElement(entry, f"{{{ns}}}updated").text = _stamp(summary.updated_at or updated)
        outlets = ", ".join(summary.outlets)
        text = f"{summary.n_articles} reports ({outlets}). {brief}" if outlets else brief
        ET.SubElement(entry, f"{{{ns}}}summary", type="text").text = _xml_text(text)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode")


def _stamp(moment: dt.datetime) -> str:
    """RFC 3339 in UTC (the store keeps naive UTC times)."""
    return moment.replace(tzinfo=dt.UTC, microsecond=0).isoformat().replace("+00:00", "Z")
