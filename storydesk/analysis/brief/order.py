"""A brief that reads on its own: the story's event first, names in full before they are shortened, quotes
after the facts.

- **The opener** is the sentence from a report's opening closest to the other reports' openings (the event
  they all lead with) that states something rather than quoting someone: no quotation marks, no personal
  pronoun, and a name in it — one of the story's main names (those at least half its reports use) when an
  opening has one. An opening is a report's first two candidates, or its first four for an opener naming a
  main name: scraped pages often put a caption, a teaser or a scene-setting line before the lead. In a
  story still developing (dated reports more than `latest_days` apart) the opener comes from the openings of
  its latest reports when one qualifies: the news is the latest development, not what the first reports
  shared.
- **Names in full**: a name the story writes after another name ("Teodora Vance", "Eastmark Rovers") and
  never in lower case is a surname or short name; a sentence using it alone ("Vance, 58, said …") needs a
  sentence before it in the brief that gives the full name, or it is left out.
- **Order**: the opener, then the other statements, then the quotations, each part by its earliest source.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Sequence

from storydesk.analysis.brief.units import Sentence, quote_share
from storydesk.model import Article
from storydesk.text import stop_words

_RUN = re.compile(r"\b[A-Z][\w'’-]*(?: [A-Z][\w'’-]*)+")  # capitalised words in a row: "Mayor Teodora Vance"
_WORD = re.compile(r"\b[\w'’-]+")
_PERSONAL = frozenset({"he", "she", "they", "him", "her", "them", "his", "their"})


def short_names(sents: Sequence[Sentence]) -> dict[str, frozenset[str]]:
    """Each short name the story uses, with the full names it shortens ("Vance" → {"Teodora Vance"})."""
    stop = stop_words()
    full: dict[str, set[str]] = {}
    lower: set[str] = set()
    for s in sents:
        lower.update(w for w in _WORD.findall(s.text) if w.islower())
        for first, last in _pairs(s.text):
            if first.lower() not in stop and last.lower() not in stop and not first.endswith(("'s", "’s")):
                full.setdefault(last, set()).add(f"{first} {last}")
    return {name: frozenset(f) for name, f in full.items() if name.lower() not in lower}


def _pairs(text: str) -> list[tuple[str, str]]:
    """Each two capitalised words in a row."""
    return [pair for m in _RUN.finditer(text) for pair in itertools.pairwise(m.group().split(" "))]


def unresolved(text: str, names: dict[str, frozenset[str]], before: str) -> bool:
    """Whether `text` uses a short name alone whose full name neither it nor `before` gives."""
    paired = {w for pair in _pairs(text) for w in pair}
    context = before + " " + text
    return any(
        w in names and w not in paired and not any(f in context for f in names[w])
        for w in _WORD.findall(text)
    )


def main_names(sents: Sequence[Sentence], names: dict[str, frozenset[str]], n_docs: int, most: int
               ) -> frozenset[str]:
    """The story's main names: short names (see `short_names`) that at least half its reports use, the
    `most` most widely used."""
    docs: dict[str, set[int]] = {}
    for s in sents:
        for w in _WORD.findall(s.text):
            if w in names:
                docs.setdefault(w, set()).add(s.doc)
    ranked = sorted((w for w, d in docs.items() if 2 * len(d) >= n_docs), key=lambda w: (-len(docs[w]), w))
    return frozenset(ranked[:most])


def latest_reports(articles: Sequence[Article], days: int) -> set[int]:
    """Positions of the reports published in the last `days` days of a story whose dated reports span more
    than that (a developing story); empty otherwise, and for undated reports."""
    dates = {d: a.published for d, a in enumerate(articles) if a.published is not None}
    if not dates or (max(dates.values()) - min(dates.values())).days <= days:
        return set()
    since = max(dates.values()) - dt.timedelta(days=days)
    return {d for d, published in dates.items() if published >= since}


def opener(cands: Sequence[Sentence], score: Sequence[float], budget: int, names: dict[str, frozenset[str]],
           main: frozenset[str] = frozenset(), *, opening: int = 2, named_opening: int = 4) -> int | None:
    """The candidate that opens the brief (see `_opener`): one naming one of the `main` names among each
    report's first `named_opening` candidates if one can, else any among its first `opening`."""
    if main:
        named = _opener(cands, score, budget, names, main, named_opening)
        if named is not None:
            return named
    return _opener(cands, score, budget, names, frozenset(), opening)


def _opener(cands: Sequence[Sentence], score: Sequence[float], budget: int, names: dict[str, frozenset[str]],
            main: frozenset[str], opening: int) -> int | None:
    """The candidate that opens the brief: among report openings (each report's first `opening`
    candidates) that state something, the one closest to the story's core event, i.e. to what the reports'
    openings share (`score` is that closeness, ties broken by the scorer outside; a negative score rules a
    candidate out)."""
    rank: dict[int, int] = {}
    best, best_score = None, float("-inf")
    for k, s in enumerate(cands):
        rank[s.doc] = rank.get(s.doc, -1) + 1
        if rank[s.doc] >= opening or s.n_words > budget or score[k] < 0 or score[k] <= best_score:
            continue
        if '"' in s.text or "“" in s.text or quote_share(s.text) > 0 or unresolved(s.text, names, ""):
            continue
        if any(w.lower() in _PERSONAL for w in _WORD.findall(s.text)):
            continue  # "they both plan to …": whom it means is said before it
        words = _WORD.findall(s.text)
        if not any(w[0].isupper() and w.lower() not in stop_words() for w in words[1:]):
            continue
        if main and not main.intersection(words):
            continue
        best, best_score = k, score[k]
    return best


def reading_order(chosen: Sequence[Sentence], cited: Sequence[list[int]], articles: Sequence[Article],
                  first: Sentence | None) -> list[int]:
    """Positions of `chosen` as the brief reads: `first`, statements, then quotations, each part by its
    earliest source."""

    def key(i: int) -> tuple:
        s = chosen[i]
        return (s is not first, quote_share(s.text) > 0, _earliest(articles, cited[i]), s.index, s.doc)

    return sorted(range(len(chosen)), key=key)


def _earliest(articles: Sequence[Article], docs: list[int]) -> dt.date:
    """Earliest publication date among a sentence's sources (undated sources sort last)."""
    dates = [articles[d].published for d in docs if articles[d].published]
    return min(dates) if dates else dt.date.max
