"""The extractive multi-document brief: verbatim sentences, each citing every report that states it.

Sentences are scored by small boosted regression trees over position, length and cross-document centrality
(storydesk.brief_features; trees learned by scripts/train_brief.py into storydesk/models/brief.json and
evaluated here in numpy, so no learning library is imported at run time),
then picked greedily under the word budget by score × novelty blended with the weight of not yet covered
concepts (stem pairs several reports state, as in ICSISumm), so what several reports say wins and nothing
is said twice. The concept share of the blend grows with the number of reports (see `concept_share`):
agreement between 10 reports is strong evidence, between 2 it is weak. A brief is as long as its material
calls for, never longer than the budget (see `target_words`). The chosen sentences are read in order of
their earliest source.
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
import json
import math
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from storydesk.brief_features import FEATURES, Sentence, concept_weights, features, split_articles
from storydesk.model import Article, BriefSentence

MIN_TARGET_WORDS = 100  # the learned length never cuts a brief below this many words


@lru_cache(maxsize=1)
def load_params() -> dict[str, Any]:
    """Selection parameters and the learned trees shipped with the package."""
    path = importlib.resources.files("storydesk") / "models" / "brief.json"
    params = json.loads(path.read_text(encoding="utf-8"))
    if tuple(params["features"]) != FEATURES:
        raise ValueError("storydesk/models/brief.json was trained on other features; retrain it")
    return params


def cite_threshold() -> float:
    """Share of a sentence's content stems another report must state in one sentence to be cited."""
    return float(load_params()["cite_threshold"])


def summarize(
    articles: Sequence[Article], max_words: int = 120, *, params: dict[str, Any] | None = None
) -> list[BriefSentence]:
    """A brief of at most `max_words` words (str.split) of verbatim sentences, with their sources.

    `params` replaces the shipped model (storydesk/models/brief.json); only training needs it.
    """
    sents = split_articles(articles)
    x, rows, contain = features(sents, len(articles))
    if len(rows) == 0:
        return []
    params = params or load_params()
    score = predict(params["trees"], x)
    cands = [sents[i] for i in rows]
    chosen = _select(
        cands,
        score,
        target_words(articles, max_words, params.get("length")),
        params,
        concept_weights(sents, len(articles)),
        concept_share(len(articles), params["concept_weight"]),
    )
    brief = []
    for k in chosen:
        s = sents[rows[k]]
        cited = {d for d in range(len(articles)) if contain[k, d] >= params["cite_threshold"]} | {s.doc}
        brief.append((s, sorted(cited)))
    brief.sort(key=lambda item: (_earliest(articles, item[1]), item[0].index, item[0].doc))
    return [BriefSentence(s.text, [articles[d].id for d in cited]) for s, cited in brief]


def target_words(articles: Sequence[Article], max_words: int, length: dict[str, float] | None) -> int:
    """The brief's length: `max_words`, or fewer when the material is small.

    Editors summarise two short reports in fewer words than eight long ones; `length` holds the expected
    summary length learned from reference summaries (intercept + log_words × log(1 + words of the reports)
    + reports × their number) and the `scale` applied to it. Never below MIN_TARGET_WORDS (unless the
    budget is), so short briefs are never cut.
    """
    if not length:
        return max_words
    log_words, reports = length_inputs(articles)
    expected = length["intercept"] + length["log_words"] * log_words + length["reports"] * reports
    return min(max_words, max(MIN_TARGET_WORDS, round(length["scale"] * expected)))


def length_inputs(articles: Sequence[Article]) -> tuple[float, float]:
    """What the learned length reads of the material: log(1 + words of the reports) and their number."""
    return math.log1p(sum(len(a.text.split()) for a in articles)), float(len(articles))


def predict(trees: dict[str, Any], x: np.ndarray) -> np.ndarray:
    """Sum of the trees' leaf values for each feature row (all trees walked at once, one level a step).

    `trees` holds per-tree node arrays padded to one width: `feature`, `threshold`, `left`, `right`
    (-1 at leaves) and `value`; a row goes left when its feature is <= the threshold.
    """
    feature, threshold = np.asarray(trees["feature"]), np.asarray(trees["threshold"], dtype=np.float64)
    left, right = np.asarray(trees["left"]), np.asarray(trees["right"])
    value = np.asarray(trees["value"], dtype=np.float64)
    tree = np.arange(feature.shape[0])[None, :]
    node = np.zeros((x.shape[0], feature.shape[0]), dtype=np.int64)
    row = np.arange(x.shape[0])[:, None]
    while True:
        inner = left[tree, node] >= 0
        if not inner.any():
            break
        go_left = x[row, feature[tree, node]] <= threshold[tree, node]
        node = np.where(inner, np.where(go_left, left[tree, node], right[tree, node]), node)
    return float(trees["base"]) + value[tree, node].sum(axis=1)


def concept_share(n_docs: int, weight: float) -> float:
    """Share of concept coverage in the selection gain: `weight` × (1 - 2 / n_docs), 0 for 1 or 2 reports.

    A stem pair that 2 of 2 reports share is often boilerplate of the event's name; one that 3 of 10 share
    is what the cluster agrees on, and with many reports position tells less (leads differ by outlet).
    """
    return weight * max(0.0, 1.0 - 2.0 / n_docs)


def _select(
    cands: list[Sentence],
    score: np.ndarray,
    max_words: int,
    params: dict[str, Any],
    concepts: dict[tuple[str, str], int],
    share: float,
) -> list[int]:
    """Greedy budgeted selection: best blend of score × novelty and new concept weight per word.

    Novelty is the share of a sentence's content stems not yet covered by the brief; sentences below
    `novelty_min` mostly repeat it. Score is a per-word value, so long and short sentences compete fairly;
    both parts of the blend are scaled to 1 for the best candidate before mixing.
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
    left = [k for k in range(len(cands)) if cands[k].terms]
    while left:
        best, best_gain = -1, 0.0
        for k in left:
            s = cands[k]
            if used + s.n_words > max_words:
                continue
            novelty = 1.0 - len(s.terms & covered) / len(s.terms)
            if novelty < params["novelty_min"]:
                continue
            gain = (1.0 - share) * value[k] * novelty ** params["novelty_power"]
            if share:
                new = sum(w for b, w in fresh[k].items() if b not in covered_concepts)
                gain += share * new / words[k] / top_concepts
            if gain > best_gain:
                best, best_gain = k, gain
        if best < 0:
            break
        chosen.append(best)
        covered |= cands[best].terms
        covered_concepts |= fresh[best].keys()
        used += cands[best].n_words
        left.remove(best)
    return chosen


def _earliest(articles: Sequence[Article], docs: list[int]) -> dt.date:
    """Earliest publication date among a sentence's sources (undated sources sort last)."""
    dates = [articles[d].published for d in docs if articles[d].published]
    return min(dates) if dates else dt.date.max
