"""Story grouping scored on ECB+-style data (B-cubed), next to a TF-IDF + agglomerative baseline.

Input: JSONL with `doc`, `topic`, `event` (the gold story) and `text`. All articles are grouped together
(gold topics are not used), as a user's mixed folder of reports would be. The baseline is scikit-learn
TF-IDF (sublinear tf, English stop words) with average-link agglomerative clustering on cosine distance,
cut at `BASELINE_DISTANCE` (0.85; chosen by the same 2-fold topic split used for storydesk's threshold).

`two_fold_by_topic` checks that storydesk's threshold holds on topics it was not chosen on: the topics are
split in two halves, the threshold is picked on one half from `THRESHOLDS` and scored on the other.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from storydesk.clean import clean_article
from storydesk.cluster import group_stories
from storydesk.config import ClusterConfig
from storydesk.model import Article
from storydesk_eval.bcubed import bcubed

LINK_THRESHOLD = ClusterConfig().link_threshold

BASELINE_DISTANCE = 0.85
THRESHOLDS = (0.125, 0.15, 0.175, 0.2, 0.225)


def read_ecb(path: Path) -> list[dict]:
    """The rows of an ECB+-style JSONL file."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _clean(texts: list[str]) -> list[Article]:
    return [clean_article(Article(id=f"{i}", text=text)) for i, text in enumerate(texts)]


def _labels(articles: list[Article], threshold: float = LINK_THRESHOLD) -> list[int]:
    stories = group_stories(articles, ClusterConfig(link_threshold=threshold))
    story_of = {id(a): n for n, story in enumerate(stories) for a in story}
    return [story_of[id(a)] for a in articles]


def storydesk_labels(texts: list[str]) -> list[int]:
    """Story index per text, from storydesk's cleaning and grouping."""
    return _labels(_clean(texts))


def baseline_labels(texts: list[str], *, distance: float = BASELINE_DISTANCE) -> list[int]:
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


def _score(name: str, labeller, texts: list[str], gold: dict[str, str], docs: list[str]) -> dict:
    start = time.perf_counter()
    labels = labeller(texts)
    seconds = time.perf_counter() - start
    scores = bcubed(dict(zip(docs, labels, strict=True)), gold)
    return {"method": name, "stories": len(set(labels)), "seconds": seconds, **scores}


def evaluate_stories(path: Path, *, console: Console | None = None) -> dict:
    """Group every article of `path`, score B-cubed against `event`, print and return both methods."""
    rows = read_ecb(Path(path))
    docs = [row["doc"] for row in rows]
    texts = [row["text"] for row in rows]
    gold = {row["doc"]: row["event"] for row in rows}
    result = {
        "articles": len(rows),
        "gold_stories": len(set(gold.values())),
        "storydesk": _score("storydesk", storydesk_labels, texts, gold, docs),
        "baseline": _score(
            f"tf-idf + average link, d={BASELINE_DISTANCE}", baseline_labels, texts, gold, docs
        ),
    }
    title = f"Story grouping, B-cubed: {result['articles']} articles, {result['gold_stories']} gold stories"
    table = Table(title=title)
    for column in ("method", "stories", "precision", "recall", "F1", "seconds"):
        table.add_column(column, justify="left" if column == "method" else "right")
    for key in ("storydesk", "baseline"):
        r = result[key]
        table.add_row(
            r["method"], str(r["stories"]), f"{r['precision']:.3f}", f"{r['recall']:.3f}", f"{r['f1']:.3f}",
            f"{r['seconds']:.2f}",
        )
    (console or Console()).print(table)
    return result


def two_fold_by_topic(path: Path, *, console: Console | None = None) -> list[dict]:
    """For each half of the topics: the threshold best on it, and B-cubed with it on the other half."""
    rows = read_ecb(Path(path))
    articles = _clean([row["text"] for row in rows])
    topics = sorted({row["topic"] for row in rows}, key=lambda t: (len(t), t))
    halves = [set(topics[: len(topics) // 2]), set(topics[len(topics) // 2 :])]

    def f1(half: set[str], threshold: float) -> dict[str, float]:
        keep = [i for i, row in enumerate(rows) if row["topic"] in half]
        labels = _labels([articles[i] for i in keep], threshold)
        gold = {rows[i]["doc"]: rows[i]["event"] for i in keep}
        return bcubed({rows[i]["doc"]: label for i, label in zip(keep, labels, strict=True)}, gold)

    folds = []
    for tune, test in (halves, halves[::-1]):
        best = max(THRESHOLDS, key=lambda t: (f1(tune, t)["f1"], -abs(t - LINK_THRESHOLD)))
        names = sorted(tune, key=lambda t: (len(t), t))
        folds.append({"tuned_on": names, "threshold": best, **f1(test, best)})
    table = Table(title="Story grouping, 2-fold by topic: threshold tuned on one half, scored on the other")
    for column in ("tuned on topics", "threshold", "precision", "recall", "F1 on the other half"):
        table.add_column(column, justify="right")
    for fold in folds:
        names = fold["tuned_on"]
        table.add_row(
            f"{names[0]}..{names[-1]}", f"{fold['threshold']:.3f}", f"{fold['precision']:.3f}",
            f"{fold['recall']:.3f}", f"{fold['f1']:.3f}",
        )
    (console or Console()).print(table)
    return folds
