"""Learn the brief's sentence-scoring weights (storydesk/models/brief.json) from clusters with references.

Usage: .venv/bin/python scripts/train_brief.py ../shared/eval/multinews/validation.jsonl [--max-words 300]
       [--write]

Each candidate sentence is labelled with how much of it a reference summary also says (mean of content
unigram precision and bigram precision, on stems); a ridge regression maps the features of
storydesk.brief_features to that label, so the brief's per-word score estimates how much ROUGE each word
buys. The selection settings (novelty floor and power) are picked by ROUGE on the training clusters.
The script prints 2-fold cross-validated ROUGE (folds: odd and even clusters), so numbers on unseen
clusters are honest, then fits on everything and, with --write, saves the model.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
from pathlib import Path

import numpy as np

from storydesk.brief import load_params, summarize
from storydesk.brief_features import FEATURES, features, split_articles
from storydesk.eval.rouge import cut_to_budget, rouge
from storydesk.eval.summaries import read_clusters
from storydesk.text import stems

MODEL = Path(__file__).resolve().parents[1] / "storydesk" / "models" / "brief.json"
GRID = {"novelty_min": (0.4, 0.5, 0.6), "novelty_power": (1.0, 2.0)}
RIDGE = 1.0


def _label(text: str, ref_uni: set[str], ref_bi: set[tuple[str, str]]) -> float:
    uni = stems(text)
    toks = stems(text, drop_stop_words=False)
    bi = list(itertools.pairwise(toks))
    p1 = sum(t in ref_uni for t in uni) / max(len(uni), 1)
    p2 = sum(b in ref_bi for b in bi) / max(len(bi), 1)
    return 0.5 * (p1 + p2)


def _examples(clusters: list) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = [], []
    for articles, refs in clusters:
        ref_text = " ".join(" ".join(r) for r in refs)
        ref_uni = set(stems(ref_text))
        ref_bi = set(itertools.pairwise(stems(ref_text, drop_stop_words=False)))
        sents = split_articles(articles)
        x, rows, _ = features(sents, len(articles))
        xs.append(x)
        ys.extend(_label(sents[i].text, ref_uni, ref_bi) for i in rows)
    return np.vstack(xs), np.asarray(ys)


def _ridge(x: np.ndarray, y: np.ndarray) -> list[float]:
    penalty = RIDGE * np.eye(x.shape[1])
    penalty[0, 0] = 0.0  # no penalty on the bias
    return [round(float(v), 5) for v in np.linalg.solve(x.T @ x + penalty, x.T @ y)]


def _score(clusters: list, params: dict, max_words: int) -> dict[str, float]:
    rows = [
        rouge(cut_to_budget([s.text for s in summarize(a, max_words, params=params)], max_words), refs)
        for a, refs in clusters
    ]
    return {
        k: round(statistics.fmean(r[k] for r in rows), 2) for k in ("rouge1_f", "rouge2_f", "rougeLsum_f")
    }


def fit(clusters: list, max_words: int) -> dict:
    """Weights by ridge regression, then the selection settings with the best R-1 + R-2 on these clusters."""
    x, y = _examples(clusters)
    params = {**load_params(), "weights": _ridge(x, y)}
    best, best_val = params, -1.0
    for novelty_min, power in itertools.product(GRID["novelty_min"], GRID["novelty_power"]):
        trial = {**params, "novelty_min": novelty_min, "novelty_power": power}
        got = _score(clusters, trial, max_words)
        if got["rouge1_f"] + got["rouge2_f"] > best_val:
            best, best_val = trial, got["rouge1_f"] + got["rouge2_f"]
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--max-words", type=int, default=300)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--write", action="store_true", help="save the model fitted on all clusters")
    args = parser.parse_args()
    clusters = [c for c in read_clusters(args.data, args.limit) if c[0]]
    folds = [clusters[0::2], clusters[1::2]]
    for k in (0, 1):
        params = fit(folds[1 - k], args.max_words)
        print(
            f"fold {k}: trained on {len(folds[1 - k])}, tested on {len(folds[k])}:",
            _score(folds[k], params, args.max_words),
            {key: params[key] for key in GRID},
        )
    final = fit(clusters, args.max_words)
    print("all clusters (training fit):", _score(clusters, final, args.max_words))
    print(dict(zip(FEATURES, final["weights"], strict=True)))
    if args.write:
        MODEL.write_text(json.dumps({**final, "features": list(FEATURES)}, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {MODEL}")


if __name__ == "__main__":
    main()
