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
from storydesk_eval.rouge import METRICS, cut_to_budget, reference_sentences, rouge

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
    out_dir: Path | None = None,
    console: Any = None,
) -> dict:
    """Mean ROUGE-1/2/Lsum F1 and recall (%) and ms per cluster for storydesk (and baselines if asked)."""
    systems: dict[str, System] = {"storydesk": storydesk_brief}
    if baselines:
        from storydesk_eval.baselines import BASELINES

        systems |= BASELINES
    scores: dict[str, list[dict[str, float]]] = {name: [] for name in systems}
    millis: dict[str, list[float]] = {name: [] for name in systems}
    n_clusters = 0
    for articles, refs in read_clusters(Path(path), limit):
        n_clusters += 1
        for name, system in systems.items():
            start = time.perf_counter()
            out = system(articles, max_words) if articles else []
            millis[name].append(1000.0 * (time.perf_counter() - start))
            scores[name].append(rouge(cut_to_budget(out, max_words), refs))
    result = {
        "dataset": str(path),
        "clusters": n_clusters,
        "max_words": max_words,
        "systems": {name: _aggregate(scores[name], millis[name]) for name in systems},
    }
    _print_table(result, console)
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "summaries.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        (out_dir / "summaries.md").write_text(to_markdown(result), encoding="utf-8")
    return result


def _aggregate(rows: list[dict[str, float]], millis: list[float]) -> dict[str, float]:
    out = {key: round(statistics.fmean(r[key] for r in rows), 2) if rows else 0.0 for key in KEYS}
    out["ms_median"] = round(statistics.median(millis), 2) if millis else 0.0
    out["ms_mean"] = round(statistics.fmean(millis), 2) if millis else 0.0
    return out


_COLUMNS = (*KEYS, "ms_median", "ms_mean")
_LABELS = ("R-1 F", "R-1 R", "R-2 F", "R-2 R", "R-Ls F", "R-Ls R", "ms med", "ms mean")


def _print_table(result: dict, console: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{result['dataset']}: {result['clusters']} clusters, {result['max_words']} words")
    table.add_column("system")
    for label in _LABELS:
        table.add_column(label, justify="right")
    for name, row in result["systems"].items():
        table.add_row(name, *(f"{row[c]:.2f}" for c in _COLUMNS))
    (console or Console()).print(table)


def to_markdown(result: dict) -> str:
    """The results as a Markdown table (one row per system)."""
    lines = [
        f"# Summaries: {result['dataset']}",
        "",
        f"{result['clusters']} clusters, outputs cut to {result['max_words']} words; ROUGE in %, time in ms.",
        "",
        "| system | " + " | ".join(_COLUMNS) + " |",
        "|---|" + "---:|" * len(_COLUMNS),
    ]
    for name, row in result["systems"].items():
        lines.append(f"| {name} | " + " | ".join(f"{row[c]:.2f}" for c in _COLUMNS) + " |")
    return "\n".join(lines) + "\n"
