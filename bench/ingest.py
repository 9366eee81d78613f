"""A long-running story followed as a feed: `storydesk ingest`'s path (`stream.ingest_paths`) over reports in
date order, batch after batch, into a fresh SQLite store: as shipped (two analysing processes kept for the
whole ingest, sentence parses kept between batches), with one process, and the baseline (one process,
`cache_tokens = 0`: every grown story parsed again in full, as before the cache), in one run. Prints the
seconds of each batch and in all, and checks that every run stored the same stories.

Default input: the Timeline17 BP oil spill folders of ../shared/eval (BBC and Guardian, 581 reports over
nine months); any JSONL files with `text` and `time` or `published` work.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from storydesk.config import Config
from storydesk.store import Store
from storydesk.stream import ingest_paths

ROOT = Path(__file__).resolve().parents[1]
TIMELINE17 = ROOT.parent / "shared" / "eval" / "timeline17"
DEFAULT = [TIMELINE17 / "bpoil_bbc" / "articles.jsonl", TIMELINE17 / "bpoil_guardian" / "articles.jsonl"]


def feed(paths: list[Path], out: Path) -> int:
    """The records of `paths` in date order (a feed's order), as one JSONL file at `out`."""
    rows = [json.loads(line) for p in paths for line in p.read_text(encoding="utf-8").splitlines() if line]
    rows.sort(key=lambda r: (r.get("time") or r.get("published") or "", r.get("id", "")))
    out.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return len(rows)


def ingest(path: Path, config: Config, db: Path, jobs: int) -> tuple[list[float], dict[str, str]]:
    """Seconds of each batch, and every stored story as JSON (its reports, brief, entities, facts, ...)."""
    store = Store(db)
    seconds: list[float] = []
    last = time.perf_counter()

    def on_batch(update, rejected) -> None:
        nonlocal last
        now = time.perf_counter()
        seconds.append(now - last)
        last = now

    ingest_paths(store, [str(path)], config, on_batch=on_batch, jobs=jobs)
    stories = {}
    for summary in store.list_stories():
        story = store.find_story(summary.id)
        stories[summary.id] = json.dumps(dataclasses.asdict(story), default=str, sort_keys=True)
    return seconds, stories


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("inputs", nargs="*", type=Path, default=DEFAULT)
    parser.add_argument("--batch", type=int, default=50, help="reports a batch")
    args = parser.parse_args()
    missing = [p for p in args.inputs if not p.exists()]
    if missing and args.inputs == DEFAULT:
        print(f"skipped: {missing[0]} is absent (the default feed: ../shared/eval/timeline17, BP oil spill)")
        return
    if missing:
        raise SystemExit(f"not found: {missing[0]}")
    base = Config()
    shipped = dataclasses.replace(base, stream=dataclasses.replace(base.stream, batch_reports=args.batch))
    baseline = dataclasses.replace(shipped, nlp=dataclasses.replace(shipped.nlp, cache_tokens=0))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "feed.jsonl"
        n = feed(args.inputs, path)
        runs = {}
        for name, config, jobs in (("2 processes, parses kept (shipped)", shipped, 2),
                                   ("1 process, parses kept", shipped, 1),
                                   ("baseline: 1 process, parsed again", baseline, 1)):
            runs[name] = ingest(path, config, Path(tmp) / f"{len(runs)}.db", jobs)
    table = Table(title=f"{n} reports in date order, batches of {args.batch}: seconds a batch "
                        f"(ingest_paths: read, plan, analyse, commit)", title_justify="left")
    table.add_column("batch", justify="right")
    for name in runs:
        table.add_column(name, justify="right")
    table.add_column("baseline / shipped", justify="right")
    columns = [seconds for seconds, _ in runs.values()]
    for k, row in enumerate(zip(*columns, strict=True), 1):
        table.add_row(str(k), *(f"{s:.1f}" for s in row), f"{row[-1] / row[0]:.2f}×")
    totals = [sum(c) for c in columns]
    table.add_row("all", *(f"{s:.1f}" for s in totals), f"{totals[-1] / totals[0]:.2f}×")
    console = Console()
    console.print(table)
    stored = [stories for _, stories in runs.values()]
    same = all(s == stored[0] for s in stored)
    counts = ', '.join(str(len(s)) for s in stored)
    console.print(f"stories: {counts}; the same analyses in every run: {same}")
    if not same:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
