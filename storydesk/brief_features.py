"""Sentence candidates for the brief and the features that score them.

Kept apart from the selection logic so that the training script (scripts/train_brief.py) computes exactly
the features the brief uses at run time. Only numpy and storydesk.text are imported, to keep
`storydesk brief` fast to start.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from storydesk.model import Article
from storydesk.text import dateline_end, sentences, stems

MIN_WORDS = 6
MAX_WORDS = 60
MAX_QUOTE_SENTENCES = 4  # a quotation running over more sentences than this is not kept whole

# A leading dateline ("LONDON (Reuters) -", "WASHINGTON —", "(CNN) --") that can be cut and leave a whole
# sentence: it must be followed by a capitalised word or an opening quote.
_TERMINAL = re.compile(r"[.!]['\"”’)]*$")
_DEBRIS = re.compile(
    r"https?://|www\.|@\w|©|\bcopyright\s+(?:\(c\)|\d{4})|all rights reserved|\bclick\b|\bsubscribe\b"
    r"|\bnewsletter\b|\bsign up\b|\bfollow us\b|\bread more\b|\bphoto:|\bimage:|\bcaption\b|\(ap photo"
    r"|\bgetty images\b|\|",
    re.IGNORECASE,
)
# Substrings every _DEBRIS match contains: most sentences have none, and `in` is far cheaper than the regex.
_DEBRIS_HINTS = (
    "http",
    "www.",
    "@",
    "©",
    "copyright",
    "all rights",
    "click",
    "subscri",
    "newsletter",
    "sign up",
    "follow us",
    "read more",
    "photo",
    "image:",
    "caption",
    "getty",
    "|",
)
_DIGIT = re.compile(r"\d")
_OPEN_QUOTES = '"“'
_STARTS = _OPEN_QUOTES + "'‘"  # a sentence may open with a quoted title ('La La Land' won …)
# List markers scrapers keep in front of a sentence ("• In Wisconsin, …", "— According to …").
_BULLET = re.compile(r"^[•►▶■●*—–-]\s+")
_CLOSE_QUOTES = '"”'
_ATTRIBUTION = re.compile(r"\b(?:said|says|say|told|according|added|wrote|writes|asked|explained)\b")
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


@dataclass
class Sentence:
    """One sentence of one article; `text` is verbatim from the article (a leading dateline may be cut)."""

    doc: int
    index: int
    text: str
    n_words: int
    terms: frozenset[str]
    bigrams: frozenset[tuple[str, str]]
    candidate: bool


def trim_dateline(text: str) -> str:
    """Drop a leading list marker or news dateline when what remains is still a sentence (a suffix)."""
    bullet = _BULLET.match(text)
    text = text[bullet.end() :] if bullet else text
    return text[dateline_end(text) :]


def _open_quote(text: str) -> bool:
    """Whether `text` leaves a double quotation open (more openings than closings)."""
    return text.count("“") > text.count("”") or text.count('"') % 2 == 1


def _quote_share(text: str) -> float:
    """Fraction of characters inside double quotes: a mostly-quoted sentence reads badly out of context."""
    if '"' not in text and "“" not in text:
        return 0.0
    inside, depth = 0, False
    for ch in text:
        if ch in _OPEN_QUOTES and not depth:
            depth = True
        elif ch in _CLOSE_QUOTES and depth:
            depth = False
        elif depth:
            inside += 1
    return inside / max(len(text), 1)


def is_candidate(text: str) -> bool:
    """Whether a sentence can stand alone in a brief (not a fragment, question, caption, byline or run-on)."""
    n = len(text.split())
    if not MIN_WORDS <= n <= MAX_WORDS or not _TERMINAL.search(text) or _is_debris(text):
        return False
    if not (text[0].isupper() or text[0].isdigit() or text[0] in _STARTS):
        return False
    if text.startswith("By ") or sum(map(str.isupper, text)) > 0.5 * sum(map(str.isalpha, text)):
        return False
    if text.count("“") != text.count("”") or text.count('"') % 2:
        return False  # a piece of a multi-sentence quote
    return not (text[0] in _OPEN_QUOTES and not _ATTRIBUTION.search(text))


def _is_debris(text: str) -> bool:
    low = text.lower()
    return any(h in low for h in _DEBRIS_HINTS) and bool(_DEBRIS.search(text))


def quote_units(text: str) -> list[str]:
    """The sentences of `text`, except that a quotation running over up to MAX_QUOTE_SENTENCES sentences of
    one paragraph is one unit: its pieces read as broken text alone ('I'm done with dreams."'), whole it
    is a sentence a brief can quote."""
    spans = sentences(text)
    units: list[str] = []
    i = 0
    while i < len(spans):
        end = i
        while (
            _open_quote(text[spans[i].start : spans[end].end])
            and end + 1 < len(spans)
            and end + 1 - i < MAX_QUOTE_SENTENCES
            and "\n" not in text[spans[end].end : spans[end + 1].start]
        ):
            end += 1
        if _open_quote(text[spans[i].start : spans[end].end]):
            end = i  # never closed: leave the pieces apart (none of them is a candidate)
        units.append(text[spans[i].start : spans[end].end])
        i = end + 1
    return units


def split_articles(articles: Sequence[Article]) -> list[Sentence]:
    """All sentences (quote units) of all articles with their content stems; `candidate` marks the ones
    fit to select."""
    out: list[Sentence] = []
    for doc, article in enumerate(articles):
        for index, unit in enumerate(quote_units(article.text)):
            text = trim_dateline(unit)
            st = stems(text)
            out.append(
                Sentence(
                    doc,
                    index,
                    text,
                    len(text.split()),
                    frozenset(st),
                    frozenset(itertools.pairwise(st)),
                    is_candidate(text),
                )
            )
    return out


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


def features(sents: Sequence[Sentence], n_docs: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Feature rows (in FEATURES order) for the candidate sentences; also their indices and containment.

    Cross-document centrality comes from `shared_terms` (share of the sentence's stems other reports use),
    `support` (how well other reports restate it), `centroid` (closeness to what the cluster says most),
    `bigram_df` (how many other reports use its stem pairs) and `lead_sim` (closeness to other reports'
    lead sentences, which editors write to state the event).
    """
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
            _quote_share(s.text),
            sum(w[:1].isupper() for w in toks[1:]) / s.n_words,
            float(bool(_DIGIT.search(s.text))),
            doc_words[s.doc] / max(doc_words.sum(), 1.0),
            float(cand_rank[k] < 5),
            sum(math.log1p(tf[t]) for t in s.terms) / top / size,
            doc_sim[s.doc],
            sum(w.lower() in _FIRST_PERSON for w in toks) / s.n_words,
            float(bool(_ATTRIBUTION.search(s.text))),
            max((_cosine(s.terms, t) for d, t in leads.items() if d != s.doc), default=0.0),
            sum(bigram_df[b] - 1 for b in s.bigrams) / others / max(len(s.bigrams), 1),
            float(s.n_words < 12),
            float(s.n_words > 35),
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


def concept_weights(sents: Sequence[Sentence], n_docs: int) -> dict[tuple[str, str], int]:
    """ICSI-style concepts (Gillick & Favre 2009): stem pairs stated by several reports, weighted by how many.

    A pair must occur in at least 3 reports when there are 10 or more (2 otherwise), so that one outlet's
    phrasing is not mistaken for what the cluster agrees on.
    """
    min_df = 3 if n_docs >= 10 else 2
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
