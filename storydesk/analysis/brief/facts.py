"""The brief and the fact sheet: never state as settled what the sheet marks updated or conflicting.

A sentence that the sheet gives as evidence of an outdated value (an updated fact's earlier value) or of
one side of a conflict is not used; for a conflicting key fact the brief adds the one line it generates,
`Reports differ on …`, citing the reports of every side (`BriefSentence.kind == "conflict"`).
"""

from __future__ import annotations

from collections.abc import Sequence

from storydesk.analysis.brief.units import Sentence
from storydesk.config import BriefConfig
from storydesk.model import Article, Fact

_NUMERIC = frozenset({"count", "money", "date", "duration", "age"})


def unsettled(sents: Sequence[Sentence], articles: Sequence[Article], facts: Sequence[Fact]) -> set[int]:
    """Indices of the sentences that state an updated fact's earlier value or a side of a conflict."""
    quotes: dict[str, list[str]] = {}
    for fact in facts:
        if fact.status not in ("updated", "conflicting"):
            continue
        for ev in fact.evidence:
            if fact.status == "conflicting" or (ev.value or fact.value) != fact.value:
                quotes.setdefault(ev.article_id, []).append(" ".join(ev.quote.split()))
    out = set()
    for i, s in enumerate(sents):
        text = " ".join(s.text.split())
        if any(text in q or q in text for q in quotes.get(articles[s.doc].id, ())):
            out.add(i)
    return out


def conflict_lines(
    facts: Sequence[Fact], articles: Sequence[Article], config: BriefConfig | None = None
) -> list[tuple[str, list[int]]]:
    """For each conflicting key fact (a number, amount, date, length or age among the sheet's first
    `conflict_top_facts`, stated in a report's own text): its line and the reports of every side."""
    config = config or BriefConfig()
    position = {a.id: d for d, a in enumerate(articles)}
    out = []
    for fact in facts[: config.conflict_top_facts]:
        if fact.status != "conflicting" or fact.kind not in _NUMERIC or fact.only_in is not None:
            continue
        outlets = fact.outlets_by_value()
        values = [v for v in fact.values if outlets.get(v)]
        if len(values) < 2:
            continue
        sides = " and ".join(
            f"{v} ({outlets[v]} {'outlet' if outlets[v] == 1 else 'outlets'})" for v in values
        )
        label = f"the number {fact.slot}" if fact.kind == "count" else f"the {fact.slot} of {fact.subject}"
        cited = sorted({position[ev.article_id] for ev in fact.evidence if ev.article_id in position})
        out.append((f"Reports differ on {label}: {sides}.", cited))
        if len(out) >= config.max_conflict_lines:
            break
    return out
