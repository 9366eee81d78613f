"""What the story page shows beyond the report: each brief citation's sentence in its report, in context.

Everything else comes from `storydesk.report.view` (numbering, citations, fact rows, matrix), so the page
and the report agree on every number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storydesk.model import Story
from storydesk.report.view import Cite, Source, StoryView, build_view


@dataclass
class Excerpt:
    """The cited sentence as the report writes it, with the text around it."""

    anchor: str
    source: Source
    before: str
    sentence: str
    after: str


@dataclass
class BriefLine:
    """A brief sentence and its citations, each with the excerpt it opens (None for an unknown source)."""

    text: str
    cites: list[tuple[Cite, Excerpt | None]]

    @property
    def excerpts(self) -> list[Excerpt]:
        return [ex for _, ex in self.cites if ex is not None]


@dataclass
class StoryPage:
    """The story page: the report's view of the story and the brief with its excerpts."""

    view: StoryView
    brief: list[BriefLine]


def story_page(story: Story, *, context_chars: int) -> StoryPage:
    """The page of one story; `context_chars` of each report are shown either side of a cited sentence."""
    view = build_view([story]).stories[0]
    by_number = {str(src.number): src for src in view.sources}
    lines = []
    for i, (text, cites) in enumerate(view.brief, 1):
        cited = [
            (
                c,
                excerpt(f"{view.anchor}-brief-{i}-src-{c.label}", by_number[c.label], text, context_chars)
                if c.anchor and c.label in by_number
                else None,
            )
            for c in cites
        ]
        lines.append(BriefLine(text, cited))
    return StoryPage(view, lines)


def excerpt(anchor: str, source: Source, sentence: str, context_chars: int) -> Excerpt:
    """Where the report states `sentence`, with up to `context_chars` either side cut at a word; the
    sentence alone when the report's text does not contain it verbatim."""
    text = source.article.text
    # The brief collapses whitespace; the report may break the sentence over lines.
    found = re.search(r"\s+".join(map(re.escape, sentence.split())), text) if sentence.split() else None
    if found is None:
        return Excerpt(anchor, source, "", sentence, "")
    start, end = found.span()
    before = text[max(0, start - context_chars) : start]
    after = text[end : end + context_chars]
    if start > context_chars:
        before = "…" + before.split(" ", 1)[-1] if " " in before else "…" + before
    if end + context_chars < len(text):
        after = after.rsplit(" ", 1)[0] + "…" if " " in after else after + "…"
    return Excerpt(anchor, source, before, text[start:end], after)
