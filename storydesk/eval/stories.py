"""Story grouping scored on ECB+-style data (B-cubed), next to a TF-IDF + agglomerative baseline.

Input: JSONL with `doc`, `topic`, `event` (the gold story) and `text`. All articles are grouped together
(gold topics are not used), as a user's mixed folder of reports would be. The baseline is scikit-learn
TF-IDF (sublinear tf, English stop words) with average-link agglomerative clustering on cosine distance,
cut at `BASELINE_DISTANCE` (0.85; chosen by the same 2-fold topic split used for storydesk's threshold).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from storydesk.clean import clean_article
from storydesk.cluster import group_stories
from storydesk.eval.bcubed import bcubed
from storydesk.model import Article

BASELINE_DISTANCE = 0.85


def read_ecb(path: Path) -> list[dict]:
    """The rows of an ECB+-style JSONL file."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def storydesk_labels(texts: list[str]) -> list[int]:
    """Story index per text, from storydesk's cleaning and grouping."""
    articles = [clean_article(Article(id=f"{i}", text=text)) for i, text in enumerate(texts)]
    story_of = {id(a): n for n, story in enumerate(group_stories(articles)) for a in story}
    return [story_of[id(a)] for a in articles]


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
