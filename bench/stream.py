"""One batch of `storydesk ingest` against a store that already holds N reports: the planning step
(`stream.plan_batch`: unpickle the state, deduplicate, group), analysis and store I/O excluded.

Synthetic reports as `make bench` builds them (bench.synthetic_records), in stream order. Two batches per
size: one after every stored report (the grouper appends) and one before them all (the grouper replays:
regroups everything in stream order). Each beside its baseline in the same run: the appended batch with the
state's deduplication index removed (so it deduplicates every stored report again, as every batch did before
the index was kept), the replayed one with the state's grouper removed (so a new grouper featurises every
report again, as every replay did before the grouper kept the features). Prints a Rich table; median of
`--repeats` runs.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import pickle
import statistics
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from bench import source_texts, synthetic_records
from storydesk.clean import clean_article
from storydesk.cluster import sort_key
from storydesk.config import Config
from storydesk.ingest import read_inputs
from storydesk.store import StreamSnapshot
from storydesk.stream import plan_batch


def timed_batch(state: bytes, stored: dict, batch: list, config: Config, repeats: int) -> float:
    """Median seconds of planning `batch` against `stored` and the pickled `state`."""
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        plan_batch(StreamSnapshot(1, state, stored, {}, set()), batch, config)
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 4000, 10000])
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    config = Config()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.jsonl"
        records = synthetic_records(max(args.sizes) + 2 * args.batch, source_texts())
        path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
        raw, _ = read_inputs([str(path)])
    articles = sorted((clean_article(a, config.clean) for a in raw), key=sort_key)
    table = Table(title=f"One ingest batch of {args.batch} reports: planning (dedup + grouping), seconds",
                  title_justify="left")
    for column in ("stored reports", "state MB", "appended", "baseline: dedup all again", "replayed",
                   "baseline: replay featurising again"):
        table.add_column(column, justify="right")
    for n in args.sizes:
        batch = args.batch
        first = plan_batch(StreamSnapshot(0, None, {}, {}, set()), articles[batch:n + batch], config)
        assert first is not None
        stored, _, state, _, _ = first
        later, earlier = articles[n + batch:n + 2 * batch], articles[:batch]  # earlier ones force a replay
        kept = pickle.dumps(state)
        appended = timed_batch(kept, stored, later, config, args.repeats)
        again = timed_batch(pickle.dumps(dataclasses.replace(state, duplicates=None)),  # type: ignore[arg-type]
                            stored, later, config, args.repeats)
        replayed = timed_batch(kept, stored, earlier, config, args.repeats)
        featurised = timed_batch(pickle.dumps(dataclasses.replace(state, grouper=None)),  # type: ignore[arg-type]
                                 stored, earlier, config, args.repeats)
        table.add_row(f"{n:,}", f"{len(kept) / 1e6:.1f}",
                      *(f"{t:.2f}" for t in (appended, again, replayed, featurised)))
    Console(width=140).print(table)


if __name__ == "__main__":
    main()
