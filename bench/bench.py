"""`make bench`: speed and memory of every stage, on synthetic corpora and real Multi-News clusters.

Prints Rich tables and writes .bench/results.json. Timings are wall-clock seconds on one process (one core),
except dedup + grouping, timed as `storydesk run` does it (`pipeline.group_cleaned`: from `[engine]
group_workers_from` reports, worker processes sketch, check copies and featurise; "dedup" ends when the
copies are known); peak memory is this process's Python heap peak during the stage (tracemalloc, measured
in a second, untimed pass; the workers' memory is not in it).

Synthetic corpus: stories are made by mixing the sentences of two real documents (Multi-News from
../shared/eval when present, else the bundled examples/), then each story's articles take a random subset of
its sentences, some with a changed number or a dropped word; one article in six is a near-duplicate copy.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from storydesk.clean import clean_article
from storydesk.config import BriefConfig
from storydesk.ingest import read_inputs
from storydesk.model import Article
from storydesk.pipeline import group_cleaned
from storydesk.text import sentences

# The brief, spaCy and the evaluation's scorers are imported where they are used: the grouping workers
# that `group_cleaned` spawns import this module again, and with them it took 3 s instead of 0.5 s.

ROOT = Path(__file__).resolve().parents[1]
MULTINEWS = ROOT.parent / "shared" / "eval" / "multinews" / "validation.jsonl"
console = Console(width=160)


def source_texts() -> list[str]:
    """Real news texts to build synthetic stories from."""
    from storydesk_eval.summaries import read_clusters

    if MULTINEWS.exists():
        return [
            a.text for articles, _ in read_clusters(MULTINEWS) for a in articles if len(a.text.split()) > 150
        ]
    articles, _ = read_inputs([str(ROOT / "examples")])
    return [a.text for a in articles]


def synthetic_records(n: int, texts: list[str], seed: int = 7) -> list[dict[str, Any]]:
    """`n` JSONL records grouped into stories of about five reports each."""
    return list(itertools.islice(iter_synthetic_records(texts, seed), n))


def iter_synthetic_records(texts: list[str], seed: int = 7) -> Iterator[dict[str, Any]]:
    """The records of `synthetic_records`, one at a time and without end, so a corpus of any size is
    written without being held."""
    rng = random.Random(seed)
    pool = [[s.text for s in sentences(t)] for t in texts]
    made = story = 0
    last: dict[str, Any] | None = None
    while True:
        a, b = rng.sample(range(len(pool)), 2)
        sents = pool[a] + pool[b][: max(1, len(pool[b]) // 3)]
        day = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(600))
        for _ in range(rng.randint(3, 7)):
            if last is not None and rng.random() < 1 / 6:
                last = dict(last, outlet=f"Outlet {rng.randrange(50)}")
            else:
                share = rng.uniform(0.5, 0.9)
                chosen = sorted(rng.sample(range(len(sents)), max(1, int(len(sents) * share))))
                body = [_perturb(sents[i], rng) for i in chosen]
                last = {
                    "title": f"Report {story}-{made}",
                    "outlet": f"Outlet {rng.randrange(50)}",
                    "published": (day + dt.timedelta(days=rng.randrange(10))).isoformat(),
                    "text": "\n\n".join(" ".join(body[i : i + 3]) for i in range(0, len(body), 3)),
                }
            made += 1
            yield last
        story += 1


def _perturb(sentence: str, rng: random.Random) -> str:
    words = sentence.split()
    if len(words) > 8 and rng.random() < 0.2:
        del words[rng.randrange(len(words))]
    if rng.random() < 0.1:
        words = [str(rng.randint(2, 99)) if w.isdigit() else w for w in words]
    return " ".join(words)


def measure(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    """(result, seconds, peak MiB): timed once untraced, then once under tracemalloc for memory."""
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, seconds, peak / 2**20


def analyse(groups: list[list[Article]]) -> None:
    """Everything the pipeline does per story: brief, spaCy parse, entities, dating, facts, timeline."""
    from storydesk.analysis.story import analyse_story

    for group in groups:
        analyse_story(group)


def bench_size(n: int, texts: list[str], analysis_cap: int) -> list[dict[str, Any]]:
    """One row a stage for a corpus of `n` articles; the spaCy stage runs on at most `analysis_cap`."""
    from storydesk.analysis.brief import summarize

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.jsonl"
        path.write_text(
            "\n".join(json.dumps(r) for r in synthetic_records(n, texts)) + "\n", encoding="utf-8"
        )
        (raw, _), t_ingest, m_ingest = measure(lambda: read_inputs([str(path)]))
    cleaned, t_clean, m_clean = measure(lambda: [clean_article(a) for a in raw])
    ended: dict[str, float] = {}  # stage -> seconds from the start of the first (timed) grouping

    def progress(stage: str, done: int, total: int) -> None:
        if total and done == total:
            ended.setdefault(stage, time.perf_counter() - start)

    start = time.perf_counter()
    stories, t_grouping, m_grouping = measure(lambda: group_cleaned(cleaned, progress=progress))
    groups = [list(story) for story in stories]
    unique = [article for group in groups for article in group]
    t_dedup = ended["dedup"]
    t_group = t_grouping - t_dedup
    _, t_brief, m_brief = measure(lambda: [summarize(g, BriefConfig(max_words=120)) for g in groups])
    sample: list[list[Article]] = []
    for group in groups:
        if sum(len(g) for g in sample) >= analysis_cap:
            break
        sample.append(group)
    n_sample = sum(len(g) for g in sample)
    _, t_analysis, m_analysis = measure(lambda: analyse(sample))
    rows = [
        ("ingest (JSONL)", n, t_ingest, m_ingest),
        ("clean", n, t_clean, m_clean),
        ("dedup", len(cleaned), t_dedup, m_grouping),
        ("group stories", len(unique), t_group, m_grouping),
        ("dedup + group", len(cleaned), t_grouping, m_grouping),
        ("brief (120 words)", len(unique), t_brief, m_brief),
        ("story analysis (spaCy stages)", n_sample, t_analysis, m_analysis),
    ]
    per_article_analysis = t_analysis / max(n_sample, 1)
    total = t_ingest + t_clean + t_dedup + t_group + per_article_analysis * len(unique)  # includes briefs
    rows.append(("whole pipeline", n, total, max(r[3] for r in rows)))
    return [
        {
            "corpus": n,
            "stage": name,
            "articles": count,
            "seconds": round(seconds, 3),
            "articles_per_s": round(count / seconds, 1) if seconds else None,
            "peak_mib": round(peak, 1),
            "stories": len(groups),
            "note": (
                f"spaCy stage measured on {n_sample} articles, extrapolated to {len(unique)}"
                if name == "whole pipeline" and n_sample < len(unique)
                else ""
            ),
        }
        for name, count, seconds, peak in rows
    ]


def bench_briefs(n_clusters: int) -> dict[str, Any]:
    """Median ms per Multi-News cluster: storydesk's brief vs sumy LexRank, same clusters, same process."""
    from storydesk.analysis.brief import summarize
    from storydesk_eval.baselines import BASELINES
    from storydesk_eval.summaries import read_clusters

    clusters = [articles for articles, _ in read_clusters(MULTINEWS, limit=n_clusters)]
    timings: dict[str, list[float]] = {"storydesk": [], "sumy LexRank": []}
    for articles in clusters:
        for name, fn in (
            ("storydesk", lambda a=articles: summarize(a, BriefConfig(max_words=300))),
            ("sumy LexRank", lambda a=articles: BASELINES["lexrank"](a, 300)),
        ):
            start = time.perf_counter()
            fn()
            timings[name].append((time.perf_counter() - start) * 1000)
    medians = {name: statistics.median(ms) for name, ms in timings.items()}
    return {
        "clusters": len(clusters),
        "median_ms": {k: round(v, 2) for k, v in medians.items()},
        "speedup": round(medians["sumy LexRank"] / medians["storydesk"], 1),
    }


def bench_ten_article_brief(texts: list[str]) -> dict[str, Any]:
    """A 10-article brief in-process (vs sumy LexRank); `storydesk brief` on 10 files with process start."""
    from storydesk.analysis.brief import summarize
    from storydesk_eval.baselines import BASELINES

    articles = [clean_article(Article(id=f"d{i}", text=t)) for i, t in enumerate(texts[:10])]
    in_process, lexrank = [], []
    for _ in range(5):
        start = time.perf_counter()
        summarize(articles, BriefConfig(max_words=120))
        in_process.append(time.perf_counter() - start)
        start = time.perf_counter()
        BASELINES["lexrank"](articles, 120)
        lexrank.append(time.perf_counter() - start)
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for i, text in enumerate(texts[:10]):
            files.append(Path(tmp) / f"{i}.txt")
            files[-1].write_text(text, encoding="utf-8")
        cli = Path(sys.executable).with_name("storydesk")
        wall = []
        for _ in range(5):
            start = time.perf_counter()
            subprocess.run([str(cli), "brief", *map(str, files)], check=True, capture_output=True)
            wall.append(time.perf_counter() - start)
    return {
        "words_per_article": round(statistics.mean(len(t.split()) for t in texts[:10])),
        "in_process_median_s": round(statistics.median(in_process), 3),
        "sumy_lexrank_median_s": round(statistics.median(lexrank), 3),
        "speedup": round(statistics.median(lexrank) / statistics.median(in_process), 1),
        "cli_wall_median_s": round(statistics.median(wall), 3),
    }


def bench_story_analysis(texts: list[str], size: int = 25) -> dict[str, Any]:
    """Brief, entities, dating, facts and timeline of one `size`-article story (the fact-sheet speed goal)."""
    records = synthetic_records(size, texts, seed=11)
    articles = [
        clean_article(Article(id=str(i), text=r["text"], published=dt.date.fromisoformat(r["published"])))
        for i, r in enumerate(records)
    ]
    analyse([articles[:1]])  # load the spaCy model outside the timing
    wall, cpu = [], []
    for _ in range(3):
        start, start_cpu = time.perf_counter(), time.process_time()
        analyse([articles])
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return {
        "articles": size,
        "words": sum(len(a.text.split()) for a in articles),
        "median_wall_s": round(statistics.median(wall), 3),
        "median_cpu_s": round(statistics.median(cpu), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--clusters", type=int, default=100)
    parser.add_argument("--analysis-cap", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=ROOT / ".bench" / "results.json")
    args = parser.parse_args()

    texts = source_texts()
    results: dict[str, Any] = {"machine": _machine(), "stages": []}
    for n in args.sizes:
        results["stages"] += bench_size(n, texts, args.analysis_cap)
    table = Table(title="Stages (wall-clock; one process but dedup + group)", title_justify="left")
    for col in ("corpus", "stage", "articles", "seconds", "articles/s", "peak MiB", "note"):
        table.add_column(col, justify="left" if col in ("stage", "note") else "right")
    for row in results["stages"]:
        table.add_row(
            f"{row['corpus']:,}", row["stage"], f"{row['articles']:,}", f"{row['seconds']:.2f}",
            f"{row['articles_per_s']:,.0f}", f"{row['peak_mib']:.0f}", row["note"],
        )  # fmt: skip
    console.print(table)

    results["ten_article_brief"] = bench_ten_article_brief(texts)
    console.print("10-article brief:", results["ten_article_brief"])
    results["story_analysis"] = bench_story_analysis(texts)
    console.print("25-article story, all per-story stages:", results["story_analysis"])
    if MULTINEWS.exists():
        results["multinews_briefs"] = bench_briefs(args.clusters)
        console.print("Multi-News briefs (300 words):", results["multinews_briefs"])
    else:
        console.print("../shared/eval/multinews absent: brief vs sumy comparison skipped")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    console.print(f"Results: {args.out}")


def _machine() -> dict[str, Any]:
    import os
    import platform

    return {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()}


if __name__ == "__main__":
    main()
