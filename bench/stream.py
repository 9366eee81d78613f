"""One batch of `storydesk ingest` against a store that already holds N reports: the planning step
(`stream.plan_batch`: unpickle the state, deduplicate, group), analysis and store I/O excluded.

Synthetic reports as `make bench` builds them (bench.synthetic_records), in stream order, so the grouper
appends. Each size is measured twice in the same run: with the stored deduplication index (the product) and,
as the baseline, with a state whose index is missing, so the batch deduplicates every stored report again
(what every batch did before the index was kept). Prints a Rich table; median of `--repeats` runs.
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
        records = synthetic_records(max(args.sizes) + args.batch, source_texts())
        path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
        raw, _ = read_inputs([str(path)])
    articles = sorted((clean_article(a, config.clean) for a in raw), key=sort_key)
    table = Table(title=f"One ingest batch of {args.batch} reports: planning (dedup + grouping)",
                  title_justify="left")
    for column in ("stored reports", "state MB", "seconds", "baseline: dedup all again", "speed-up"):
        table.add_column(column, justify="right")
    for n in args.sizes:
        first = plan_batch(StreamSnapshot(0, None, {}, {}, set()), articles[:n], config)
        assert first is not None
        stored, _, state, _, _ = first
        batch = articles[n:n + args.batch]
        kept = timed_batch(pickle.dumps(state), stored, batch, config, args.repeats)
        without = dataclasses.replace(state, duplicates=None)  # type: ignore[arg-type]
        again = timed_batch(pickle.dumps(without), stored, batch, config, args.repeats)
        table.add_row(f"{n:,}", f"{len(pickle.dumps(state)) / 1e6:.1f}", f"{kept:.2f}", f"{again:.2f}",
                      f"{again / kept:.1f}x")
    Console(width=120).print(table)


if __name__ == "__main__":
    main()
