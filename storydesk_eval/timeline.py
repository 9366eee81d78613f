"""Timeline17 evaluation of the key dates: date F1 and alignment ROUGE (align+ m:1) as tilse computes them.

Standard setting (Ghalandari & Ifrim 2020): for each reference timeline, the system reads the reports
published from the reference's first to its last date and returns as many dates as the reference has,
each with as many sentences as the reference's mean per date (rounded), for the topic keyword (the folder
name before "_"). The product is run through exactly what `storydesk timeline articles.jsonl --dates L
--sentences K --from --to --query --format json` runs (`storydesk.cli.key_dates_payload`).

Scores are tilse 0.2.1's (Martschat & Markert 2017): `evaluate_dates` and
`TimelineRougeEvaluator.evaluate_align_date_content_costs_many_to_one` with the original ROUGE-1.5.5 perl
script (stemming, stop words ignored), averaged as news-tls's experiments/evaluate.py: precision and
recall averaged over every reference timeline, F computed from those averages.

The **baseline** (not the product) is the DATEWISE-style ranker this module carried before: days ranked
by how many topic sentences mention them (`storydesk.dates.find_dates`, day precision) plus half the lead
sentences published on them; each chosen day gets the sentences nearest the TF-IDF centroid of its
candidates. Its sentences must come from articles naming a topic keyword (`topic_keywords`); when the
keywords match fewer than `MIN_RELEVANT_SHARE` of the articles every article takes part.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from nltk.stem import porter
from sklearn.feature_extraction.text import TfidfVectorizer

from storydesk.analysis.temporal.expressions import find_dates
from storydesk.config import Config
from storydesk.text import sentences, stop_words

Timeline = Mapping[dt.date, Sequence[str]]

PUBLISHED_WEIGHT = 0.5  # an article published on a day counts half a mention of that day
MIN_WORDS, MAX_WORDS = 5, 60
DUPLICATE_COSINE = 0.6
LEAD_SENTENCES = 5
MIN_RELEVANT_SHARE = 0.1  # below this share of articles naming a keyword, the keywords are ignored


# --- baseline text helpers ----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _porter() -> porter.PorterStemmer:
    return porter.PorterStemmer()


@lru_cache(maxsize=65536)
def _rouge_tokens(sentence: str) -> tuple[str, ...]:
    """Lower-cased alphanumerics, stop words removed, words over 3 letters stemmed (the baseline's TF-IDF)."""
    stop = stop_words()
    toks = [t for t in re.split(r"[^a-z0-9]+", sentence.lower()) if t and t not in stop]
    return tuple(_porter().stem(t) if len(t) > 3 else t for t in toks)


def _f1(precision: float, recall: float) -> float:
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


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
#
# Scores are tilse's (Martschat & Markert 2017): date precision/recall and align+ m:1 ROUGE-1/2 with the
# original ROUGE-1.5.5 perl script, averaged as news-tls's experiments/evaluate.py does: precision and
# recall are averaged over every reference timeline, F computed from those averages.

METRICS = ("date", "rouge_1", "rouge_2")


def _tilse_scores(pred: Timeline, ref: Timeline, evaluator: Any) -> dict[str, dict[str, float]]:
    """tilse's date and align+ m:1 ROUGE scores of one predicted timeline against one reference."""
    from tilse.data.timelines import GroundTruth as TilseGroundTruth
    from tilse.data.timelines import Timeline as TilseTimeline
    from tilse.evaluation.dates import evaluate_dates

    reference = TilseGroundTruth([TilseTimeline({d: list(s) for d, s in ref.items()})])
    predicted = TilseTimeline({d: list(s) for d, s in pred.items()})
    if not pred:  # tilse divides by the number of predicted dates
        zero = {"precision": 0.0, "recall": 0.0, "f_score": 0.0}
        return {"date": zero, "rouge_1": zero, "rouge_2": zero}
    rouge = evaluator.evaluate_align_date_content_costs_many_to_one(predicted, reference)
    dates = evaluate_dates(predicted, reference)
    return {"date": dates, "rouge_1": rouge["rouge_1"], "rouge_2": rouge["rouge_2"]}


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def average(rows: Sequence[Mapping[str, Mapping[str, float]]]) -> dict[str, dict[str, float]]:
    """news-tls's averaging: mean precision and mean recall over timelines, F of those means."""
    out = {}
    for metric in METRICS:
        p = _mean([r[metric]["precision"] for r in rows])
        r_ = _mean([r[metric]["recall"] for r in rows])
        out[metric] = {"precision": p, "recall": r_, "f_score": _f1(p, r_)}
    return out


def setting(ref: Timeline) -> dict[str, Any]:
    """The standard setting for one reference: its number of dates, mean sentences a date, first..last day."""
    return {
        "dates": len(ref),
        "sentences": round(sum(len(v) for v in ref.values()) / len(ref)),
        "start": min(ref),
        "end": max(ref),
    }


def topic_query(topic: str) -> str:
    """The topic keyword of a Timeline17 folder: its name before "_" ("bpoil_bbc" -> "bpoil")."""
    return topic.split("_")[0]


def product_timeline(
    topic_dir: Path, ref: Timeline, config: Config | None = None
) -> dict[dt.date, list[str]]:
    """storydesk's key-dates timeline for one reference's setting, through exactly what the CLI runs
    (`storydesk timeline articles.jsonl --dates L --sentences K --from --to --query --format json`)."""
    from storydesk.cli import key_dates_payload

    s = setting(ref)
    payload = key_dates_payload(
        [str(topic_dir / "articles.jsonl")],
        dates=s["dates"],
        sentences=s["sentences"],
        start=s["start"],
        end=s["end"],
        query=topic_query(topic_dir.name),
        config=config,
        quiet=True,
    )
    return {dt.date.fromisoformat(e["date"]): e["sentences"] for e in payload["timeline"]}


class _Baseline:
    """The DATEWISE-style ranker this module had before the product had key dates (kept as a baseline)."""

    def __init__(self, topic_dir: Path) -> None:
        self.sents = _read_sentences(topic_dir)
        self.keywords = topic_keywords(topic_dir.name, [s.text for s in self.sents])

    def __call__(self, ref: Timeline) -> dict[dt.date, list[str]]:
        s = setting(ref)
        return predict_timeline(
            self.sents, self.keywords, start=s["start"], end=s["end"], dates=s["dates"], k=s["sentences"]
        )


def evaluate_topic(
    topic_dir: Path, *, systems: Sequence[str] = ("storydesk", "baseline"), evaluator: Any = None
) -> dict[str, list[dict[str, dict[str, float]]]]:
    """Per system, tilse's scores of every reference timeline of one topic."""
    evaluator = evaluator or make_evaluator()
    refs = read_references(topic_dir)
    out: dict[str, list[dict[str, dict[str, float]]]] = {}
    for system in systems:
        if system == "storydesk":
            predict: Any = lambda ref: product_timeline(topic_dir, ref)  # noqa: E731
        else:
            predict = _Baseline(topic_dir)
        out[system] = [_tilse_scores(predict(ref), ref, evaluator) for ref in refs]
    return out


def make_evaluator(rouge: str = "original") -> Any:
    """tilse's TimelineRougeEvaluator (ROUGE-1 and -2); "original" runs ROUGE-1.5.5, "reimpl" tilse's
    approximate Python reimplementation (for quick experiments only)."""
    from tilse.evaluation.rouge import TimelineRougeEvaluator

    return TimelineRougeEvaluator(measures=["rouge_1", "rouge_2"], rouge_computation=rouge)


def group_of(topic: str) -> str:
    return topic_query(topic)


def evaluate_timeline(
    root: Path,
    *,
    console: Any = None,
    topics: list[str] | None = None,
    systems: Sequence[str] = ("storydesk", "baseline"),
    rouge: str = "original",
) -> dict:
    """Score storydesk's key dates (and the baseline) on Timeline17 topics under `root`; print a table."""
    names = topics or sorted(p.name for p in Path(root).iterdir() if (p / "timelines.jsonl").is_file())
    evaluator = make_evaluator(rouge)
    rows = {name: evaluate_topic(Path(root) / name, systems=systems, evaluator=evaluator) for name in names}
    result: dict[str, Any] = {"topics": {}, "groups": {}, "mean": {}}
    for system in systems:
        result["topics"][system] = {name: average(r[system]) for name, r in rows.items()}
        groups: dict[str, list] = defaultdict(list)
        for name, r in rows.items():
            groups[group_of(name)].extend(r[system])
        result["groups"][system] = {g: average(v) for g, v in groups.items()}
        result["mean"][system] = average([x for r in rows.values() for x in r[system]])
    result["timelines"] = {name: len(r[systems[0]]) for name, r in rows.items()}
    result["published_best"] = {"date_f1": 0.544, "ar1_f": 0.120}
    if console is not None:
        _print_table(result, console)
    return result


def _print_table(result: dict, console: Any) -> None:
    from rich.table import Table

    systems = list(result["mean"])
    table = Table(
        title="Timeline17: tilse date F1 and align+ m:1 ROUGE (ROUGE-1.5.5); P and R averaged over "
        "timelines, F of the means (news-tls)"
    )
    for column in ("topic", "timelines", "system", "date F1", "AR-1 F", "AR-2 F"):
        table.add_column(column, justify="left" if column in ("topic", "system") else "right")

    def add(name: str, n: int, rows: Mapping[str, Any]) -> None:
        for i, system in enumerate(systems):
            cells = [f"{rows[system][m]['f_score']:.3f}" for m in METRICS]
            first = i == 0
            last = i == len(systems) - 1
            table.add_row(name if first else "", str(n) if first else "", system, *cells, end_section=last)

    for name, n in result["timelines"].items():
        add(name, n, {s: result["topics"][s][name] for s in systems})
    for group in result["groups"][systems[0]]:
        n = sum(v for k, v in result["timelines"].items() if group_of(k) == group)
        add(f"group {group}", n, {s: result["groups"][s][group] for s in systems})
    add("all timelines", sum(result["timelines"].values()), result["mean"])
    console.print(table)
    console.print(
        "storydesk: the product's key dates (storydesk timeline FILE --dates L --sentences K --from --to "
        "--query). baseline: the eval module's DATEWISE-style ranker, not the product."
    )
