"""Rich tables of a story's fact sheet and timeline."""

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
    """One row a fact: status, subject, what, value(s), independent outlets, evidence count."""
    table = Table(title=f"Fact sheet — {story.title}", title_justify="left", show_lines=False)
    for name in ("status", "subject", "what", "value", "outlets", "evidence"):
        table.add_column(name, justify="right" if name in ("outlets", "evidence") else "left")
    for fact in story.facts:
        values = fact.values or [fact.value]
        shown = " → ".join(values) if fact.status == "updated" else " / ".join(values)
        table.add_row(
            Text(fact.status, style=STATUS_STYLE.get(fact.status, "")),
            Text(fact.subject),
            Text(fact.slot),
            Text(shown),
            str(fact.outlets),
            str(len(fact.evidence)),
        )
    if not story.facts:
        table.caption = "No facts were extracted for this story."
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
