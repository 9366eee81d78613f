"""`make bench`: seconds and peak memory of the large hostile inputs (scripts/hostile_corpus.py --large), each
run alone beside the good report as a user would: `storydesk run good.txt CASE --no-store --quiet`.

Prints one row a case (outcome, seconds, peak RSS of the process) and writes .bench/hostile.json. The goal
(issue #11): no case over 60 s or 2 GB, none aborts the run.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).with_name("storydesk")


def _corpus():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("hostile_corpus", ROOT / "scripts" / "hostile_corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["hostile_corpus"] = module
    spec.loader.exec_module(module)
    return module


def _html_page(path: Path, paragraphs: int) -> Path:
    """A large web page of nested layout and many paragraphs (the corpus's own words), ~2.7 MB."""
    corpus = _corpus()
    rows = "".join(f"<div class='row r{i}'><div class='col'><p>{corpus.OTHER} Paragraph {i}.</p></div></div>"
                   for i in range(paragraphs))
    path.write_text(f"<html><head><title>Concert</title></head><body><article>{rows}</article></body></html>")
    return path


def _measure(args: list[str], out: Path) -> tuple[int, float, float, dict]:
    """Exit code, wall seconds and peak RSS (MiB) of one `storydesk run`, and its stories.json."""
    start = time.perf_counter()
    proc = subprocess.Popen([str(BIN), "run", *args, "--out", str(out), "--no-store", "--quiet"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    doc = json.loads((out / "stories.json").read_text()) if (out / "stories.json").exists() else {}
    return proc.returncode, seconds, usage.ru_maxrss / 1024, doc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="run only the cases whose name contains this")
    args = parser.parse_args()
    console = Console(width=180)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        cases = [c for c in _corpus().build(folder, large=True) if c.large]
        page = _html_page(folder / "large" / "page-2.7mb.html", 11_000)
        targets = [("good report alone (baseline)", "", "read"), *((c.name, c.arg, c.outcome) for c in cases),
                   ("large/page-2.7mb.html", str(page), "read")]
        for name, arg, expected in targets:
            if args.only and args.only not in name:
                continue
            out = Path(tmp) / name.replace("/", "_")
            code, seconds, rss, doc = _measure([str(folder / "good.txt"), *([arg] if arg else [])], out)
            read = any(a.get("path") == arg for s in doc.get("stories", []) for a in s["articles"])
            read |= any(c.get("path") == arg for s in doc.get("stories", []) for a in s["articles"]
                        for c in a.get("copies", []))
            rejected = [r["reason"] for r in doc.get("rejected", []) if r["path"] == arg]
            errors = [e["reason"] for s in doc.get("stories", []) for e in s.get("errors", [])]
            outcome = "read" if read or not arg else "rejected" if rejected else "lost"
            size = Path(arg).stat().st_size if arg else 0
            rows.append({"case": name, "bytes": size, "exit": code, "outcome": outcome, "expected": expected,
                         "reason": (rejected or errors or [""])[0],
                         "seconds": round(seconds, 1), "peak_rss_mib": round(rss)})
    table = Table(title=f"Large hostile inputs, one run each (load average {os.getloadavg()[0]:.1f})")
    for column in ("case", "bytes", "exit", "outcome", "seconds", "peak RSS MiB", "reason"):
        table.add_column(column, justify="right" if column in ("bytes", "exit", "seconds", "peak RSS MiB")
                         else "left")
    for r in rows:
        table.add_row(r["case"], f"{r['bytes']:,}", str(r["exit"]), r["outcome"], f"{r['seconds']:.1f}",
                      str(r["peak_rss_mib"]), r["reason"][:90])
    console.print(table)
    results = ROOT / ".bench" / "hostile.json"
    results.parent.mkdir(exist_ok=True)
    results.write_text(json.dumps({"load_average": os.getloadavg(), "cases": rows}, indent=1) + "\n")
    console.print(f"Results: {results}")


if __name__ == "__main__":
    main()
