"""`make bench` (service part): `storydesk serve` under load on loopback, bounded in time.

A real server process (uvicorn, one worker) over a SQLite store holding the sample corpus's stories; the
load comes from another process: Debian's wrk when installed (`apt-get install wrk`), else httpx async
clients in a spawned process (slower: on 2 cores it measures itself as much as the server). Phases:
1. story reads: 50 concurrent clients GET /api/v1/stories/{id} (ids in turn) for --seconds;
2. search: 50 concurrent clients GET /api/v1/search?q=... (words of the corpus in turn) for --seconds;
3. ingest: batches of synthetic reports POSTed one batch at a time (synchronous re-analysis included);
4. mixed: 50 readers (stories and search) and one writer posting batches, for --mixed-seconds, with the
   server's resident memory sampled every 5 s.
Prints requests/s, p50/p99 latency, errors and the server's own CPU time per request (user + system from
/proc, which other processes on the machine do not inflate) per phase, writes .bench/service.json.

`--against DIR` compares two versions in one run: DIR is another checkout (e.g. `git worktree add /tmp/old
main`) whose code a second server runs over a copy of the same store; the read phases run `--rounds` times,
old and new alternating, and the table shows each one's median, so a machine shared with other jobs
loads both alike.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "bench-token-0123456789abcdef"
WORDS = ["bridge", "fire", "warehouse", "trawler", "coach", "debate", "girder", "crew", "housing", "council",
         "ferry", "islet", "search", "mayor", "repairs"]
console = Console(width=140)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used (/proc/PID/stat fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def _load(url: str, paths: list[str], clients: int, seconds: float) -> dict[str, Any]:
    """`clients` concurrent loops GETting `paths` in turn for `seconds`: latencies and errors."""
    latencies: list[float] = []
    errors: list[str] = []
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as client:
        async def worker(offset: int) -> None:
            i = offset
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                try:
                    response = await client.get(paths[i % len(paths)])
                    await response.aread()
                    if response.status_code != 200:
                        errors.append(str(response.status_code))
                except httpx.HTTPError as error:
                    errors.append(type(error).__name__)
                latencies.append(time.perf_counter() - start)
                i += 1

        begin = time.perf_counter()
        await asyncio.gather(*(worker(k) for k in range(clients)))
        elapsed = time.perf_counter() - begin
    return _summary(latencies, errors, elapsed)


def _summary(latencies: list[float], errors: list[str], elapsed: float) -> dict[str, Any]:
    ordered = sorted(latencies) or [0.0]

    def ms(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 1)

    return {"requests": len(latencies), "seconds": round(elapsed, 1),
            "rps": round(len(latencies) / elapsed, 1), "p50_ms": ms(0.50), "p99_ms": ms(0.99),
            "errors": len(errors), "error_kinds": sorted(set(errors))[:5]}


def _load_process(url: str, paths: list[str], clients: int, seconds: float, out: Any) -> None:
    out.put(asyncio.run(_load(url, paths, clients, seconds)))


def wrk_load(url: str, paths: list[str], clients: int, seconds: float) -> dict[str, Any]:
    """Debian's wrk (C, one thread) GETting `paths` in turn over `clients` connections for `seconds`."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        listed = ", ".join(json.dumps(p) for p in paths)
        script.write(f"local paths = {{{listed}}}\nlocal i = 0\nrequest = function()\n  i = i + 1\n"
                     "  return wrk.format('GET', paths[(i % #paths) + 1])\nend\n")
    out = subprocess.run(["wrk", "-t1", f"-c{clients}", f"-d{int(seconds)}s", "--latency", "--timeout", "10s",
                          "-s", script.name, url], capture_output=True, text=True, check=True).stdout
    Path(script.name).unlink()
    value = lambda pattern: re.search(pattern, out)  # noqa: E731
    ms = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    def latency(pct: str) -> float:
        found = value(rf"\s{pct}%\s+([\d.]+)(us|ms|s)\b")
        return round(float(found.group(1)) * ms[found.group(2)], 1) if found else float("nan")
    requests = int(value(r"(\d+) requests in")[1])
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    bad = value(r"Non-2xx or 3xx responses: (\d+)")
    errors += int(bad[1]) if bad else 0
    return {"requests": requests, "seconds": seconds, "rps": float(value(r"Requests/sec:\s+([\d.]+)")[1]),
            "p50_ms": latency("50"), "p99_ms": latency("99"), "errors": errors, "generator": "wrk"}


def load_in_subprocess(url: str, paths: list[str], clients: int, seconds: float) -> dict[str, Any]:
    """Load from another process: wrk when installed, else httpx async clients in a spawned process."""
    if shutil.which("wrk"):
        return wrk_load(url, paths, clients, seconds)
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_load_process, args=(url, paths, clients, seconds, queue))
    proc.start()
    result = queue.get(timeout=seconds + 120)
    proc.join(timeout=30)
    return result


def ingest(url: str, batches: list[list[dict[str, Any]]], deadline: float) -> dict[str, Any]:
    """POST batches one after another until done or `deadline`: articles per second over HTTP."""
    headers = {"Authorization": f"Bearer {TOKEN}"}
    latencies, errors, articles = [], [], 0
    begin = time.perf_counter()
    with httpx.Client(base_url=url, timeout=300, headers=headers) as client:
        for batch in batches:
            if time.perf_counter() > deadline:
                break
            start = time.perf_counter()
            response = client.post("/api/v1/articles", json=batch)
            latencies.append(time.perf_counter() - start)
            if response.status_code != 200:
                errors.append(str(response.status_code))
            else:
                articles += len(response.json()["articles"])
    elapsed = time.perf_counter() - begin
    result = _summary(latencies, errors, elapsed)
    result.update(articles=articles, articles_per_s=round(articles / elapsed, 2), batch=len(batches[0]))
    return result


PHASES = ("reads", "search", "ingest", "mixed")


@contextlib.contextmanager
def serving(db: Path, src: Path) -> Iterator[tuple[str, int]]:
    """`storydesk serve` over `db` running the code of checkout `src`: (its URL, its pid)."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "STORYDESK_TOKEN": TOKEN, "PYTHONPATH": str(src)}
    server = subprocess.Popen([str(Path(sys.executable).with_name("storydesk")), "serve", "--db", str(db),
                               "--port", str(port)], env=env)
    try:
        for _ in range(600):
            try:
                if httpx.get(url + "/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"storydesk serve ({src}) did not answer within 60 s")
        yield url, server.pid
    finally:
        server.terminate()
        server.wait(timeout=30)


def read_phase(url: str, pid: int, paths: list[str], args: argparse.Namespace) -> dict[str, Any]:
    """One read phase, with the server's CPU time per request and its memory before and after."""
    cpu, rss = _cpu_seconds(pid), _rss_mib(pid)
    result = load_in_subprocess(url, paths, args.clients, args.seconds)
    result["cpu_ms_per_request"] = round((_cpu_seconds(pid) - cpu) * 1000 / max(1, result["requests"]), 3)
    result["rss_mib"] = [round(rss, 1), round(_rss_mib(pid), 1)]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description="storydesk serve under load (loopback only)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--mixed-seconds", type=float, default=60)
    parser.add_argument("--ingest-seconds", type=float, default=60)
    parser.add_argument("--batch", type=int, default=10)
    parser.add_argument("--phases", default=",".join(PHASES), help=f"some of {','.join(PHASES)}")
    parser.add_argument("--against", type=Path, help="another checkout to compare with (read phases)")
    parser.add_argument("--rounds", type=int, default=3, help="old/new alternations with --against")
    parser.add_argument("--out", type=Path, default=ROOT / ".bench" / "service.json")
    args = parser.parse_args()
    phases = [p for p in args.phases.split(",") if p]
    if unknown := set(phases) - set(PHASES):
        parser.error(f"unknown phases: {', '.join(sorted(unknown))}")
    sys.path.insert(0, str(ROOT / "bench"))
    from storydesk.pipeline import run
    from storydesk.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite"
        stories = run([str(ROOT / "examples" / "corpus")]).stories
        Store(db).save_stories(stories)
        story_paths = [f"/api/v1/stories/{s.id}" for s in stories]
        search_paths = [f"/api/v1/search?q={w}" for w in WORDS]
        results: dict[str, Any] = {"machine": {"cpus": os.cpu_count()}, "clients": args.clients,
                                   "load_average_start": os.getloadavg()}
        if args.against:
            old_db = Path(tmp) / "old.sqlite"
            shutil.copyfile(db, old_db)
            results["comparison"] = compare(
                {"old": (old_db, args.against.resolve()), "new": (db, ROOT)},
                {"reads": story_paths, "search": search_paths},
                [p for p in phases if p in ("reads", "search")], args)
        else:
            with serving(db, ROOT) as (url, pid):
                results["rss_start_mib"] = round(_rss_mib(pid), 1)
                if "reads" in phases:
                    results["story_reads"] = read_phase(url, pid, story_paths, args)
                if "search" in phases:
                    results["search"] = read_phase(url, pid, search_paths, args)
                batches = writes_to_send(args) if {"ingest", "mixed"} & set(phases) else []
                if "ingest" in phases:
                    results["ingest"] = ingest(url, batches, time.perf_counter() + args.ingest_seconds)
                if "mixed" in phases:
                    results["mixed"] = mixed(url, story_paths + search_paths, batches[len(batches) // 2:],
                                             args, pid)
        results["load_average_end"] = os.getloadavg()
    report(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    console.print(f"Results: {args.out}")


def writes_to_send(args: argparse.Namespace) -> list[list[dict[str, Any]]]:
    """Batches of synthetic reports (bench.py's generator over real texts)."""
    from bench import source_texts, synthetic_records

    records = synthetic_records(4000, source_texts())
    return [records[i:i + args.batch] for i in range(0, len(records), args.batch)]


def compare(versions: dict[str, tuple[Path, Path]], paths: dict[str, list[str]], phases: list[str],
            args: argparse.Namespace) -> dict[str, Any]:
    """Each read phase `--rounds` times per version, versions alternating; every run and the medians."""
    runs: dict[str, dict[str, list[dict[str, Any]]]] = {v: {p: [] for p in phases} for v in versions}
    for _ in range(args.rounds):
        for name, (db, src) in versions.items():
            with serving(db, src) as (url, pid):
                for phase in phases:
                    runs[name][phase].append(read_phase(url, pid, paths[phase], args))
    medians = {
        name: {
            phase: {key: statistics.median(r[key] for r in found)
                    for key in ("rps", "p50_ms", "p99_ms", "cpu_ms_per_request", "errors")}
            for phase, found in by_phase.items()
        }
        for name, by_phase in runs.items()
    }
    return {"rounds": args.rounds, "against": str(args.against), "medians": medians, "runs": runs}


def mixed(url: str, paths: list[str], batches: list, args: argparse.Namespace, pid: int) -> dict[str, Any]:
    """Readers in a subprocess while this process writes, both for --mixed-seconds; memory sampled."""
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(1)
    reading = pool.submit(load_in_subprocess, url, paths, args.clients, args.mixed_seconds)
    deadline = time.perf_counter() + args.mixed_seconds
    memory = [round(_rss_mib(pid), 1)]
    writes = {"requests": 0, "errors": 0, "articles": 0}
    headers = {"Authorization": f"Bearer {TOKEN}"}
    next_sample = time.perf_counter() + 5
    with httpx.Client(base_url=url, timeout=300, headers=headers) as client:
        for batch in batches:
            if time.perf_counter() > deadline:
                break
            response = client.post("/api/v1/articles", json=batch)
            writes["requests"] += 1
            writes["errors"] += response.status_code != 200
            writes["articles"] += len(batch)
            while time.perf_counter() > next_sample:
                memory.append(round(_rss_mib(pid), 1))
                next_sample += 5
    while time.perf_counter() < deadline:
        time.sleep(min(5, max(0.0, deadline - time.perf_counter())))
        memory.append(round(_rss_mib(pid), 1))
    reads = reading.result(timeout=args.mixed_seconds + 120)
    pool.shutdown()
    return {"reads": reads, "writes": writes, "rss_mib": memory}


def report(results: dict[str, Any]) -> None:
    if "comparison" in results:
        report_comparison(results)
        return
    table = Table(title=f"storydesk serve on loopback, {results['clients']} concurrent clients",
                  title_justify="left")
    for col in ("phase", "requests", "req/s", "p50 ms", "p99 ms", "errors", "CPU ms/req", "note"):
        table.add_column(col, justify="left" if col in ("phase", "note") else "right")
    rows = [("GET /api/v1/stories/{id}", results.get("story_reads"), ""),
            ("GET /api/v1/search?q=", results.get("search"), "")]
    if "ingest" in results:
        ingested = results["ingest"]
        rows.append(("POST /api/v1/articles", ingested,
                     f"{ingested['articles_per_s']} articles/s, batches of {ingested['batch']}"))
    if "mixed" in results:
        rows.append(("mixed: reads", results["mixed"]["reads"], ""))
    for name, r, note in rows:
        if r is None:
            continue
        if "rss_mib" in r:
            note = f"RSS {r['rss_mib'][0]} → {r['rss_mib'][1]} MiB"
        table.add_row(name, f"{r['requests']:,}", f"{r['rps']:,}", f"{r['p50_ms']}", f"{r['p99_ms']}",
                      str(r["errors"]), str(r.get("cpu_ms_per_request", "")), note)
    if "mixed" in results:
        w = results["mixed"]["writes"]
        table.add_row("mixed: writes", f"{w['requests']:,}", "", "", "", str(w["errors"]), "",
                      f"{w['articles']} articles")
    console.print(table)
    if "mixed" in results:
        console.print(f"Server memory (RSS MiB): start {results['rss_start_mib']}, during the mixed run "
                      f"{results['mixed']['rss_mib']}")
    _print_load(results)


def report_comparison(results: dict[str, Any]) -> None:
    comparison = results["comparison"]
    title = (f"old ({comparison['against']}) vs new, medians of {comparison['rounds']} alternating rounds, "
             f"{results['clients']} concurrent clients")
    table = Table(title=title, title_justify="left")
    for col in ("phase", "version", "req/s", "p50 ms", "p99 ms", "CPU ms/req", "errors", "runs (req/s)"):
        table.add_column(col, justify="left" if col in ("phase", "version", "runs (req/s)") else "right")
    for phase in next(iter(comparison["medians"].values())):
        for name, by_phase in comparison["medians"].items():
            m = by_phase[phase]
            runs = ", ".join(str(r["rps"]) for r in comparison["runs"][name][phase])
            table.add_row(phase, name, f"{m['rps']:,}", f"{m['p50_ms']}", f"{m['p99_ms']}",
                          f"{m['cpu_ms_per_request']}", str(m["errors"]), runs)
    console.print(table)
    _print_load(results)


def _print_load(results: dict[str, Any]) -> None:
    start, end = (", ".join(f"{x:.2f}" for x in results[f"load_average_{k}"]) for k in ("start", "end"))
    console.print(f"Load average (1, 5, 15 min): {start} at the start, {end} at the end")


if __name__ == "__main__":
    main()
