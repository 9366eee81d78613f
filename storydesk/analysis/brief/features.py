"""Features that score a brief's candidate sentences: position, length and cross-document centrality.

Kept apart from selection so that the training script (scripts/train_brief.py) computes exactly the
features the brief uses at run time. Only numpy and storydesk.text are imported, to keep `storydesk brief`
fast to start.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np

from storydesk.analysis.brief.units import ATTRIBUTION, Sentence, quote_share
from storydesk.config import BriefConfig

_DIGIT = re.compile(r"\d")
FEATURES = (
    "bias",
    "inv_pos",
    "rel_pos",
    "first",
    "log_len",
    "shared_terms",
    "support",
    "centroid",
    "quote_share",
    "capitals",
    "digits",
    "doc_share",
    "early",
    "tf_mean",
    "doc_sim",
    "first_person",
    "attributed",
    "lead_sim",
    "bigram_df",
    "short",
    "long",
    "log_docs",
)
_FIRST_PERSON = frozenset({"i", "we", "my", "our", "me", "us", "you", "your"})


def _postings(sents: Sequence[Sentence]) -> dict[str, list[int]]:
    """Which sentences use each content stem."""
    post: dict[str, list[int]] = {}
    for i, s in enumerate(sents):
        for t in s.terms:
            post.setdefault(t, []).append(i)
    return post


def best_containment(
    sents: Sequence[Sentence], post: dict[str, list[int]], rows: np.ndarray, n_docs: int
) -> np.ndarray:
    """For each row sentence and each article: the largest share of its terms one sentence there states."""
    docs = np.array([s.doc for s in sents], dtype=np.int64)
    # Sentences come article by article: each article's sentences are one run, reduced with reduceat.
    present = np.flatnonzero(np.bincount(docs, minlength=n_docs))
    starts = np.searchsorted(docs, present)
    arrays = {t: np.asarray(ids, dtype=np.int64) for t, ids in post.items()}
    best = np.zeros((len(rows), n_docs), dtype=np.float64)
    for k, i in enumerate(rows):
        terms = sents[i].terms
        if not terms:
            continue
        overlap = np.bincount(np.concatenate([arrays[t] for t in terms]), minlength=len(sents))
        best[k, present] = np.maximum.reduceat(overlap, starts) / len(terms)
    return best


def features(
    sents: Sequence[Sentence], n_docs: int, config: BriefConfig | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Feature rows (in FEATURES order) for the candidate sentences; also their indices and containment.

    Cross-document centrality comes from `shared_terms` (share of the sentence's stems other reports use),
    `support` (how well other reports restate it), `centroid` (closeness to what the cluster says most),
    `bigram_df` (how many other reports use its stem pairs) and `lead_sim` (closeness to other reports'
    lead sentences, which editors write to state the event).
    """
    config = config or BriefConfig()
    rows = np.array([i for i, s in enumerate(sents) if s.candidate], dtype=np.int64)
    if len(rows) == 0:
        return np.zeros((0, len(FEATURES))), rows, np.zeros((0, n_docs))
    post = _postings(sents)
    doc_sets = [{sents[j].doc for j in ids} for ids in post.values()]
    df = {t: len(d) for t, d in zip(post, doc_sets, strict=True)}
    tf = {t: len(ids) for t, ids in post.items()}
    centroid = {t: math.log1p(tf[t]) * df[t] / n_docs for t in post}
    norm = max(math.sqrt(sum(v * v for v in centroid.values())), 1e-9)
    top = max(math.log1p(max(tf.values())), 1e-9)
    others = max(n_docs - 1, 1)
    contain = best_containment(sents, post, rows, n_docs)
    doc_sim = _doc_similarity(post, doc_sets, df, n_docs)
    doc_words = np.bincount([s.doc for s in sents], weights=[s.n_words for s in sents], minlength=n_docs)
    doc_len = np.bincount([s.doc for s in sents], minlength=n_docs)
    cand_rank = _candidate_ranks(sents, rows)
    leads = _lead_terms(sents, rows)
    bigram_df = _bigram_docs(sents)
    out = np.zeros((len(rows), len(FEATURES)), dtype=np.float64)
    for k, i in enumerate(rows):
        s = sents[i]
        size = max(len(s.terms), 1)
        toks = s.text.split()
        out[k] = (
            1.0,
            1.0 / (1.0 + cand_rank[k]),
            s.index / max(doc_len[s.doc], 1),
            float(cand_rank[k] == 0),
            math.log(s.n_words),
            sum(df[t] - 1 for t in s.terms) / others / size if n_docs > 1 else 0.0,
            (contain[k].sum() - contain[k, s.doc]) / others if n_docs > 1 else 0.0,
            sum(centroid[t] for t in s.terms) / norm / math.sqrt(size),
            quote_share(s.text),
            sum(w[:1].isupper() for w in toks[1:]) / s.n_words,
            float(bool(_DIGIT.search(s.text))),
            doc_words[s.doc] / max(doc_words.sum(), 1.0),
            float(cand_rank[k] < config.early_rank),
            sum(math.log1p(tf[t]) for t in s.terms) / top / size,
            doc_sim[s.doc],
            sum(w.lower() in _FIRST_PERSON for w in toks) / s.n_words,
            float(bool(ATTRIBUTION.search(s.text))),
            max((_cosine(s.terms, t) for d, t in leads.items() if d != s.doc), default=0.0),
            sum(bigram_df[b] - 1 for b in s.bigrams) / others / max(len(s.bigrams), 1),
            float(s.n_words < config.short_sentence_words),
            float(s.n_words > config.long_sentence_words),
            math.log(n_docs),
        )
    return out, rows, contain


def _doc_similarity(
    post: dict[str, list[int]], doc_sets: list[set[int]], df: dict[str, int], n_docs: int
) -> np.ndarray:
    """Cosine of each article's term set to the other articles' term counts (off-topic reports: low)."""
    if n_docs < 2:
        return np.ones(n_docs)
    dot = np.zeros(n_docs)
    size = np.zeros(n_docs)
    rest_sq = np.full(n_docs, float(sum(v * v for v in df.values())))
    for t, docs in zip(post, doc_sets, strict=True):
        for d in docs:
            dot[d] += df[t] - 1
            size[d] += 1
            rest_sq[d] += (df[t] - 1) ** 2 - df[t] ** 2
    denom = np.sqrt(size * rest_sq)
    return np.divide(dot, denom, out=np.zeros(n_docs), where=denom > 0)


def _lead_terms(sents: Sequence[Sentence], rows: np.ndarray) -> dict[int, frozenset[str]]:
    """Content stems of each article's first candidate sentence."""
    leads: dict[int, frozenset[str]] = {}
    for i in rows:
        leads.setdefault(sents[i].doc, sents[i].terms)
    return leads


def _cosine(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / math.sqrt(len(a) * len(b)) if a and b else 0.0


def concept_weights(
    sents: Sequence[Sentence], n_docs: int, config: BriefConfig | None = None
) -> dict[tuple[str, str], int]:
    """ICSI-style concepts (Gillick & Favre 2009): stem pairs stated by several reports, weighted by how many.

    A pair must occur in at least 3 reports when there are 10 or more (2 otherwise), so that one outlet's
    phrasing is not mistaken for what the cluster agrees on.
    """
    config = config or BriefConfig()
    large = n_docs >= config.large_story
    min_df = config.concept_min_reports_large if large else config.concept_min_reports
    return {b: d for b, d in _bigram_docs(sents).items() if d >= min_df}


def _bigram_docs(sents: Sequence[Sentence]) -> dict[tuple[str, str], int]:
    """In how many articles each stem pair occurs."""
    docs: dict[tuple[str, str], set[int]] = {}
    for s in sents:
        for b in s.bigrams:
            docs.setdefault(b, set()).add(s.doc)
    return {b: len(d) for b, d in docs.items()}


def _candidate_ranks(sents: Sequence[Sentence], rows: np.ndarray) -> list[int]:
    """Position of each candidate among its article's candidates (lead sentences matter most)."""
    seen: dict[int, int] = {}
    ranks = []
    for i in rows:
        d = sents[i].doc
        ranks.append(seen.get(d, 0))
        seen[d] = ranks[-1] + 1
    return ranks
