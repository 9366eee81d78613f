"""A long-running story followed as a feed: `storydesk ingest`'s path (`stream.ingest_paths`) over reports in
date order, batch after batch, into a fresh SQLite store, with the sentence parses kept between batches
(the shipped `NlpConfig.cache_tokens`) and, in the same run, without them (the baseline: `cache_tokens = 0`,
every grown story parsed again in full, as before the cache). Prints the seconds of each batch and in all,
and checks that both runs stored the same stories.

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


def ingest(path: Path, config: Config, db: Path) -> tuple[list[float], dict[str, str]]:
    """Seconds of each batch, and every stored story as JSON (its reports, brief, entities, facts, ...)."""
    store = Store(db)
    seconds: list[float] = []
    last = time.perf_counter()

    def on_batch(update, rejected) -> None:
        nonlocal last
        now = time.perf_counter()
        seconds.append(now - last)
        last = now

    ingest_paths(store, [str(path)], config, on_batch=on_batch)
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
        for name, config in (("parses kept (shipped)", shipped), ("baseline: parsed again", baseline)):
            runs[name] = ingest(path, config, Path(tmp) / f"{len(runs)}.db")
    (kept, kept_stories), (again, again_stories) = runs.values()
    table = Table(title=f"{n} reports in date order, batches of {args.batch}: seconds a batch "
                        f"(ingest_paths: read, plan, analyse, commit)", title_justify="left")
    table.add_column("batch", justify="right")
    for name in runs:
        table.add_column(name, justify="right")
    table.add_column("ratio", justify="right")
    for k, (a, b) in enumerate(zip(kept, again, strict=True), 1):
        table.add_row(str(k), f"{a:.1f}", f"{b:.1f}", f"{b / a:.2f}×")
    table.add_row("all", f"{sum(kept):.1f}", f"{sum(again):.1f}", f"{sum(again) / sum(kept):.2f}×")
    console = Console()
    console.print(table)
    same = kept_stories == again_stories
    console.print(f"stories: {len(kept_stories)} and {len(again_stories)}; "
                  f"the same analyses in both runs: {same}")
    if not same:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
