"""`make bench-scale`: read + clean + dedup + grouping at 10k, 100k (and 1M with --sizes) articles,
in-process (reading over one worker per core) and on Spark local[2], with wall time, articles/s and peak
RSS per size (in-process, also when each stage ended); with --full SIZE..., also the whole `storydesk run`
(analysis and reports). Not part of `make test`.

Corpora are the synthetic stories of `make bench` (bench/bench.py: real Multi-News sentences mixed into
stories, one report in six a near copy), written as JSONL shards of 10,000 records into a temporary folder.
Each measurement runs in a fresh process, so its peak RSS (VmHWM, which starts anew at exec, unlike
`ru_maxrss`, which keeps the forking parent's peak) is its own; for Spark that is the Python driver only,
not its JVM or Python workers. The largest worker is `ru_maxrss` of the measuring process's children that
have ended: the in-process run's reading workers (Spark's JVM and workers outlive the measurement).
Spark's seconds leave out its session start, printed apart.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARD = 10_000


def write_corpus(folder: Path, n: int) -> list[str]:
    """`n` synthetic records as JSONL shards in `folder`, generated as they are written (1M records are
    4 GB of JSON)."""
    sys.path.insert(0, str(ROOT / "bench"))
    from bench import iter_synthetic_records, source_texts

    records = itertools.islice(iter_synthetic_records(source_texts()), n)
    paths = []
    for k in range(0, n, SHARD):
        path = folder / f"shard-{k // SHARD:04d}.jsonl"
        with path.open("w", encoding="utf-8") as shard:
            shard.writelines(json.dumps(r) + "\n" for r in itertools.islice(records, SHARD))
        paths.append(str(path))
    return paths


def measure(engine: str, shards: list[str]) -> dict[str, Any]:
    """Run one engine's dedup + grouping over the shards in a child process: seconds, stories, peak MiB."""
    code = f"""
import json, resource, sys, time
from storydesk.config import Config
shards = {shards!r}
config = Config()
start = time.perf_counter()
if {engine!r} == "spark":
    from storydesk.engines.spark import group_articles, read_clean, session
    spark = session("local[2]", driver_memory=config.engine.spark_driver_memory)
    ready = time.perf_counter()
    articles, _ = read_clean(spark, shards, config)
    groups, _ = group_articles(spark, articles, config)
    seconds = time.perf_counter() - ready
    startup = ready - start
    spark.stop()
    phases = {{}}
else:
    startup = 0.0
    from storydesk.pipeline import prepare
    ended = {{}}  # stage -> seconds from the start to its last progress report (done == total)
    def progress(stage, done, total):
        if total and done == total:
            ended[stage] = time.perf_counter() - start
    groups, _ = prepare(shards, config, progress=progress)
    seconds = time.perf_counter() - start
    phases = {{stage: round(at, 1) for stage, at in ended.items()}}
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB; reading workers, once joined
print(json.dumps({{"seconds": seconds, "startup": startup, "stories": len(groups), "rss_mib": peak / 1024,
                  "child_rss_mib": child / 1024, "phases": phases}}))
"""
    return _in_child(code)


def _in_child(code: str) -> dict[str, Any]:
    """The JSON line a fresh Python process running `code` prints last, or why it failed (its exit status
    and last line of error output)."""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if proc.returncode != 0:  # one failed size or engine must not lose the rows measured before it
        reason = next((line for line in reversed(proc.stderr.splitlines()) if line.strip()), "no output")
        return {"failed": f"exit {proc.returncode}: {reason.strip()[:300]}"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def measure_full(engine: str, shards: list[str]) -> dict[str, Any]:
    """The whole pipeline as a user runs it, `storydesk run SHARDS --no-store --quiet --engine ENGINE`
    (stories analysed, the three files written), in a child process: seconds, stories, the child's own
    peak RSS, and the largest of its workers (analysis workers included). Spark's session start is inside
    the seconds here."""
    code = f"""
import json, resource, tempfile, time
from typer.main import get_command
from storydesk.cli import app
with tempfile.TemporaryDirectory() as out:
    start = time.perf_counter()
    get_command(app).main(["run", *{shards!r}, "--no-store", "--quiet", "--engine", {engine!r},
                           "--out", out], standalone_mode=False)
    seconds = time.perf_counter() - start
    stories = len(json.load(open(out + "/stories.json", encoding="utf-8"))["stories"])
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({{"seconds": seconds, "startup": 0.0, "stories": stories, "rss_mib": peak / 1024,
                  "child_rss_mib": child / 1024}}))
"""
    return _in_child(code)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--engines", nargs="+", default=["local", "spark"], choices=["local", "spark"])
    parser.add_argument("--out", type=Path, default=ROOT / ".bench" / "scale.json")
    parser.add_argument("--full", type=int, nargs="*", default=[], metavar="SIZE",
                        help="also time the whole `storydesk run` (analysis and reports) at these sizes")
    args = parser.parse_args()
    rows = []
    print(f"load average {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)")
    print("| articles | engine | seconds | articles/s | stories | peak RSS MiB (Python driver) "
          "| largest worker MiB | start s |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    plan = [(n, "prepare") for n in args.sizes] + [(n, "full") for n in args.full]
    for n, stage in plan:
        with tempfile.TemporaryDirectory() as tmp:
            shards = write_corpus(Path(tmp), n)
            for engine in args.engines:
                started = time.time()
                found = (measure_full if stage == "full" else measure)(engine, shards)
                row = {"articles": n, "engine": engine, "stage": stage, **found,
                       "load": os.getloadavg()[0], "started": started}
                rows.append(row)
                label = engine if stage == "prepare" else f"{engine}, whole `storydesk run`"
                if "failed" in found:
                    print(f"| {n:,} | {label} | failed: {found['failed']} | | | | | |", flush=True)
                    continue
                print(f"| {n:,} | {label} | {found['seconds']:.1f} | {n / found['seconds']:,.0f} | "
                      f"{found['stories']:,} | {found['rss_mib']:,.0f} | {found['child_rss_mib']:,.0f} | "
                      f"{found['startup']:.1f} |",
                      flush=True)
                if found.get("phases"):  # in-process: when each stage ended, in seconds from the start
                    ends = ", ".join(f"{k} {v:,.0f} s" for k, v in found["phases"].items())
                    print(f"|  | stages ended at | {ends} | | | | | |", flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    print(f"load average after {os.getloadavg()[0]:.2f}; peak RSS of this parent "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")


if __name__ == "__main__":
    main()
