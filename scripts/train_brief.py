"""Learn the brief's sentence scorer (storydesk/data/brief.json) from clusters with reference summaries.

Usage: .venv/bin/python scripts/train_brief.py ../shared/eval/multinews/validation.jsonl
       [--max-words 300 100] [--folds 5] [--limit N] [--baselines icsi submodular lexrank] [--write]
       [--rouge155 100]

Data licence: Multi-News (Fabbri et al. 2019) is for non-commercial research and education only. Its text is
read in place and never stored; only the learned numbers (tree thresholds and leaf values) are written.

Each candidate sentence is labelled with how much of it the reference also says: the mean of its unigram
and bigram precision against the reference, on rouge-score's stemmed tokens (so the brief's per-word score
estimates how much ROUGE each word buys). Small boosted regression trees (scikit-learn, fixed seed) map the
features of storydesk.analysis.brief.features to that label and are exported as plain arrays that the brief
walks in numpy. The expected summary length is a least-squares line over log(words of the reports) and
their number. The novelty floor of the selection, then the concept weight of the blend, then the scale of
the expected length (or none: always the full budget) are picked by ROUGE on the training clusters only.
The script prints K-fold cross-validated ROUGE at every budget (fold k tests clusters i with i % K == k),
so the numbers are on unseen clusters, for all clusters and separately for the DUC-like ones (at least
4 reports); --baselines scores the named baselines on the DUC-like clusters. Then it fits on all clusters
and, with --write, saves the model.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np
from rouge_score.tokenizers import DefaultTokenizer
from sklearn.ensemble import GradientBoostingRegressor

from storydesk.analysis.brief import summarize
from storydesk.analysis.brief.features import FEATURES, features
from storydesk.analysis.brief.scorer import BriefModel
from storydesk.analysis.brief.select import length_inputs
from storydesk.analysis.brief.units import split_articles
from storydesk.config import BriefConfig
from storydesk_eval.baselines import BASELINES
from storydesk_eval.rouge import ROUGE155_ARGS, cut_to_budget, rouge, rouge155
from storydesk_eval.summaries import read_clusters

MODEL = Path(__file__).resolve().parents[1] / "storydesk" / "data" / "brief.json"
NOVELTY_MIN = (0.3, 0.4, 0.5)
CONCEPT_WEIGHT = (0.0, 0.25, 0.5)
LENGTH_SCALE = (None, 1.1, 1.2, 1.3)
DUC_LIKE = 4  # reports in a cluster for the DUC-like subset
SETTINGS = {"novelty_power": 1.0}
TREES = {
    "n_estimators": 200,
    "learning_rate": 0.05,
    "max_leaf_nodes": 8,
    "min_samples_leaf": 40,
    "subsample": 0.8,
    "random_state": 0,
}
_TOKENIZER = DefaultTokenizer(use_stemmer=True)


def _label(text: str, ref_uni: Counter, ref_bi: Counter) -> float:
    toks = _TOKENIZER.tokenize(text)
    uni, bi = Counter(toks), Counter(itertools.pairwise(toks))
    p1 = sum((uni & ref_uni).values()) / max(len(toks), 1)
    p2 = sum((bi & ref_bi).values()) / max(len(toks) - 1, 1)
    return 0.5 * (p1 + p2)


def _examples(clusters: list) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = [], []
    for articles, refs in clusters:
        ref = _TOKENIZER.tokenize("\n".join(refs[0]))
        ref_uni, ref_bi = Counter(ref), Counter(itertools.pairwise(ref))
        sents = split_articles(articles)
        x, rows, _ = features(sents, len(articles))
        xs.append(x)
        ys.extend(_label(sents[i].text, ref_uni, ref_bi) for i in rows)
    return np.vstack(xs), np.asarray(ys)


def _export(model: GradientBoostingRegressor) -> dict:
    """The fitted trees as padded node arrays (see storydesk.analysis.brief.scorer.Trees)."""
    trees = [est.tree_ for est in model.estimators_[:, 0]]
    width = max(t.node_count for t in trees)

    def pad(rows: list, fill: float) -> list:
        return [list(r) + [fill] * (width - len(r)) for r in rows]

    leaf = [t.children_left < 0 for t in trees]
    return {
        "base": float(model.init_.constant_[0][0]),
        "feature": pad([np.where(lf, 0, t.feature).tolist() for t, lf in zip(trees, leaf, strict=True)], 0),
        "threshold": pad([np.round(t.threshold, 6).tolist() for t in trees], 0.0),
        "left": pad([t.children_left.tolist() for t in trees], -1),
        "right": pad([t.children_right.tolist() for t in trees], -1),
        "value": pad([np.round(model.learning_rate * t.value[:, 0, 0], 7).tolist() for t in trees], 0.0),
    }


def _brief(params: dict) -> Callable[[list, int], list[str]]:
    model = BriefModel.from_json(params)
    return lambda articles, max_words: [
        s.text for s in summarize(articles, BriefConfig(max_words=max_words), model=model)
    ]


def _outputs(clusters: list, system: Callable[[list, int], list[str]], max_words: int) -> list[list[str]]:
    return [cut_to_budget(system(a, max_words), max_words) for a, _ in clusters]


def _rows(clusters: list, system: Callable[[list, int], list[str]], max_words: int) -> list[dict[str, float]]:
    outs = _outputs(clusters, system, max_words)
    return [rouge(out, refs) for out, (_, refs) in zip(outs, clusters, strict=True)]


def _mean(rows: list[dict[str, float]]) -> dict[str, float]:
    return {k: round(statistics.fmean(r[k] for r in rows), 2) for k in ("rouge1_f", "rouge2_f")}


def _score(clusters: list, system: Callable[[list, int], list[str]], max_words: int) -> dict[str, float]:
    return _mean(_rows(clusters, system, max_words))


def _best(clusters: list, trials: list[dict], max_words: int) -> dict:
    """The trial with the best R-1 + R-2 on these clusters."""
    scored = [_score(clusters, _brief(t), max_words) for t in trials]
    return max(zip(trials, scored, strict=True), key=lambda ts: ts[1]["rouge1_f"] + ts[1]["rouge2_f"])[0]


def _length(clusters: list) -> dict[str, float]:
    """Least-squares summary length (words) from log(1 + words of the reports) and their number."""
    rows = [(1.0, *length_inputs(articles)) for articles, _ in clusters]
    words = [statistics.fmean(sum(len(s.split()) for s in ref) for ref in refs) for _, refs in clusters]
    coef = np.linalg.lstsq(np.asarray(rows), np.asarray(words), rcond=None)[0]
    return {
        "intercept": round(float(coef[0]), 4),
        "log_words": round(float(coef[1]), 4),
        "reports": round(float(coef[2]), 4),
    }


def fit(clusters: list, max_words: int) -> dict:
    """Trees fitted to the sentence labels, then the novelty floor, concept weight and length scale best
    here."""
    x, y = _examples(clusters)
    trees = _export(GradientBoostingRegressor(**TREES).fit(x, y))
    params = {"features": list(FEATURES), **SETTINGS, "concept_weight": 0.0, "length": None, "trees": trees}
    params = _best(clusters, [{**params, "novelty_min": m} for m in NOVELTY_MIN], max_words)
    params = _best(clusters, [{**params, "concept_weight": c} for c in CONCEPT_WEIGHT], max_words)
    line = _length(clusters)
    lengths = [None if scale is None else {**line, "scale": scale} for scale in LENGTH_SCALE]
    return _best(clusters, [{**params, "length": length} for length in lengths], max_words)


def _report(label: str, folds: list[list[dict[str, float]]]) -> None:
    """Mean over the pooled test clusters (DUC-like folds differ in size), and the spread of fold means."""
    means = [_mean(rows) for rows in folds if rows]
    spread = {m: round(statistics.pstdev(r[m] for r in means), 2) for m in means[0]}
    print(f"{label}:", _mean([r for rows in folds for r in rows]), "fold std:", spread)


def _print155(label: str, outputs: list[list[str]], refs: list[list[list[str]]]) -> None:
    scores = rouge155(outputs, refs)
    print(f"{label}, ROUGE-1.5.5 {' '.join(ROUGE155_ARGS)}:"
          f" R-1 R/F {scores['rouge1_r']} / {scores['rouge1_f']}"
          f" (R 95% {scores['rouge1_r_ci']}), R-2 R/F {scores['rouge2_r']} / {scores['rouge2_f']}"
          f" (R 95% {scores['rouge2_r_ci']})", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--max-words", type=int, nargs="+", default=[300, 100], help="first one tunes")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--baselines", nargs="*", default=[], choices=sorted(BASELINES))
    parser.add_argument("--write", action="store_true", help="save the model fitted on all clusters")
    parser.add_argument("--rouge155", type=int, default=None, metavar="WORDS",
                        help="also score the DUC-like test clusters at WORDS words with ROUGE-1.5.5"
                        " (pooled over folds; baselines in the same run)")
    args = parser.parse_args()
    clusters = [c for c in read_clusters(args.data, args.limit) if c[0]]
    duc_like = [c for c in clusters if len(c[0]) >= DUC_LIKE]
    print(f"{len(clusters)} clusters, {len(duc_like)} with >= {DUC_LIKE} reports (DUC-like)")
    cv: dict[tuple[str, int], list[list[dict[str, float]]]] = {}
    pooled: list[tuple[list[str], list[list[str]]]] = []  # DUC-like test outputs for ROUGE-1.5.5
    for k in range(args.folds):
        test = clusters[k :: args.folds]
        train = [c for i, c in enumerate(clusters) if i % args.folds != k]
        params = fit(train, args.max_words[0])
        print(
            f"fold {k} ({len(train)} train / {len(test)} test): novelty_min {params['novelty_min']},"
            f" concept_weight {params['concept_weight']}, length {params['length']}"
        )
        for w in args.max_words:
            for subset, part in (("all", test), ("duc_like", [c for c in test if len(c[0]) >= DUC_LIKE])):
                cv.setdefault((subset, w), []).append(_rows(part, _brief(params), w))
                print(f"  {subset} ({len(part)}), {w} words:", _mean(cv[subset, w][-1]), flush=True)
        if args.rouge155:
            part = [c for c in test if len(c[0]) >= DUC_LIKE]
            outs = _outputs(part, _brief(params), args.rouge155)
            pooled.extend((o, refs) for o, (_, refs) in zip(outs, part, strict=True))
    for (subset, w), folds in cv.items():
        _report(f"CV mean, {subset}, {w} words", folds)
    for name in args.baselines:
        for w in args.max_words:
            print(f"{name}, duc_like ({len(duc_like)}), {w} words:", _score(duc_like, BASELINES[name], w))
    if args.rouge155:
        _print155(f"storydesk CV, duc_like ({len(pooled)}), {args.rouge155} words",
                  [o for o, _ in pooled], [r for _, r in pooled])
        refs = [r for _, r in duc_like]
        for name in args.baselines:
            _print155(f"{name}, duc_like ({len(duc_like)}), {args.rouge155} words",
                      _outputs(duc_like, BASELINES[name], args.rouge155), refs)
    if args.write:
        final = fit(clusters, args.max_words[0])
        print("all clusters (training fit):", _score(clusters, _brief(final), args.max_words[0]))
        MODEL.write_text(json.dumps(final, separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {MODEL}")


if __name__ == "__main__":
    main()
