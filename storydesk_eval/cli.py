"""`storydesk eval ...`: measure quality on evaluation data, side by side with baselines.

The evaluation code lives outside the runtime package; its libraries (rouge-score, scikit-learn, sumy,
nltk, tilse) are the `eval` extra, imported only when a command runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

console = Console()
eval_app = typer.Typer(
    help="Measure quality on evaluation data, side by side with baselines.", no_args_is_help=True
)


@eval_app.command("summaries")
def eval_summaries(
    path: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="Clusters JSONL (documents + summary).")
    ],
    max_words: Annotated[int, typer.Option("--max-words", min=1)] = 300,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="Only the first N clusters.")] = None,
    baselines: Annotated[
        bool, typer.Option("--baselines", help="Also score lead, round-robin, sumy.")
    ] = False,
    out: Annotated[Path | None, typer.Option("--out", help="Folder for results JSON and Markdown.")] = None,
    scorer: Annotated[
        str, typer.Option("--scorer", help="rouge-score (Multi-News) or rouge155 (ROUGE-1.5.5, DUC setting).")
    ] = "rouge-score",
    min_reports: Annotated[
        int, typer.Option("--min-reports", min=1, help="Only clusters with at least N reports.")
    ] = 1,
) -> None:
    """ROUGE of storydesk's brief (and baselines) against reference summaries."""
    from storydesk_eval.summaries import evaluate_summaries

    if scorer not in ("rouge-score", "rouge155"):
        raise typer.BadParameter("--scorer is rouge-score or rouge155")
    evaluate_summaries(
        path, max_words=max_words, limit=limit, baselines=baselines, scorer=scorer, min_reports=min_reports,
        out_dir=out, console=console,
    )


@eval_app.command("citations")
def eval_citations(
    path: Annotated[
        Path, typer.Argument(exists=True, help="Clusters JSONL (documents), or a folder of reports.")
    ],
    max_words: Annotated[int, typer.Option("--max-words", min=1)] = 300,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="Only the first N clusters.")] = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="List wrong citations, missed copies.")
    ] = False,
    out: Annotated[Path | None, typer.Option("--out", help="Folder for results JSON.")] = None,
) -> None:
    """Precision of the brief's citations and recall of reports that carry a sentence near word for word."""
    from storydesk_eval.citations import evaluate_citations

    evaluate_citations(path, max_words=max_words, limit=limit, verbose=verbose, out=out, console=console)


@eval_app.command("stories")
def eval_stories(
    path: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="Articles JSONL with a gold `event`.")
    ],
    folds: Annotated[
        int, typer.Option("--folds", min=1, help="K-fold over topics: tune on K-1, score the held-out one.")
    ] = 5,
    orders: Annotated[
        int, typer.Option("--orders", min=1, help="Also group each held-out fold in N random input orders.")
    ] = 1,
) -> None:
    """B-cubed of story grouping through the product's path (.txt files), held out by topic, next to a
    TF-IDF + average-link baseline tuned the same way."""
    from storydesk_eval.stories import evaluate_stories

    evaluate_stories(path, folds=folds, orders=orders, console=console)


@eval_app.command("timeline")
def eval_timeline(
    root: Annotated[Path, typer.Argument(exists=True, file_okay=False, help="Timeline17-style folder.")],
) -> None:
    """Date F1 and alignment-based ROUGE of built timelines against reference timelines."""
    from storydesk_eval.timeline import evaluate_timeline

    evaluate_timeline(root, console=console)


@eval_app.command("facts")
def eval_facts(
    key: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Hand key (JSON) of fact sheets.")],
    corpus: Annotated[
        Path | None, typer.Option("--corpus", help="Reports folder or clusters JSONL (default: the key's).")
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List misses and unkeyed facts.")] = False,
) -> None:
    """Recall of key facts, precision and status accuracy of fact sheets, and speakers of statements."""
    from storydesk_eval.facts import evaluate_facts

    evaluate_facts(key, corpus=corpus, verbose=verbose, console=console)
