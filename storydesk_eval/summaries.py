"""Multi-document summary evaluation: storydesk's brief against references and baselines, same scorer.

Every cluster goes through the same code path as `storydesk brief`: each document is read as a plain-text
input (`storydesk.ingest.article_from_text`, which reads a headline, byline or date lines off its top),
cleaned, then summarised; a document ingest rejects is left out, as `storydesk brief` skips it. Every
system's output is cut to the word budget before scoring, so no system gains from running long.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from storydesk.analysis.brief import summarize
from storydesk.clean import clean_article
from storydesk.config import BriefConfig, Config
from storydesk.ingest import article_from_text
from storydesk.model import Article
from storydesk_eval.rouge import METRICS, cut_to_budget, reference_sentences, rouge, rouge155

System = Callable[[Sequence[Article], int], list[str]]
KEYS = tuple(f"{m}_{k}" for m in METRICS for k in ("f", "r"))


def storydesk_brief(articles: Sequence[Article], max_words: int) -> list[str]:
    """The brief's sentences, as `storydesk brief` prints them (without citation markers)."""
    return [s.text for s in summarize(articles, BriefConfig(max_words=max_words))]


def read_clusters(path: Path, limit: int | None = None) -> Iterator[tuple[list[Article], list[list[str]]]]:
    """Cleaned articles and reference summaries (as sentences) of each cluster in a JSONL file."""
    config = Config()
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if limit is not None and n >= limit:
                break
            row = json.loads(line)
            refs = row.get("references") or [row["summary"]]
            read = [article_from_text(doc, f"{path.name}#{n + 1}/{i + 1}", config)
                    for i, doc in enumerate(row["documents"])]
            articles = [clean_article(a, config.clean) for a in read if isinstance(a, Article)]
            yield articles, [reference_sentences(r) for r in refs]


def evaluate_summaries(
    path: Path,
    *,
    max_words: int = 300,
    limit: int | None = None,
    baselines: bool = False,
    scorer: str = "rouge-score",
    min_reports: int = 1,
    out_dir: Path | None = None,
    console: Any = None,
) -> dict:
    """Mean ROUGE-1/2/Lsum F1 and recall (%) and ms per cluster for storydesk (and baselines if asked).

    `scorer` "rouge155" scores every system's outputs at once with the original ROUGE-1.5.5
    (`ROUGE155_ARGS`, the DUC 2004 setting: R-1/R-2 recall, precision, F); `min_reports` keeps only the
    clusters with at least that many reports (DUC clusters have 10).
    """
    systems: dict[str, System] = {"storydesk": storydesk_brief}
    if baselines:
        from storydesk_eval.baselines import BASELINES

        systems |= BASELINES
    outputs: dict[str, list[list[str]]] = {name: [] for name in systems}
    millis: dict[str, list[float]] = {name: [] for name in systems}
    references: list[list[list[str]]] = []
    for articles, refs in read_clusters(Path(path), limit):
        if len(articles) < min_reports:
            continue
        references.append(refs)
        for name, system in systems.items():
            start = time.perf_counter()
            out = system(articles, max_words) if articles else []
            millis[name].append(1000.0 * (time.perf_counter() - start))
            outputs[name].append(cut_to_budget(out, max_words))
    result = {
        "dataset": str(path),
        "clusters": len(references),
        "max_words": max_words,
        "scorer": scorer,
        "systems": {name: _score(scorer, outputs[name], references, millis[name]) for name in systems},
    }
    _print_table(result, console)
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "summaries.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        (out_dir / "summaries.md").write_text(to_markdown(result), encoding="utf-8")
    return result


def _score(
    scorer: str, outputs: list[list[str]], references: list[list[list[str]]], millis: list[float]
) -> dict[str, Any]:
    if scorer == "rouge155":
        out: dict[str, Any] = rouge155(outputs, references) if outputs else dict.fromkeys(KEYS155, 0.0)
    else:
        rows = [rouge(o, refs) for o, refs in zip(outputs, references, strict=True)]
        out = {key: round(statistics.fmean(r[key] for r in rows), 2) if rows else 0.0 for key in KEYS}
    out["ms_median"] = round(statistics.median(millis), 2) if millis else 0.0
    out["ms_mean"] = round(statistics.fmean(millis), 2) if millis else 0.0
    return out


KEYS155 = ("rouge1_r", "rouge1_f", "rouge2_r", "rouge2_f")
_COLUMNS = {"rouge-score": (*KEYS, "ms_median", "ms_mean"), "rouge155": (*KEYS155, "ms_median", "ms_mean")}
_LABELS = {
    "rouge-score": ("R-1 F", "R-1 R", "R-2 F", "R-2 R", "R-Ls F", "R-Ls R", "ms med", "ms mean"),
    "rouge155": ("R-1 R", "R-1 F", "R-2 R", "R-2 F", "ms med", "ms mean"),
}


def _print_table(result: dict, console: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{result['dataset']}: {result['clusters']} clusters, {result['max_words']} words,"
                  f" {result['scorer']}")
    table.add_column("system")
    for label in _LABELS[result["scorer"]]:
        table.add_column(label, justify="right")
    for name, row in result["systems"].items():
        table.add_row(name, *(f"{row[c]:.2f}" for c in _COLUMNS[result["scorer"]]))
    (console or Console()).print(table)


def to_markdown(result: dict) -> str:
    """The results as a Markdown table (one row per system)."""
    columns = _COLUMNS[result["scorer"]]
    lines = [
        f"# Summaries: {result['dataset']}",
        "",
        f"{result['clusters']} clusters, outputs cut to {result['max_words']} words, scored by"
        f" {result['scorer']}; ROUGE in %, time in ms.",
        "",
        "| system | " + " | ".join(columns) + " |",
        "|---|" + "---:|" * len(columns),
    ]
    for name, row in result["systems"].items():
        lines.append(f"| {name} | " + " | ".join(f"{row[c]:.2f}" for c in columns) + " |")
    return "\n".join(lines) + "\n"
