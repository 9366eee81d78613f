"""Timeline17 evaluation: date F1 and alignment-based ROUGE (align+ m:1), scored as news-tls reports them.

Standard setting (Ghalandari & Ifrim 2020): for each reference timeline, the input is restricted to the
reference's first..last date, and the system returns as many dates as the reference has, each with as
many sentences as the reference's average per date (rounded). Metrics follow tilse (Martschat & Markert
2017/2018): date F1 on exact days; ROUGE-N counts with Porter stemming (tokens over 3 letters, as
ROUGE-1.5.5 and rouge-score do) and stop words removed (tilse runs ROUGE with `ignore_stopwords`; the
stop list here is storydesk's, close to ROUGE's SMART list); align+ m:1 maps every predicted date to the
reference date of least cost (and every reference date to a predicted one, for recall), cost =
(1 - 1/(days apart + 1)) * (1 - approximate ROUGE-1 F on whitespace tokens), and weights the matched
counts by 1/(days apart + 1). Means are over timelines within a topic, then over topics.

The system (DATEWISE-style): days are ranked by how many topic sentences mention them (resolved by
`storydesk.analysis.temporal`, day precision only) plus the articles published on them; each chosen day
gets the sentences mentioning it that lie nearest the TF-IDF centroid of those sentences. Sentences must name
a topic keyword: the words of the topic folder name (before "_"), split over the collection's vocabulary
("bpoil" -> "bp", "oil"), and an acronym expanded to the frequent capitalised name whose initials it is
("MJ" -> "Michael Jackson"), a camel-case name split at its capitals ("IraqWar" -> "iraq", "war"), or a
truncated word expanded to the collection's frequent words it begins ("Finan" -> "financial", ...). When the
keywords match fewer than `MIN_RELEVANT_SHARE` of the articles, they are taken to have missed the topic and
every article takes part (the collections were gathered for the topic in the first place).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from nltk.stem import porter
from sklearn.feature_extraction.text import TfidfVectorizer

from storydesk.analysis.temporal.expressions import find_dates
from storydesk.text import sentences, stop_words

Timeline = Mapping[dt.date, Sequence[str]]

PUBLISHED_WEIGHT = 0.5  # an article published on a day counts half a mention of that day
MIN_WORDS, MAX_WORDS = 5, 60
DUPLICATE_COSINE = 0.6
LEAD_SENTENCES = 5
MIN_RELEVANT_SHARE = 0.1  # below this share of articles naming a keyword, the keywords are ignored


# --- metrics -----------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _porter() -> porter.PorterStemmer:
    return porter.PorterStemmer()


@lru_cache(maxsize=65536)
def _rouge_tokens(sentence: str) -> tuple[str, ...]:
    """ROUGE-1.5.5 tokens: lower-cased alphanumerics, stop words removed, words over 3 letters stemmed."""
    stop = stop_words()
    toks = [t for t in re.split(r"[^a-z0-9]+", sentence.lower()) if t and t not in stop]
    return tuple(_porter().stem(t) if len(t) > 3 else t for t in toks)


def _ngrams(summary: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    counts: Counter[tuple[str, ...]] = Counter()
    for sent in summary:
        toks = _rouge_tokens(sent)
        counts.update(zip(*(toks[i:] for i in range(n)), strict=False))
    return counts


def _rouge_counts(pred: Sequence[str], ref: Sequence[str], n: int) -> tuple[int, int, int]:
    """(hits, predicted n-grams, reference n-grams) of ROUGE-N."""
    p, r = _ngrams(pred, n), _ngrams(ref, n)
    return sum((p & r).values()), sum(p.values()), sum(r.values())


def _f1(precision: float, recall: float) -> float:
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def date_f1(pred: Iterable[dt.date], ref: Iterable[dt.date]) -> float:
    """F1 of the exact days chosen against the reference days."""
    pred_set, ref_set = set(pred), set(ref)
    if not pred_set or not ref_set:
        return 0.0
    shared = len(pred_set & ref_set)
    return _f1(shared / len(pred_set), shared / len(ref_set))


def _approx_rouge1(pred: Sequence[str], ref: Sequence[str]) -> float:
    """tilse's cheap ROUGE-1 F on whitespace tokens, used only to price alignments."""
    p = Counter(t for s in pred for t in s.split())
    r = Counter(t for s in ref for t in s.split())
    match = sum((p & r).values())
    return _f1(match / sum(p.values()) if p else 0.0, match / sum(r.values()) if r else 0.0)


def _min_cost_alignment(sources: list[dt.date], targets: list[dt.date], pred: Timeline, ref: Timeline,
                        *, sources_are_pred: bool) -> list[tuple[dt.date, dt.date]]:
    """Each source date mapped to its cheapest target date (many-to-one), as (source, target)."""
    pairs = []
    for s in sources:
        costs = []
        for t in targets:
            p_date, r_date = (s, t) if sources_are_pred else (t, s)
            date_factor = 1 - 1 / (abs(s.toordinal() - t.toordinal()) + 1)
            costs.append(date_factor * (1 - _approx_rouge1(pred[p_date], ref[r_date])))
        pairs.append((s, targets[int(np.argmin(costs))]))
    return pairs


def alignment_rouge(pred: Timeline, ref: Timeline, n: int) -> dict[str, float]:
    """align+ m:1 ROUGE-N precision, recall and F of a predicted timeline against one reference."""
    pred_dates, ref_dates = sorted(pred), sorted(ref)
    if not pred_dates or not ref_dates:
        return {"precision": 0.0, "recall": 0.0, "f": 0.0}
    p_num = p_den = r_num = r_den = 0.0
    for p_date, r_date in _min_cost_alignment(pred_dates, ref_dates, pred, ref, sources_are_pred=True):
        hits, n_pred, _ = _rouge_counts(pred[p_date], ref[r_date], n)
        p_num += hits / (abs(p_date.toordinal() - r_date.toordinal()) + 1)
        p_den += n_pred
    for r_date, p_date in _min_cost_alignment(ref_dates, pred_dates, pred, ref, sources_are_pred=False):
        hits, _, n_ref = _rouge_counts(pred[p_date], ref[r_date], n)
        r_num += hits / (abs(p_date.toordinal() - r_date.toordinal()) + 1)
        r_den += n_ref
    precision = p_num / p_den if p_den else 0.0
    recall = r_num / r_den if r_den else 0.0
    return {"precision": precision, "recall": recall, "f": _f1(precision, recall)}


# --- data --------------------------------------------------------------------------------------------


@dataclass
class _Sentence:
    text: str
    published: dt.date
    mentions: frozenset[dt.date]
    article: int
    lead: bool  # among the article's first sentences, which report what happened on publication


def _read_jsonl(path: Path) -> list[Any]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def read_references(topic_dir: Path) -> list[dict[dt.date, list[str]]]:
    """The topic's reference timelines: day -> journalist-written sentences."""
    return [
        {dt.date.fromisoformat(day[:10]): [s.strip() for s in sents] for day, sents in timeline}
        for timeline in _read_jsonl(topic_dir / "timelines.jsonl")
    ]


def _read_sentences(topic_dir: Path) -> list[_Sentence]:
    """Every sentence of the topic's articles with its publication day and the days it mentions."""
    out = []
    for n, article in enumerate(_read_jsonl(topic_dir / "articles.jsonl")):
        published = dt.date.fromisoformat(article["time"][:10])
        text = article["text"]
        mentioned: dict[int, set[dt.date]] = defaultdict(set)
        spans = sentences(text)
        starts = [s.start for s in spans]
        for span, resolved in find_dates(text, published):
            if resolved.precision == "day" and resolved.start is not None:
                i = max(0, np.searchsorted(starts, span.start, side="right") - 1)
                mentioned[int(i)].add(resolved.start)
        out.extend(
            _Sentence(s.text, published, frozenset(mentioned.get(i, ())), n, i < LEAD_SENTENCES)
            for i, s in enumerate(spans)
        )
    return out


# --- keywords ----------------------------------------------------------------------------------------


def _split_over(query: str, vocabulary: Mapping[str, int]) -> list[str] | None:
    """`query` cut into the fewest vocabulary words (dynamic programming), or None."""
    best: list[list[str] | None] = [[]] + [None] * len(query)
    for end in range(1, len(query) + 1):
        for begin in range(end):
            head, word = best[begin], query[begin:end]
            current = best[end]
            if head is not None and word in vocabulary and (current is None or len(head) + 1 < len(current)):
                best[end] = [*head, word]
    return best[-1]


def topic_keywords(topic: str, texts: Sequence[str]) -> list[str]:
    """Lower-case keywords for a Timeline17 topic folder ("bpoil_bbc" -> ["bp", "oil"]); see module doc."""
    head = topic.split("_")[0]
    query = head.lower()
    vocabulary = Counter(w.lower() for text in texts for w in re.findall(r"[A-Za-z0-9]+", text))
    if vocabulary[query] >= 0.1 * len(texts):
        return [query]
    names = Counter(
        " ".join(m.lower().split())
        for text in texts
        for m in re.findall(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+\b", text)
    )
    for name, _ in names.most_common():
        if "".join(w[0] for w in name.split()) == query:
            return name.split()
    camel = [w.lower() for w in re.findall(r"[A-Z][a-z]+", head)]
    if len(camel) > 1 and "".join(camel) == query and all(len(w) >= 3 and vocabulary[w] for w in camel):
        return camel
    parts = _split_over(query, vocabulary)
    if parts:
        return parts
    prefixed = [w for w, n in vocabulary.most_common() if w.startswith(query) and n >= 0.1 * len(texts)]
    return prefixed[:3] or [query]


# --- system ------------------------------------------------------------------------------------------


def _select(candidates: Sequence[str], k: int) -> list[str]:
    """Up to `k` sentences nearest the TF-IDF centroid of `candidates`, skipping near-repeats."""
    unique = list(dict.fromkeys(candidates))
    if len(unique) <= 1:
        return unique[:k]
    vectorizer = TfidfVectorizer(tokenizer=_rouge_tokens, lowercase=False, token_pattern=None)
    vectors = vectorizer.fit_transform(unique)
    centroid = np.asarray(vectors.mean(axis=0)).ravel()
    order = np.argsort(-(vectors @ centroid))
    chosen: list[int] = []
    for i in order:
        if all((vectors[i] @ vectors[j].T).toarray()[0, 0] < DUPLICATE_COSINE for j in chosen):
            chosen.append(int(i))
        if len(chosen) == k:
            break
    return [unique[i] for i in chosen]


def predict_timeline(
    sents: Sequence[_Sentence], keywords: Sequence[str], *, start: dt.date, end: dt.date, dates: int, k: int
) -> dict[dt.date, list[str]]:
    """A `dates`-day timeline with up to `k` sentences a day from articles published in [start, end].

    Candidates for a day: sentences that mention it, and undated lead sentences of articles published
    that day or the next (news-tls's PM collector); only articles naming a keyword take part.
    """
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, keywords)) + r")\b", re.IGNORECASE)
    window = [s for s in sents if start <= s.published <= end]
    relevant = {s.article for s in window if pattern.search(s.text)}
    articles = {s.article for s in window}
    if len(relevant) < MIN_RELEVANT_SHARE * len(articles):  # the keywords missed the topic: keep all
        relevant = articles
    pool = [s for s in window if s.article in relevant and MIN_WORDS <= len(s.text.split()) <= MAX_WORDS]
    candidates: dict[dt.date, list[str]] = defaultdict(list)
    for s in pool:
        for day in s.mentions:
            candidates[day].append(s.text)
        if s.lead and not s.mentions:
            candidates[s.published].append(s.text)
            candidates[s.published - dt.timedelta(days=1)].append(s.text)
    mentions: Counter[dt.date] = Counter(d for s in pool for d in s.mentions if start <= d <= end)
    published_on: Counter[dt.date] = Counter(s.published for s in pool if s.lead)
    score = {d: mentions[d] + PUBLISHED_WEIGHT * published_on[d] for d in mentions}
    timeline: dict[dt.date, list[str]] = {}
    for day in sorted(score, key=lambda d: (-score[d], d)):
        chosen = _select(candidates[day], k)
        if chosen:
            timeline[day] = chosen
        if len(timeline) == dates:
            break
    return timeline
# --- harness -----------------------------------------------------------------------------------------


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def evaluate_topic(topic_dir: Path) -> dict[str, float]:
    """Scores of the system on every reference timeline of one topic, averaged over its timelines."""
    sents = _read_sentences(topic_dir)
    keywords = topic_keywords(topic_dir.name, [s.text for s in sents])
    rows = []
    for ref in read_references(topic_dir):
        k = round(sum(len(v) for v in ref.values()) / len(ref))
        pred = predict_timeline(sents, keywords, start=min(ref), end=max(ref), dates=len(ref), k=k)
        rows.append(
            {
                "date_f1": date_f1(pred, ref),
                "ar1_f": alignment_rouge(pred, ref, 1)["f"],
                "ar2_f": alignment_rouge(pred, ref, 2)["f"],
            }
        )
    result = {key: _mean([r[key] for r in rows]) for key in ("date_f1", "ar1_f", "ar2_f")}
    return {**result, "timelines": len(rows), "keywords": " ".join(keywords)}


def evaluate_timeline(root: Path, *, console: Any = None, topics: list[str] | None = None) -> dict:
    """Score storydesk's timelines on Timeline17 topics under `root`; print a table, return the numbers."""
    names = topics or sorted(p.name for p in Path(root).iterdir() if (p / "timelines.jsonl").is_file())
    per_topic = {name: evaluate_topic(Path(root) / name) for name in names}
    mean = {key: _mean([r[key] for r in per_topic.values()]) for key in ("date_f1", "ar1_f", "ar2_f")}
    result = {"topics": per_topic, "mean": mean, "published_best": {"date_f1": 0.544, "ar1_f": 0.120}}
    if console is not None:
        _print_table(result, console)
    return result


def _print_table(result: dict, console: Any) -> None:
    from rich.table import Table

    table = Table(title="Timeline17 (align+ m:1; mean over timelines, then topics)")
    for column in ("topic", "keywords", "timelines", "date F1", "AR-1 F", "AR-2 F"):
        table.add_column(column)
    rows = [(name, r["keywords"], str(r["timelines"]), r) for name, r in result["topics"].items()]
    rows.append(("mean", "", "", result["mean"]))
    for name, keywords, count, r in rows:
        table.add_row(name, keywords, count, f"{r['date_f1']:.3f}", f"{r['ar1_f']:.3f}", f"{r['ar2_f']:.3f}")
    console.print(table)
