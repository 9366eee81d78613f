"""Rich tables of a story's fact sheet, quotations and timeline."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from storydesk.model import Story

STATUS_STYLE = {
    "corroborated": "bold green",
    "single-source": "yellow",
    "conflicting": "bold red",
    "updated": "bold blue",
}


def facts_table(story: Story) -> Table:
    """One row a fact, in the sheet's order (what happened first): status, subject, what, value(s) with
    an event's parts and the values by time, independent sources, evidence count."""
    table = Table(title=f"Fact sheet — {story.title}", title_justify="left", show_lines=False)
    for name in ("status", "subject", "what", "value", "outlets", "evidence"):
        table.add_column(name, justify="right" if name in ("outlets", "evidence") else "left")
    for fact in story.facts:
        values = fact.values or [fact.value]
        shown = " → ".join(values) if fact.status == "updated" else " / ".join(values)
        if fact.history:
            shown = " → ".join(" vs ".join(step.values) for step in fact.history)
        details = [f"{k}: {v}" for k, v in fact.parts.items() if k != "action"]
        details += [f"only in {fact.only_in}"] if fact.only_in else []
        table.add_row(
            Text(fact.status, style=STATUS_STYLE.get(fact.status, "")),
            Text(fact.subject),
            Text(f"{fact.slot} ({fact.kind})"),
            Text("\n".join([shown, *details])),
            str(fact.outlets),
            str(len(fact.evidence)),
        )
    if not story.facts:
        table.caption = "No facts were extracted for this story."
    return table


def statements_table(story: Story) -> Table:
    """Who said what: one row a quotation, its speaker (or unattributed) and its independent sources."""
    table = Table(title=f"Quotations — {story.title}", title_justify="left", show_lines=False)
    for name in ("speaker", "statement", "sources"):
        table.add_column(name, justify="right" if name == "sources" else "left")
    for s in story.statements:
        speaker = Text(s.speaker) if s.speaker else Text("unattributed", style="italic")
        table.add_row(speaker, Text(s.text), str(s.outlets))
    if not story.statements:
        table.caption = "No quotations were found."
    return table


def timeline_table(story: Story) -> Table:
    """One row a dated event, in date order, with how many reports name it."""
    table = Table(title=f"Timeline — {story.title}", title_justify="left")
    for name in ("date", "precision", "event", "reports"):
        table.add_column(name, justify="right" if name == "reports" else "left")
    for entry in story.timeline:
        table.add_row(entry.date, entry.precision, Text(entry.text), str(len(entry.sources)))
    if not story.timeline:
        table.caption = "No dated events were found for this story."
    return table
