"""Leave-one-topic-group-out figures of the key dates on Timeline17-style folders.

Usage: .venv/bin/python scripts/timeline_logo.py DIR [--out results.json]

Groups are the folder names before "_" (H1N1_bbc, H1N1_guardian -> H1N1). The settings of
`KeyDatesConfig` below are tried on a small grid; for each held-out group the grid point with the best
AR-1 F (then date F1) on the other groups' timelines is chosen, and only that point is scored on the
held-out group. Every score is tilse's (ROUGE-1.5.5, align+ m:1) of the product's output through the
CLI's own function (`storydesk_eval.timeline.product_timeline`), averaged as news-tls. The baseline (the
eval module's DATEWISE-style ranker, no knobs) is scored on the same timelines in the same run, and the
in-sample figure (the shipped defaults on every group) is printed beside it, labelled as such.
"""

from __future__ import annotations

import argparse
import itertools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from storydesk.cli import err_console
from storydesk.config import Config
from storydesk_eval.timeline import (
    _Baseline,
    _tilse_scores,
    average,
    group_of,
    make_evaluator,
    product_timeline,
    read_references,
)

GRID: Mapping[str, tuple[Any, ...]] = {
    "published_weight": (0.5, 1.0, 2.0),
    "max_words": (40, 60),
}


def _f(rows: list, metric: str) -> float:
    return average(rows)[metric]["f_score"] if rows else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    err_console.quiet = True  # records without text are reported once by `storydesk eval timeline`
    topics = sorted(p.name for p in args.root.iterdir() if (p / "timelines.jsonl").is_file())
    refs = {t: read_references(args.root / t) for t in topics}
    groups = sorted({group_of(t) for t in topics})
    evaluator = make_evaluator("original")

    def rows_of(t: str, predict) -> list:
        return [_tilse_scores(predict(ref), ref, evaluator) for ref in refs[t]]

    defaults = {k: getattr(Config().key_dates, k) for k in GRID}
    scores: dict[tuple, dict[str, list]] = {}
    for point in itertools.product(*GRID.values()):
        config = Config().replace("key_dates", **dict(zip(GRID, point, strict=True)))
        scores[point] = {t: rows_of(t, lambda ref, t=t, c=config: product_timeline(args.root / t, ref, c))
                         for t in topics}
        every = [r for rows in scores[point].values() for r in rows]
        print("grid", dict(zip(GRID, point, strict=True)), f"AR-1 F {_f(every, 'rouge_1'):.3f}", flush=True)
    baseline = {}
    for t in topics:
        predict = _Baseline(args.root / t)
        baseline[t] = rows_of(t, predict)

    def of(table: Mapping[str, list], group: str, *, held: bool = True) -> list:
        return [r for t, rows in table.items() if (group_of(t) == group) == held for r in rows]

    report: dict[str, Any] = {"grid": {k: list(v) for k, v in GRID.items()}, "folds": {}}
    held_rows, base_rows = [], []
    for group in groups:
        best = max(scores, key=lambda p: (_f(of(scores[p], group, held=False), "rouge_1"),
                                          _f(of(scores[p], group, held=False), "date")))
        held, base = of(scores[best], group), of(baseline, group)
        held_rows += held
        base_rows += base
        report["folds"][group] = {
            "chosen": dict(zip(GRID, best, strict=True)),
            "timelines": len(held),
            "storydesk": average(held),
            "baseline": average(base),
        }
    shipped = tuple(defaults.values())
    in_sample = [r for rows in scores[shipped].values() for r in rows] if shipped in scores else []
    report["held_out_all_timelines"] = {"storydesk": average(held_rows), "baseline": average(base_rows)}
    report["held_out_mean_of_folds"] = {
        system: {m: sum(f[system][m]["f_score"] for f in report["folds"].values()) / len(groups)
                 for m in ("date", "rouge_1", "rouge_2")}
        for system in ("storydesk", "baseline")
    }
    report["in_sample_shipped"] = {"knobs": defaults, "storydesk": average(in_sample) if in_sample else None}
    head = f"{'storydesk d/AR-1/AR-2':24s} {'baseline d/AR-1/AR-2':24s}"
    print(f"{'fold':10s} {'chosen':34s} {'n':>2s}  {head}")

    def trio(a: Mapping[str, Any]) -> str:
        return "/".join(f"{a[m]['f_score']:.3f}" for m in ("date", "rouge_1", "rouge_2"))

    for group, fold in report["folds"].items():
        print(f"{group:10s} {json.dumps(fold['chosen']):34s} {fold['timelines']:2d}  "
              f"{trio(fold['storydesk']):24s} {trio(fold['baseline']):24s}")
    pooled = report["held_out_all_timelines"]
    print(f"{'held-out, all timelines (news-tls averaging)':48s} {trio(pooled['storydesk']):24s} "
          f"{trio(pooled['baseline']):24s}")
    mean = report["held_out_mean_of_folds"]
    print(f"{'held-out, mean of the folds':48s} "
          + "   ".join("/".join(f"{mean[s][m]:.3f}" for m in ("date", "rouge_1", "rouge_2"))
                       for s in ("storydesk", "baseline")))
    if in_sample:
        print(f"in-sample (shipped {json.dumps(defaults)}, every group): {trio(average(in_sample))}")
    if args.out:
        args.out.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
