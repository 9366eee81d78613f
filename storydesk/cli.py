"""The `storydesk` command line (Typer + Rich): a thin layer over `storydesk.pipeline` and the store.

Exit codes: 0 success; 1 no input could be read; 2 bad usage; 3 story not found or ambiguous;
4 unexpected error (run again with --debug for the traceback).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from storydesk import __version__

if TYPE_CHECKING:
    from storydesk.model import Article, Rejected
    from storydesk.pipeline import ProgressHook

EXIT_NOTHING_READ = 1
EXIT_NOT_FOUND = 3
EXIT_INTERNAL = 4

console = Console()
err_console = Console(stderr=True)

app = typer.Typer(
    name="storydesk",
    help="Many news reports about the same events in, one cited account out.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)
eval_app = typer.Typer(
    help="Measure quality on evaluation data, side by side with baselines.", no_args_is_help=True
)
app.add_typer(eval_app, name="eval")

_state = {"debug": False}


class UserError(Exception):
    """An error the user can fix; printed as one line with its own exit code."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


def _version(value: bool) -> None:
    if value:
        console.print(f"storydesk {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show full tracebacks on errors.")] = False,
) -> None:
    """storydesk reads many reports on the same events and writes one account a reader can trust."""
    _state["debug"] = debug


DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="SQLite file (or SQLAlchemy URL). Default: storydesk.sqlite in your data dir."),
]


@contextmanager
def _progress(enabled: bool) -> Iterator[ProgressHook]:
    """A Rich progress bar per pipeline stage, fed by the pipeline's progress hook."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description:<10}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        disable=not enabled,
        transient=False,
    ) as bar:
        tasks: dict[str, Any] = {}

        def hook(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total or None)
            bar.update(tasks[stage], completed=done, total=total or None)

        yield hook


def _nothing_read(rejected: list[Rejected]) -> UserError:
    if not rejected:
        return UserError("nothing to read: no input files were given or found", EXIT_NOTHING_READ)
    first = rejected[0]
    more = f" (and {len(rejected) - 1} more)" if len(rejected) > 1 else ""
    return UserError(
        f"nothing could be read: {len(rejected)} input(s) rejected; {first.path}: {first.reason}{more}",
        EXIT_NOTHING_READ,
    )


@app.command()
def run(
    paths: Annotated[
        list[str], typer.Argument(help="Files, folders (recursive), globs, or - for JSONL on stdin.")
    ],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder for report.html, report.md, stories.json.")
    ] = Path("storydesk-out"),
    db: DbOption = None,
    max_words: Annotated[
        int, typer.Option("--max-words", min=10, help="Word ceiling of each story's brief.")
    ] = 120,
    store: Annotated[
        bool, typer.Option("--store/--no-store", help="Save articles and stories to the db.")
    ] = True,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")] = False,
) -> None:
    """Group reports into stories and write the HTML report, Markdown and stories.json."""
    from storydesk.document import build_document
    from storydesk.pipeline import run as run_pipeline
    from storydesk.report import write_reports

    with _progress(not quiet) as hook:
        result = run_pipeline(
            paths, stdin=sys.stdin if "-" in paths else None, max_words=max_words, progress=hook
        )
    if not result.stories:
        raise _nothing_read(result.rejected)
    doc = build_document(result)
    out.mkdir(parents=True, exist_ok=True)
    (out / "stories.json").write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    written = write_reports(doc, out)
    if store:
        from storydesk.store import Store

        Store(db).save_stories(doc["stories"])
    _print_run_summary(doc)
    console.print(f"Report: {written['html'].resolve()}")


def _print_run_summary(doc: dict[str, Any]) -> None:
    from rich.table import Table

    table = Table(title="Stories", title_justify="left")
    table.add_column("id", style="dim")
    table.add_column("title")
    table.add_column("articles", justify="right")
    table.add_column("facts", justify="right")
    for story in doc["stories"]:
        table.add_row(story["id"], story["title"], str(len(story["articles"])), str(len(story["facts"])))
    console.print(table)
    if doc["rejected"]:
        console.print(f"[yellow]{len(doc['rejected'])} input(s) rejected[/yellow] (listed in the report):")
        for item in doc["rejected"]:
            console.print(f"  {item['path']}: {item['reason']}", markup=False)


def _read_numbered(files: list[str]) -> list[tuple[int, Article]]:
    """Each file's articles, cleaned, with the file's 1-based position in the argument list."""
    from storydesk.clean import clean_article
    from storydesk.ingest import read_inputs

    numbered: list[tuple[int, Article]] = []
    rejected: list[Rejected] = []
    for position, name in enumerate(files, 1):
        articles, bad = read_inputs([name])
        numbered += [(position, clean_article(a)) for a in articles]
        rejected += bad
    for item in rejected:
        err_console.print(
            f"storydesk: skipped {item.path}: {item.reason}", markup=False, highlight=False, soft_wrap=True
        )
    if not numbered:
        raise _nothing_read(rejected)
    return numbered


@app.command()
def brief(
    files: Annotated[list[str], typer.Argument(help="The reports of one story, one article a file.")],
    max_words: Annotated[
        int, typer.Option("--max-words", min=1, help="Word ceiling; small stories get shorter briefs.")
    ] = 120,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="text or json.")
    ] = OutputFormat.text,
) -> None:
    r"""Print the brief of FILES taken as one story; \[n] cites the n-th file."""
    from storydesk.brief import summarize

    numbered = _read_numbered(files)
    position = {article.id: pos for pos, article in numbered}
    sentences = summarize([article for _, article in numbered], max_words=max_words)
    cited = [(s.text, sorted({position[src] for src in s.sources})) for s in sentences]
    if output_format is OutputFormat.json:
        payload = {
            "files": files,
            "brief": [{"text": text, "sources": refs} for text, refs in cited],
        }
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        for text, refs in cited:
            sys.stdout.write(text + " " + "".join(f"[{n}]" for n in refs) + "\n")


def _stored_story(key: str, db: Path | None) -> dict[str, Any]:
    from storydesk.store import Store

    story = Store(db).find_story(key)
    if story is None:
        raise UserError(
            f"no single stored story matches {key!r}: use an id from `storydesk stories`", EXIT_NOT_FOUND
        )
    return story


@app.command()
def stories(db: DbOption = None) -> None:
    """List the stories stored in the database."""
    from rich.table import Table

    from storydesk.store import Store

    rows = Store(db).list_stories()
    if not rows:
        console.print("No stories stored yet: run `storydesk run PATH...` first.")
        return
    table = Table(title="Stored stories", title_justify="left")
    for name, justify in (
        ("id", "left"),
        ("title", "left"),
        ("articles", "right"),
        ("from", "left"),
        ("to", "left"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for row in rows:
        table.add_row(
            row.id,
            row.title,
            str(row.n_articles),
            str(row.first_published or "—"),
            str(row.last_published or "—"),
        )
    console.print(table)


@app.command()
def facts(
    story: Annotated[str, typer.Argument(help="Story id (or unique prefix, or title words).")],
    db: DbOption = None,
) -> None:
    """Print a stored story's fact sheet."""
    from storydesk.terminal import facts_table

    data = _stored_story(story, db)
    console.print(facts_table(data))


@app.command()
def timeline(
    story: Annotated[str, typer.Argument(help="Story id (or unique prefix, or title words).")],
    db: DbOption = None,
) -> None:
    """Print a stored story's timeline."""
    from storydesk.terminal import timeline_table

    data = _stored_story(story, db)
    console.print(timeline_table(data))


@app.command()
def schema() -> None:
    """Print the JSON Schema of stories.json."""
    from storydesk.document import schema as load_schema

    sys.stdout.write(json.dumps(load_schema(), indent=2) + "\n")


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
) -> None:
    """ROUGE of storydesk's brief (and baselines) against reference summaries."""
    from storydesk.eval.summaries import evaluate_summaries

    evaluate_summaries(
        path, max_words=max_words, limit=limit, baselines=baselines, out_dir=out, console=console
    )


@eval_app.command("stories")
def eval_stories(
    path: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="Articles JSONL with a gold `event`.")
    ],
    two_fold: Annotated[
        bool, typer.Option("--two-fold", help="Also tune the threshold on half the topics, score the rest.")
    ] = False,
) -> None:
    """B-cubed precision/recall/F1 of story grouping, next to a TF-IDF + agglomerative baseline."""
    from storydesk.eval.stories import evaluate_stories, two_fold_by_topic

    evaluate_stories(path, console=console)
    if two_fold:
        two_fold_by_topic(path, console=console)


@eval_app.command("timeline")
def eval_timeline(
    root: Annotated[Path, typer.Argument(exists=True, file_okay=False, help="Timeline17-style folder.")],
) -> None:
    """Date F1 and alignment-based ROUGE of built timelines against reference timelines."""
    from storydesk.eval.timeline import evaluate_timeline

    evaluate_timeline(root, console=console)


def main() -> None:
    """Console entry point: user errors as one clear line, tracebacks only with --debug."""
    try:
        app()
    except UserError as error:
        err_console.print(f"storydesk: error: {error}", markup=False, highlight=False, soft_wrap=True)
        sys.exit(error.code)
    except Exception as error:  # the last line of defence of a CLI
        if _state["debug"]:
            raise
        err_console.print(
            f"storydesk: unexpected error: {type(error).__name__}: {error} (run with --debug for details)",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        sys.exit(EXIT_INTERNAL)
