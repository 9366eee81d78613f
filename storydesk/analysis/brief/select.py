"""Greedy budgeted selection of a brief's sentences, and how long a brief should be."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from storydesk.analysis.brief.scorer import BriefModel, LengthModel
from storydesk.analysis.brief.units import Sentence
from storydesk.model import Article


def target_words(
    articles: Sequence[Article], max_words: int, length: LengthModel | None, min_words: int = 100
) -> int:
    """The brief's length: `max_words`, or fewer when the material is small.

    Editors summarise two short reports in fewer words than eight long ones; `length` holds the expected
    summary length learned from reference summaries (intercept + log_words × log(1 + words of the reports)
    + reports × their number) and the `scale` applied to it. Never below `min_words` (unless the
    budget is), so short briefs are never cut.
    """
    if not length:
        return max_words
    log_words, reports = length_inputs(articles)
    expected = length.intercept + length.log_words * log_words + length.reports * reports
    return min(max_words, max(min_words, round(length.scale * expected)))


def length_inputs(articles: Sequence[Article]) -> tuple[float, float]:
    """What the learned length reads of the material: log(1 + words of the reports) and their number."""
    return math.log1p(sum(len(a.text.split()) for a in articles)), float(len(articles))


def concept_share(n_docs: int, weight: float) -> float:
    """Share of concept coverage in the selection gain: `weight` × (1 - 2 / n_docs), 0 for 1 or 2 reports.

    A stem pair that 2 of 2 reports share is often boilerplate of the event's name; one that 3 of 10 share
    is what the cluster agrees on, and with many reports position tells less (leads differ by outlet).
    """
    return weight * max(0.0, 1.0 - 2.0 / n_docs)


def select(
    cands: list[Sentence],
    score: np.ndarray,
    max_words: int,
    model: BriefModel,
    concepts: dict[tuple[str, str], int],
    share: float,
    *,
    forced: Sequence[int] = (),
    skip: frozenset[int] = frozenset(),
) -> list[int]:
    """Greedy budgeted selection: best blend of score × novelty and new concept weight per word.

    Novelty is the share of a sentence's content stems not yet covered by the brief; sentences below
    `novelty_min` mostly repeat it. Score is a per-word value, so long and short sentences compete fairly;
    both parts of the blend are scaled to 1 for the best candidate before mixing. `forced` are chosen
    before all others, in order, while they fit and (after the first) are novel enough; `skip` are never
    chosen.
    """
    value = score - float(score.min()) + 1e-3
    value = value / value.max()
    words = np.array([s.n_words for s in cands], dtype=np.float64)
    fresh = [{b: concepts[b] for b in s.bigrams if b in concepts} for s in cands]
    top_concepts = max((sum(f.values()) / n for f, n in zip(fresh, words, strict=True)), default=0.0)
    if top_concepts <= 0.0:
        share = 0.0
    chosen: list[int] = []
    covered: set[str] = set()
    covered_concepts: set[tuple[str, str]] = set()
    used = 0
    left = [k for k in range(len(cands)) if cands[k].terms and k not in skip and k not in forced]

    def novelty(k: int) -> float:
        terms = cands[k].terms
        return 1.0 - len(terms & covered) / len(terms) if terms else 0.0

    def take(k: int) -> None:
        nonlocal used
        chosen.append(k)
        covered.update(cands[k].terms)
        covered_concepts.update(fresh[k].keys())
        used += cands[k].n_words

    for k in forced:
        if used + cands[k].n_words <= max_words and (not chosen or novelty(k) >= model.novelty_min):
            take(k)
    while left:
        best, best_gain = -1, 0.0
        for k in left:
            s = cands[k]
            if used + s.n_words > max_words:
                continue
            unseen = novelty(k)
            if unseen < model.novelty_min:
                continue
            gain = (1.0 - share) * value[k] * unseen ** model.novelty_power
            if share:
                new = sum(w for b, w in fresh[k].items() if b not in covered_concepts)
                gain += share * new / words[k] / top_concepts
            if gain > best_gain:
                best, best_gain = k, gain
        if best < 0:
            break
        take(best)
        left.remove(best)
    return chosen
