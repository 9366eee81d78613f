"""Story grouping scored on ECB+-style data (B-cubed) through the product's own path, held out by topic.

Input: JSONL with `doc`, `topic`, `event` (the gold story) and `text` (a `title`, when present, is written
as the first line). Each article is written as a plain .txt file under an anonymous, shuffled name (no gold
information reaches the product) and read back exactly as `storydesk run` reads a folder: ingest, clean,
then `pipeline.group_cleaned` (dedup + grouping). The topics are used only to split the data.

Held out: `--folds K` splits the topics into K folds; for each, the knobs in `GRID` (ClusterConfig fields)
are tuned on the other folds' topics only and the held-out topics are grouped together with the chosen
values. The baseline, scikit-learn TF-IDF (sublinear tf, English stop words) with average-link
agglomerative clustering on cosine distance, is tuned the same way (its cut from `BASELINE_DISTANCES`) and
printed in the same run. Held-out B-cubed is pooled over all held-out articles. `--orders N` re-runs the
held-out grouping on N random input orders: the product is independent of input order, and this shows it.
The in-sample figure (the shipped settings on the whole file) is printed and labelled as such.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from storydesk.clean import clean_article
from storydesk.config import Config
from storydesk.ingest import read_inputs
from storydesk.model import Article
from storydesk.pipeline import group_cleaned
from storydesk_eval.bcubed import bcubed

#: The ClusterConfig knobs tuned on training topics, with the values tried (the shipped value among them).
GRID: dict[str, tuple[float, ...]] = {"link_threshold": (0.125, 0.15, 0.175, 0.2, 0.225, 0.25)}
BASELINE_DISTANCES = (0.75, 0.8, 0.85, 0.9, 0.95)
BASELINE_DEFAULT = 0.85


def read_ecb(path: Path) -> list[dict]:
    """The rows of an ECB+-style JSONL file."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def read_as_files(rows: Sequence[dict], *, seed: int = 0) -> tuple[list[Article], dict[str, int]]:
    """The rows written as .txt files (anonymous, shuffled names), read and cleaned as `storydesk run`
    does; with the row index of every path, so copies collapsed by dedup can be scored too."""
    order = list(range(len(rows)))
    random.Random(seed).shuffle(order)
    with tempfile.TemporaryDirectory() as tmp:
        row_of: dict[str, int] = {}
        for name, index in enumerate(order):
            path = Path(tmp) / f"{name:05d}.txt"
            row = rows[index]
            path.write_text(f"{row['title']}\n{row['text']}" if row.get("title") else row["text"], "utf-8")
            row_of[str(path)] = index
        articles, rejected = read_inputs([tmp])
    if rejected:
        raise ValueError(f"{len(rejected)} rows could not be read: {rejected[0].reason}")
    return [clean_article(a) for a in articles], row_of


def _members(article: Article, row_of: dict[str, int]) -> list[int]:
    return [row_of[p] for p in (article.path, *(c.path for c in article.copies)) if p in row_of]


def storydesk_labels(
    articles: Sequence[Article], row_of: dict[str, int], config: Config | None = None
) -> dict[int, int]:
    """Story index per row, from the product's dedup and grouping of the cleaned `articles`."""
    stories = group_cleaned(articles, config or Config())
    return {row: n for n, story in enumerate(stories) for a in story for row in _members(a, row_of)}


def baseline_labels(texts: Sequence[str], *, distance: float) -> list[int]:
    """Story index per text from TF-IDF + average-link agglomerative clustering (cosine)."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    if len(texts) < 2:
        return [0] * len(texts)
    vectors = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts).toarray()
    model = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=distance
    )
    return [int(label) for label in model.fit_predict(vectors)]


def _configs(base: Config) -> list[tuple[dict[str, float], Config]]:
    """Every combination of the `GRID` values, as knob values and the run config they make."""
    out = []
    for values in itertools.product(*GRID.values()):
        knobs = dict(zip(GRID, values, strict=True))
        out.append((knobs, dataclasses.replace(base, cluster=dataclasses.replace(base.cluster, **knobs))))
    return out


class _Corpus:
    """The cleaned articles of an ECB+ file, split by topic, with gold stories per row."""

    def __init__(self, rows: list[dict], articles: list[Article], row_of: dict[str, int]) -> None:
        self.rows, self.articles, self.row_of = rows, articles, row_of
        self.topics = sorted({r["topic"] for r in rows}, key=lambda t: (len(t), t))

    def subset(self, topics: set[str]) -> list[Article]:
        return [a for a in self.articles if self.rows[_members(a, self.row_of)[0]]["topic"] in topics]

    def gold(self, topics: set[str]) -> dict[int, str]:
        return {i: r["event"] for i, r in enumerate(self.rows) if r["topic"] in topics}

    def storydesk(self, topics: set[str], config: Config, *, seed: int | None = None) -> dict[int, int]:
        articles = self.subset(topics)
        if seed is not None:
            random.Random(seed).shuffle(articles)
        return storydesk_labels(articles, self.row_of, config)

    def baseline(self, topics: set[str], distance: float) -> dict[int, int]:
        keep = [i for i, r in enumerate(self.rows) if r["topic"] in topics]
        labels = baseline_labels([self.rows[i]["text"] for i in keep], distance=distance)
        return dict(zip(keep, labels, strict=True))


    def tune(self, train: set[str], base: Config) -> tuple[dict[str, float], Config, float]:
        """The `GRID` knobs and the baseline cut best on the `train` topics (ties: the shipped value)."""
        gold = self.gold(train)
        default = {name: getattr(base.cluster, name) for name in GRID}
        knobs, tuned = _best(_configs(base), lambda c: bcubed(self.storydesk(train, c[1]), gold)["f1"],
                             lambda c: c[0] == default)
        distance = _best(BASELINE_DISTANCES, lambda d: bcubed(self.baseline(train, d), gold)["f1"],
                         lambda d: d == BASELINE_DEFAULT)
        return knobs, tuned, distance


def _best(candidates: Sequence, score: Callable, is_default: Callable) -> Any:
    """The candidate scoring best; ties go to the default, then to the first in order."""
    return max(sorted(candidates, key=lambda c: not is_default(c)), key=score)


def _prefixed(labels: dict[int, int], fold: int) -> dict[int, str]:
    return {row: f"{fold}:{label}" for row, label in labels.items()}


def evaluate_stories(
    path: Path, *, folds: int = 5, orders: int = 1, config: Config | None = None,
    console: Console | None = None,
) -> dict:
    """In-sample B-cubed of the shipped settings, then held-out k-fold by topic for storydesk and the
    baseline; prints the tables and returns the figures."""
    base = config or Config()
    rows = read_ecb(Path(path))
    start = time.perf_counter()
    articles, row_of = read_as_files(rows)
    read_seconds = time.perf_counter() - start
    corpus = _Corpus(rows, articles, row_of)
    every = set(corpus.topics)
    gold_all = corpus.gold(every)
    start = time.perf_counter()
    shipped = corpus.storydesk(every, base)
    in_sample = {"stories": len(set(shipped.values())), "seconds": time.perf_counter() - start,
                 **bcubed(shipped, gold_all)}
    result: dict = {"articles": len(rows), "gold_stories": len(set(gold_all.values())), "topics": len(every),
                    "read_seconds": read_seconds, "in_sample": in_sample, "folds": []}
    k = max(1, min(folds, len(corpus.topics)))
    shuffled = corpus.topics[:]
    random.Random(0).shuffle(shuffled)
    splits = [set(shuffled[i::k]) for i in range(k)] if k > 1 else []
    pooled: dict[str, dict] = {"storydesk": {}, "baseline": {}}
    order_f1: list[list[float]] = [[] for _ in range(orders)]
    for n, test in enumerate(splits):
        gold_test = corpus.gold(test)
        knobs, tuned, distance = corpus.tune(every - test, base)
        ours = corpus.storydesk(test, tuned)
        theirs = corpus.baseline(test, distance)
        pooled["storydesk"].update(_prefixed(ours, n))
        pooled["baseline"].update(_prefixed(theirs, n))
        for o in range(orders):
            order_f1[o].append(bcubed(corpus.storydesk(test, tuned, seed=o + 1), gold_test)["f1"])
        result["folds"].append({
            "test_topics": sorted(test, key=lambda t: (len(t), t)), "knobs": knobs, "distance": distance,
            "storydesk": bcubed(ours, gold_test), "baseline": bcubed(theirs, gold_test),
        })
    if splits:
        result["held_out"] = {name: bcubed(labels, gold_all) for name, labels in pooled.items()}
        if orders > 1:
            result["orders_mean_fold_f1"] = [statistics.mean(f) for f in order_f1]
    _print(result, k, console or Console())
    return result


def _fmt(scores: dict) -> str:
    return f"{scores['precision']:.3f} / {scores['recall']:.3f} / {scores['f1']:.3f}"


def _print(result: dict, k: int, console: Console) -> None:
    s = result["in_sample"]
    console.print(
        f"Story grouping, B-cubed: {result['articles']} articles, {result['gold_stories']} gold stories, "
        f"{result['topics']} topics, read as .txt files ({result['read_seconds']:.1f} s ingest + clean)"
    )
    console.print(
        f"In-sample (shipped settings, the whole file at once): storydesk P / R / F1 {_fmt(s)}, "
        f"{s['stories']} stories, {s['seconds']:.2f} s"
    )
    if not result["folds"]:
        return
    table = Table(title=f"Held out: {k}-fold by topic, knobs tuned on the other folds' topics only")
    for column in ("held-out topics", ", ".join(GRID), "storydesk P / R / F1", "baseline d",
                   "baseline P / R / F1"):
        table.add_column(column, justify="left" if column == "held-out topics" else "right")
    for fold in result["folds"]:
        knobs = ", ".join(f"{value:g}" for value in fold["knobs"].values())
        table.add_row(",".join(fold["test_topics"]), knobs, _fmt(fold["storydesk"]), f"{fold['distance']:g}",
                      _fmt(fold["baseline"]))
    held = result["held_out"]
    table.add_row("[b]all held out (pooled)[/b]", "", f"[b]{_fmt(held['storydesk'])}[/b]", "",
                  _fmt(held["baseline"]))
    console.print(table)
    if "orders_mean_fold_f1" in result:
        f1s = result["orders_mean_fold_f1"]
        console.print(f"Held-out mean fold F1 over {len(f1s)} random input orders: "
                      + ", ".join(f"{f:.3f}" for f in f1s))
