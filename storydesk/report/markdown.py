"""The same report as plain Markdown: readable raw, and safe when a Markdown renderer turns it into HTML."""

from __future__ import annotations

import re
from typing import Any

from storydesk.model import Entity, Rejected
from storydesk.report.view import STATUSES, Cite, ReportHeader, ReportView, Source, StoryView, human_date
from storydesk.text import show_controls

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")
_URL_UNSAFE = {" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E"}


def render_markdown(view: ReportView) -> str:
    """The report as Markdown."""
    stories = "".join(map(markdown_story, view.stories))
    return markdown_head(view.header) + stories + markdown_tail(view.rejected)


def markdown_head(header: ReportHeader) -> str:
    """The report up to its first story."""
    lines = ["# storydesk report", "", *_header(header)]
    if not header.n_stories:
        lines += ["", "_No stories: no input could be read as a news article._"]
    return "\n".join(lines)


def markdown_story(story: StoryView) -> str:
    """One story's part of the report."""
    return "\n\n" + "\n".join(_story(story))


def markdown_tail(rejected: list[Rejected]) -> str:
    """The report after its last story."""
    lines = []
    if rejected:
        lines += ["", "", "## Rejected inputs", "", "| Input | Reason |", "|---|---|"]
        lines += [f"| {_md(r.path)} | {_md(r.reason)} |" for r in rejected]
    return "\n".join(lines) + "\n"


def _md(text: Any) -> str:
    """One line of article-derived text with Markdown and HTML syntax and control characters neutralised."""
    return _SPECIAL.sub(r"\\\1", show_controls(" ".join(str(text or "").split())))


def _link(label: str, href: str) -> str:
    return f"[{label}]({''.join(_URL_UNSAFE.get(ch, ch) for ch in href)})"


def _cites(cites: list[Cite]) -> str:
    return "".join(f"[{c.label}]" for c in cites)


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


def _header(header: ReportHeader) -> list[str]:
    made = f"Generated {header.generated_at}" if header.generated_at else "Generated at an unknown time"
    by = f" by storydesk {header.version}" if header.version else ""
    return [
        _md(made + by) + ".",
        "",
        f"**{_plural(header.n_stories, 'story', 'stories')} · {_plural(header.n_articles, 'article')} · "
        f"{_plural(header.n_outlets, 'outlet')} · {_plural(header.n_rejected, 'rejected input')}**",
    ]


#: Marks a brief line generated from the fact sheet, so no reader takes it for a report's words.
GENERATED_MARK = "_(from the fact sheet)_ "


def _story(story: StoryView) -> list[str]:
    lines = [f"## {story.number}. {_md(story.title)}", ""]
    lines += [f"_Analysis stopped ({_md(error)}): the story keeps its reports._" for error in story.errors]
    lines += [""] if story.errors else []
    lines += ["### Brief", ""]
    lines += [
        f"{GENERATED_MARK if i in story.generated else ''}{_md(text)} {_cites(cs)}"
        for i, (text, cs) in enumerate(story.brief)
    ] or ["_No brief for this story._"]
    lines += ["", "### Fact sheet", ""]
    lines += _facts(story) if story.facts else ["_No facts were extracted for this story._"]
    lines += ["", "### Quotations: who said what", ""]
    lines += _statements(story) if story.statements else ["_No quotations were found._"]
    lines += ["", "### Timeline", ""]
    lines += [
        f"- **{_md(row.entry.date)}** ({_md(row.entry.precision)}) — "
        f"{_md(row.entry.text)} {_cites(row.cites)}"
        for row in story.timeline
    ] or ["_No dated events were found._"]
    lines += ["", "### Entities", ""]
    lines += _entities(story.entities) if story.entities else ["_No entities were found._"]
    lines += ["", "### Sources", ""]
    for src in story.sources:
        lines += _source(src)
    return lines


def _facts(story: StoryView) -> list[str]:
    counts = ", ".join(f"{status} {story.status_counts.get(status, 0)}" for status in STATUSES)
    lines = [counts, "", "| Fact | Value | Status | Outlets | Evidence |", "|---|---|---|---:|---|"]
    for row in story.facts:
        fact = row.fact
        arrow = " → " if fact.status == "updated" else "; "
        tally = len(row.values) > 1
        values = arrow.join(
            (f"**{_md(v)}**" if v == fact.value else _md(v)) + (f" ({n})" if tally else "")
            for v, n in row.values
        )
        if row.history:  # by time: a change, and a disagreement of one time within a step
            values = " → ".join(_md(step) for step in row.history)
        notes = [f"{_md(name)}: {_md(value)}" for name, value in row.parts]
        notes += [_md(row.only_in)] if row.only_in else []
        notes += [f"via {_md(', '.join(row.via))} (counted once)"] if row.via else []
        shown = values + (" — " + "; ".join(notes) if notes else "")
        cites = sorted({q.cite.label: q.cite for q in row.quotes}.values(),  # each source once, in order
                       key=lambda c: (c.anchor is None, int(c.label) if c.anchor else 0))
        lines.append(
            f"| {_md(fact.subject)} — {_md(fact.slot)} ({_md(fact.kind)}) | {shown} | {_md(fact.status)} "
            f"| {fact.outlets} | {_cites(cites)} |"
        )
    header = " | ".join(f"[{s.number}] {_md(s.outlet)}" for s in story.sources)
    lines += ["", "Who said what, report by report (facts the reports disagree on first):", "",
              f"| Fact | {header} |", "|---" * (len(story.sources) + 1) + "|"]
    lines += [
        f"| {_md(row.fact.subject)} — {_md(row.fact.slot)} | "
        + " | ".join(_md(cell) for cell in row.cells)
        + " |"
        for row in story.matrix
    ]
    return lines


def _statements(story: StoryView) -> list[str]:
    lines = ["| Speaker | Statement | Sources | Reports |", "|---|---|---:|---|"]
    for row in story.statements:
        speaker = _md(row.speaker) if row.statement.speaker else "_unattributed_"
        lines.append(f"| {speaker} ({_md(row.statement.attribution)}) | {_md(row.statement.text)} "
                     f"| {row.statement.outlets} | {_cites(row.cites)} |")
    return lines


def _entities(entities: list[Entity]) -> list[str]:
    lines = ["| Name | Type | As written | Articles |", "|---|---|---|---:|"]
    for e in entities:
        variants = ", ".join(f"{_md(form)} ({n})" for form, n in e.variants.items())
        lines.append(f"| {_md(e.name)} | {_md(e.type)} | {variants} | {len(e.articles)} |")
    return lines


def _source(src: Source) -> list[str]:
    article = src.article
    title = _md(article.title or "(untitled)")
    parts = [f"**{_md(src.outlet)}**", _md(src.date) or "undated"]
    parts.append(_link(title, src.href) if src.href else title)
    if article.path:
        parts.append(_md(article.path))
    lines = [f"{src.number}. " + " · ".join(parts)]
    for view in src.copies:
        copy, href = view.copy, view.href
        bits = [_md(copy.outlet or "unknown outlet"), human_date(copy.published)]
        bits.append(_link(_md(copy.title or href), href) if href else "")
        bits.append(_md(copy.title) if not href else "")
        lines.append("   - Also: " + " · ".join(b for b in bits if b))
    removed = article.removed
    if removed:
        lines.append(f"   - Cleaning removed {_plural(len(removed), 'passage')}:")
        lines += [f"     - _{_md(r.reason)}_: {_md(r.text)}" for r in removed]
    return lines
