"""The `storydesk` command line (Typer + Rich): a thin layer over `storydesk.pipeline` and the store.

Exit codes: 0 success (rejected inputs and story errors are listed, not fatal); 1 no input could be read;
2 bad usage; 3 story not found or ambiguous; 4 unexpected error (run again with --debug for the traceback);
5 with --strict, some input was rejected or some story has errors (the outputs are still written);
6 the database cannot be opened, read or written, or another writer holds it past the busy timeout (one
line; the SQL only under --debug).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.text import Text

from storydesk import __version__
from storydesk.terminal import visible

if TYPE_CHECKING:
    from storydesk.config import Config
    from storydesk.model import Article, Rejected, Story
    from storydesk.pipeline import ProgressHook

EXIT_NOTHING_READ = 1
EXIT_USAGE = 2
EXIT_NOT_FOUND = 3
EXIT_INTERNAL = 4
EXIT_STRICT = 5
EXIT_STORE = 6

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


_state = {"debug": False}


def _add_eval_commands() -> None:
    from storydesk_eval.cli import eval_app

    app.add_typer(eval_app, name="eval")


_add_eval_commands()


class UserError(Exception):
    """An error the user can fix; printed as one line with its own exit code."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


class Engine(StrEnum):
    local = "local"
    spark = "spark"


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


ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", help="TOML file of settings (see `storydesk config`); defaults for the rest."),
]
JobsOption = Annotated[
    int | None,
    typer.Option("--jobs", "-j", min=0,
                 help="Processes analysing stories (default: [engine] jobs; 0 is one per core)."),
]
DbOption = Annotated[
    str | None,  # not a Path: "postgresql+psycopg://h/db" must reach SQLAlchemy as written
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
    config_file: ConfigOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")] = False,
    jobs: JobsOption = None,
    include_hidden: Annotated[
        bool, typer.Option("--include-hidden", help="Read hidden files and folders inside folders too.")
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 5 when any input is rejected or any story has errors.")
    ] = False,
    engine: Annotated[
        Engine, typer.Option("--engine", help="local (this machine's processes) or spark (a Spark cluster).")
    ] = Engine.local,
    master: Annotated[
        str, typer.Option("--master", help="Spark master with --engine spark (local[N], spark://…, yarn).")
    ] = "local[2]",
) -> None:
    """Group reports into stories and write the HTML report, Markdown and stories.json."""
    config = _config(config_file).replace("brief", max_words=max_words)
    with _progress(not quiet) as hook:
        if engine is Engine.spark:
            total, stories, rejected = _spark_stories(paths, config, master, out)
        else:
            total, stories, rejected = _local_stories(paths, config, hook, jobs, include_hidden)
        lines = _write_run(total, stories, rejected, out, db, save=store)
    _print_run_summary(lines, rejected)
    console.print(Text(f"Report: {(out / 'report.html').resolve()}"))
    if strict and (rejected or any(line.errors for line in lines)):
        raise typer.Exit(EXIT_STRICT)


@dataclass(frozen=True, slots=True)
class _StoryLine:
    """What the terminal summary shows of a story, kept once the story itself is written and released."""

    id: str
    title: str
    n_articles: int
    n_facts: int
    errors: list[str]


#: Stories saved to the store per transaction in a run.
_STORE_CHUNK = 100


def _local_stories(paths: list[str], config: Config, hook: ProgressHook, jobs: int | None,
                   include_hidden: bool) -> tuple[int, Iterator[tuple[int, Story]], list[Rejected]]:
    """The run's story count and its stories as they are analysed, and the rejected inputs."""
    from storydesk.engines.local import iter_analysed
    from storydesk.pipeline import prepare

    groups, rejected = prepare(paths, config, stdin=sys.stdin if "-" in paths else None, progress=hook,
                               include_hidden=include_hidden, jobs=jobs)
    stories = iter_analysed(groups, config, jobs=jobs, progress=lambda i, n: hook("analyse", i, n))
    return len(groups), stories, rejected


def _spark_stories(paths: list[str], config: Config, master: str,
                   out: Path) -> tuple[int, Iterator[tuple[int, Story]], list[Rejected]]:
    from storydesk.engines.spark import iter_spark

    if "-" in paths:
        raise UserError("--engine spark reads files, not stdin", EXIT_USAGE)
    try:
        return iter_spark(paths, config=config, master=master, out=out)
    except ModuleNotFoundError as error:
        raise UserError(str(error), EXIT_USAGE) from None


def _write_run(total: int, stories: Iterator[tuple[int, Story]], rejected: list[Rejected], out: Path,
               db: str | None, *, save: bool) -> list[_StoryLine]:
    """Write each story to the reports (and, with `save`, to the store) as it comes, keeping only its
    summary line: a run's memory does not grow with its stories."""
    from storydesk.document import now
    from storydesk.report import RunWriter

    if not total:
        raise _nothing_read(rejected)
    store = None
    if save:
        from storydesk.store import Store

        store = Store(db)  # opened before the analysis: a bad --db fails now, not after it
    lines: dict[int, _StoryLine] = {}
    unsaved: list[Story] = []
    with RunWriter(out, generated_at=now()) as writer:
        for index, story in stories:
            writer.add(index, story)
            lines[index] = _StoryLine(story.id, story.title, len(story.articles), len(story.facts),
                                      [f"{e.stage}: {e.reason}" for e in story.errors])
            if store is not None:
                unsaved.append(story)
                if len(unsaved) >= _STORE_CHUNK:
                    store.save_stories(unsaved)
                    unsaved.clear()
        if store is not None and unsaved:
            store.save_stories(unsaved)
        writer.finish(rejected)
    return [lines[i] for i in range(total)]


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (recursive) or globs.")],
    db: DbOption = None,
    config_file: ConfigOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only the summary line.")] = False,
    jobs: JobsOption = None,
) -> None:
    """Add reports to the store: each joins a stored story or starts one, and story ids never change.

    Batches of [stream] batch_reports are committed one by one: after a crash, the same command skips
    what is stored and does the rest. Only the stories that changed are analysed again, over --jobs
    processes kept for the whole command (a grown story goes back to the one that has its parses).
    """
    from storydesk.stream import ingest_paths

    config = _config(config_file)
    with _stream_store(db) as store:
        updates, rejected = ingest_paths(
            store, paths, config, jobs=jobs,
            on_batch=None if quiet else lambda update, _: _print_batch(update),
        )
    _print_rejected(rejected)
    if not updates and rejected:
        raise _nothing_read(rejected)
    added = sum(len(u.added) for u in updates)
    changed = {c.id: c.change for u in updates for c in u.changes}
    counts = {kind: sum(v == kind for v in changed.values()) for kind in ("created", "updated", "removed")}
    console.print(
        f"{added} new report(s) in {len(updates)} batch(es); stories: {counts['created']} created, "
        f"{counts['updated']} updated, {counts['removed']} merged away; {len(rejected)} input(s) rejected",
        markup=False, highlight=False, soft_wrap=True,
    )


@app.command()
def watch(
    folder: Annotated[Path, typer.Argument(help="Folder to follow: files are ingested as they appear.")],
    db: DbOption = None,
    config_file: ConfigOption = None,
    jobs: JobsOption = None,
) -> None:
    """Follow a folder: each new or changed file is ingested once it stops changing (Ctrl-C to stop)."""
    from storydesk.stream import watch as follow

    if not folder.is_dir():
        raise UserError(f"not a folder: {folder}", EXIT_USAGE)
    config = _config(config_file)
    console.print(f"Watching {folder} (every {config.stream.poll_seconds:g} s; Ctrl-C to stop)", markup=False)

    def report(path: Path, update, rejected) -> None:  # type: ignore[no-untyped-def]
        console.print(f"{path}:", markup=False, highlight=False, soft_wrap=True)
        if update is not None:
            _print_batch(update)
        _print_rejected(rejected)

    with _stream_store(db) as store:
        try:
            follow(store, folder, config, on_batch=report, jobs=jobs)
        except KeyboardInterrupt:
            console.print("Stopped.")


@contextmanager
def _stream_store(db: str | None):  # type: ignore[no-untyped-def]
    """The store for writers beside other writers and readers; a store that stays busy is one line (so is
    any database failure: `StoreError`, exit 6)."""
    from storydesk.store import Store
    from storydesk.stream import StoreBusy

    try:
        store = Store(db)
        store.use_concurrently()
        yield store
    except StoreBusy as error:
        raise UserError(str(error), EXIT_STORE) from None


def _print_batch(update) -> None:  # type: ignore[no-untyped-def]
    for change in update.changes:
        verb = {"created": "new", "updated": "updated", "removed": "merged away"}[change.change]
        detail = f" {change.title} ({change.n_articles} reports)" if change.change != "removed" else ""
        console.print(f"  {verb:<11} {change.id}{detail}", markup=False, highlight=False, soft_wrap=True)
    for event in update.history:
        console.print(f"  {event.kind:<11} {event.from_id} -> {event.to_id}", markup=False, highlight=False,
                      soft_wrap=True)


def _print_rejected(rejected: list[Rejected]) -> None:
    for item in rejected:
        err_console.print(
            f"storydesk: skipped {item.path}: {item.reason}", markup=False, highlight=False, soft_wrap=True
        )


def _config(path: Path | None) -> Config:
    """The settings of a TOML file, or the defaults; a bad file is a usage error of one line."""
    from storydesk.config import Config, ConfigError

    try:
        return Config.from_toml(path) if path is not None else Config()
    except ConfigError as error:
        raise UserError(str(error), EXIT_USAGE) from None


#: Stories listed in the terminal after a run; the report lists them all.
_SUMMARY_ROWS = 50


def _print_run_summary(lines: list[_StoryLine], rejected: list[Rejected]) -> None:
    from rich.table import Table

    table = Table(title="Stories", title_justify="left")
    table.add_column("id", style="dim")
    table.add_column("title")
    table.add_column("articles", justify="right")
    table.add_column("facts", justify="right")
    for line in lines[:_SUMMARY_ROWS]:
        table.add_row(line.id, visible(line.title), str(line.n_articles), str(line.n_facts))
    console.print(table)
    if len(lines) > _SUMMARY_ROWS:
        console.print(f"… and {len(lines) - _SUMMARY_ROWS} more stories (all in the report)")
    failed = [line for line in lines if line.errors]
    if failed:
        console.print(f"[yellow]{len(failed)} story(ies) with errors[/yellow] (kept with their articles):")
        for line in failed:
            for error in line.errors:
                console.print(visible(f"  {line.id}: {error}"))
    if rejected:
        console.print(f"[yellow]{len(rejected)} input(s) rejected[/yellow] (listed in the report):")
        for item in rejected:
            console.print(visible(f"  {item.path}: {item.reason}"))


def _read_numbered(files: list[str], config: Config) -> list[tuple[int, Article]]:
    """Each file's articles, cleaned, with the file's 1-based position in the argument list."""
    from storydesk.boundary import clean_guarded
    from storydesk.ingest import read_inputs
    from storydesk.model import Article as ArticleType

    numbered: list[tuple[int, Article]] = []
    rejected: list[Rejected] = []
    for position, name in enumerate(files, 1):
        articles, bad = read_inputs([name], config=config)
        for done in (clean_guarded(a, config) for a in articles):
            if isinstance(done, ArticleType):
                numbered.append((position, done))
            else:
                rejected.append(done)
        rejected += bad
    for item in rejected:
        err_console.print(visible(f"storydesk: skipped {item.path}: {item.reason}"), highlight=False,
                          soft_wrap=True)
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
    config_file: ConfigOption = None,
) -> None:
    r"""Print the brief of FILES taken as one story; \[n] cites the n-th file."""
    from storydesk.analysis.brief import summarize

    config = _config(config_file).replace("brief", max_words=max_words)
    numbered = _read_numbered(files, config)
    position = {article.id: pos for pos, article in numbered}
    sentences = summarize([article for _, article in numbered], config.brief)
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


def _stored_story(key: str, db: str | None) -> Story:
    from storydesk.store import Store

    store = Store(db)
    story = store.find_story(key)
    if story is None and (now := store.resolve_story_id(key)) is not None:
        story = store.find_story(now)  # an id merged into another story names that story
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
            visible(row.title),
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
    """Print a stored story's fact sheet and who said what."""
    from storydesk.terminal import facts_table, statements_table

    data = _stored_story(story, db)
    console.print(facts_table(data))
    console.print(statements_table(data))


def _read_positioned(inputs: list[str], config: Config, *, quiet: bool = False) -> list[tuple[int, Article]]:
    """Every report of `inputs` (files, folders, globs, "-"), cleaned, with its 1-based position among the
    inputs' reports in order (a JSONL file's n-th record is its n-th report; rejected ones keep a number)."""
    from storydesk.engines.local import iter_cleaned
    from storydesk.model import Article as ArticleType

    numbered: list[tuple[int, Article]] = []
    rejected: list[Rejected] = []
    stdin = sys.stdin if "-" in inputs else None
    for position, done in enumerate(iter_cleaned(inputs, config, jobs=1, stdin=stdin), 1):
        if isinstance(done, ArticleType):
            numbered.append((position, done))
        else:
            rejected.append(done)
    for item in [] if quiet else rejected:
        err_console.print(visible(f"storydesk: skipped {item.path}: {item.reason}"), highlight=False,
                          soft_wrap=True)
    if not numbered:
        raise _nothing_read(rejected)
    return numbered


def key_dates_payload(
    inputs: list[str],
    *,
    dates: int,
    sentences: int,
    start: dt.date | None = None,
    end: dt.date | None = None,
    query: str | None = None,
    config: Config | None = None,
    quiet: bool = False,
) -> dict[str, Any]:
    """What `storydesk timeline FILE... --dates L --sentences K --format json` prints, as a dict
    (`quiet`: do not list the rejected inputs on stderr)."""
    from storydesk.analysis.keydates import key_dates
    from storydesk.config import Config

    config = config or Config()
    numbered = _read_positioned(inputs, config, quiet=quiet)
    found = key_dates([a for _, a in numbered], dates=dates, sentences=sentences, start=start, end=end,
                      query=query, config=config)
    return {
        "timeline": [
            {"date": k.date.isoformat(), "sentences": k.sentences,
             "sources": [numbered[i][0] for i in k.sources]}
            for k in found
        ]
    }


def _day(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param_hint=option) from None


@app.command()
def timeline(
    targets: Annotated[
        list[str],
        typer.Argument(
            help="A stored story (id, unique prefix or title words), or report files, folders, globs or - "
            "to build their key-dates timeline.",
            metavar="STORY | FILE...",
        ),
    ],
    dates: Annotated[
        int | None, typer.Option("--dates", min=1, help="Key dates at most (reports mode; default 10).")
    ] = None,
    sentences: Annotated[int, typer.Option("--sentences", min=1, help="Sentences a date at most.")] = 1,
    date_from: Annotated[
        str | None, typer.Option("--from", help="Only reports published on or after YYYY-MM-DD.")
    ] = None,
    date_to: Annotated[
        str | None, typer.Option("--to", help="Only reports published on or before YYYY-MM-DD.")
    ] = None,
    query: Annotated[
        str | None, typer.Option("--query", help="Only reports naming these words (or a keyword like H1N1).")
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="text or json (reports mode).")
    ] = OutputFormat.text,
    db: DbOption = None,
    config_file: ConfigOption = None,
) -> None:
    """Print a stored story's timeline, or the key dates of the reports in FILE... .

    Reports mode applies when --dates is given or every argument is an existing path (or -): the days that
    matter, each with the sentences that tell it and [n] citing the n-th report of the inputs.
    """
    reports_mode = dates is not None or all(t == "-" or Path(t).exists() for t in targets)
    if not reports_mode:
        if len(targets) != 1:
            raise UserError(
                f"no such files: {' '.join(targets)} (give one story id, or report files)", EXIT_NOT_FOUND
            )
        from storydesk.terminal import timeline_table

        console.print(timeline_table(_stored_story(targets[0], db)))
        return
    payload = key_dates_payload(
        targets,
        dates=dates or 10,
        sentences=sentences,
        start=_day(date_from, "--from"),
        end=_day(date_to, "--to"),
        query=query,
        config=_config(config_file),
    )
    if output_format is OutputFormat.json:
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return
    for entry in payload["timeline"]:
        sys.stdout.write(entry["date"] + "\n")
        for text in entry["sentences"]:
            sys.stdout.write("  " + " ".join(text.split()) + "\n")
        sys.stdout.write("  " + "".join(f"[{n}]" for n in entry["sources"]) + "\n")


@app.command()
def serve(
    db: Annotated[
        str | None,
        typer.Option("--db", help="SQLite file or SQLAlchemy URL (the store `storydesk run` writes)."),
    ] = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on (loopback by default).")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8000,
    token_file: Annotated[
        Path | None,
        typer.Option("--token-file", help="File whose first line is the write token (else STORYDESK_TOKEN)."),
    ] = None,
    config_file: ConfigOption = None,
) -> None:
    """Serve the HTTP API (/api/v1, docs at /docs) and the web app over the store."""
    import os

    import uvicorn

    from storydesk.service import Settings, create_app
    from storydesk.service.security import TokenError, load_token

    config = _config(config_file)
    try:
        token = load_token(token_file, dict(os.environ), config.service)
    except TokenError as error:
        raise UserError(str(error), EXIT_USAGE) from None
    app = create_app(Settings(db=db, token=token, config=config))
    writes = "writes need the token" if token else "writes disabled (set STORYDESK_TOKEN or --token-file)"
    err_console.print(f"storydesk serve: http://{host}:{port}/ · API docs http://{host}:{port}/docs · "
                      f"{app.state.store.engine.url.render_as_string(hide_password=True)} · {writes}",
                      markup=False, highlight=False, soft_wrap=True)
    # asyncio's own event loop, not uvloop: under 50 concurrent clients uvloop let some connections wait
    # seconds behind others (search p99 7.9 s vs 0.6 s, story reads alike or better; docs/benchmarks.md).
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, loop="asyncio",
                timeout_graceful_shutdown=int(config.service.shutdown_seconds))


@app.command()
def schema() -> None:
    """Print the JSON Schema of stories.json (generated from the model)."""
    from storydesk.document import generate_schema

    sys.stdout.write(json.dumps(generate_schema(), indent=2) + "\n")


@app.command("config")
def show_config(
    config_file: ConfigOption = None,
) -> None:
    """Print every setting as TOML with why it has its value (the defaults, or a file's values)."""
    sys.stdout.write(_config(config_file).to_toml())


def main() -> None:
    """Console entry point: user errors as one clear line, tracebacks only with --debug."""
    try:
        app()
    except UserError as error:
        err_console.print(visible(f"storydesk: error: {error}"), highlight=False, soft_wrap=True)
        sys.exit(error.code)
    except ModuleNotFoundError as error:
        if _state["debug"]:
            raise
        err_console.print(
            f"storydesk: error: missing library {error.name!r}; evaluations need the eval extra: "
            "pip install 'storydesk[eval]'",
            markup=False, highlight=False, soft_wrap=True,
        )
        sys.exit(EXIT_USAGE)
    except Exception as error:  # the last line of defence of a CLI
        if _state["debug"]:
            raise
        from storydesk.store import StoreError

        if isinstance(error, StoreError):
            err_console.print(visible(f"storydesk: error: {error}"), highlight=False, soft_wrap=True)
            sys.exit(EXIT_STORE)
        err_console.print(
            visible(f"storydesk: unexpected error: {type(error).__name__}: {error} "
                    "(run with --debug for details)"),
            highlight=False,
            soft_wrap=True,
        )
        sys.exit(EXIT_INTERNAL)
