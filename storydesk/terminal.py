"""Rich tables of a story's fact sheet, quotations and timeline, and `visible`: how any article-derived
string reaches the terminal (never as Rich markup, never as a raw control or escape sequence)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from storydesk.model import Story
from storydesk.text import show_controls


def visible(text: str, style: str = "") -> Text:
    """`text` as a Rich `Text` (so "[/]" or "[link=…]" is shown, not parsed) with each control or escape
    character written out (`storydesk.text.show_controls`)."""
    return Text(show_controls(text), style=style)


STATUS_STYLE = {
    "corroborated": "bold green",
    "single-source": "yellow",
    "conflicting": "bold red",
    "updated": "bold blue",
}


def facts_table(story: Story) -> Table:
    """One row a fact, in the sheet's order (what happened first): status, subject, what, value(s) with
    an event's parts and the values by time, independent sources, evidence count."""
    table = Table(title=visible(f"Fact sheet — {story.title}"), title_justify="left", show_lines=False)
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
            visible(fact.status, STATUS_STYLE.get(fact.status, "")),
            visible(fact.subject),
            visible(f"{fact.slot} ({fact.kind})"),
            visible("\n".join([shown, *details])),
            str(fact.outlets),
            str(len(fact.evidence)),
        )
    if not story.facts:
        table.caption = "No facts were extracted for this story."
    return table


def statements_table(story: Story) -> Table:
    """Who said what: one row a quotation, its speaker (or unattributed) and its independent sources."""
    table = Table(title=visible(f"Quotations — {story.title}"), title_justify="left", show_lines=False)
    for name in ("speaker", "statement", "sources"):
        table.add_column(name, justify="right" if name == "sources" else "left")
    for s in story.statements:
        speaker = visible(s.speaker) if s.speaker else Text("unattributed", style="italic")
        table.add_row(speaker, visible(s.text), str(s.outlets))
    if not story.statements:
        table.caption = "No quotations were found."
    return table


def timeline_table(story: Story) -> Table:
    """One row a dated event, in date order, with how many reports name it."""
    table = Table(title=visible(f"Timeline — {story.title}"), title_justify="left")
    for name in ("date", "precision", "event", "reports"):
        table.add_column(name, justify="right" if name == "reports" else "left")
    for entry in story.timeline:
        table.add_row(entry.date, entry.precision, visible(entry.text), str(len(entry.sources)))
    if not story.timeline:
        table.caption = "No dated events were found for this story."
    return table
