"""Record golden outputs of the product's commands, to show a refactoring changed nothing.

Usage: .venv/bin/python scripts/golden.py OUT_DIR [--clusters 40]
       diff -r OLD_DIR NEW_DIR

Runs only the CLI (the contract that must survive a redesign): `storydesk run` on the sample corpus and on
../shared/seeds (stories.json without its timestamp), `storydesk brief --format json` at 300 and 100 words on
the first Multi-News dev clusters written out as one file a document, and `storydesk eval stories` on ECB+
dev. Third-party text stays in OUT_DIR, which must lie outside the repository.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
STORYDESK = [str(Path(sys.executable).parent / "storydesk")]


def _run(args: list[str], **kwargs) -> str:
    done = subprocess.run([*STORYDESK, *args], capture_output=True, text=True, check=True, **kwargs)
    return done.stdout


def _stories(inputs: Path, out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _run(["run", str(inputs), "--out", tmp, "--no-store", "--quiet"])
        doc = json.loads((Path(tmp) / "stories.json").read_text(encoding="utf-8"))
    doc.pop("generated_at", None)
    out.write_text(json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _briefs(clusters: int, out: Path) -> None:
    rows = []
    with (SHARED / "eval" / "multinews" / "validation.jsonl").open(encoding="utf-8") as handle:
        for n, line in zip(range(clusters), handle, strict=False):
            docs = [d for d in json.loads(line)["documents"] if d.strip()]
            with tempfile.TemporaryDirectory() as tmp:
                files = []
                for i, text in enumerate(docs):
                    path = Path(tmp) / f"{i:02d}.txt"
                    path.write_text(text, encoding="utf-8")
                    files.append(str(path))
                for words in (300, 100):
                    brief = json.loads(_run(["brief", "--max-words", str(words), "--format", "json", *files]))
                    rows.append({"cluster": n, "max_words": words, "brief": brief["brief"]})
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--clusters", type=int, default=40)
    args = parser.parse_args()
    out = args.out.resolve()
    if out.is_relative_to(ROOT):
        parser.error("OUT_DIR must lie outside the repository (it holds third-party text)")
    out.mkdir(parents=True, exist_ok=True)
    _stories(ROOT / "examples" / "corpus", out / "corpus.stories.json")
    if (SHARED / "seeds").is_dir():
        _stories(SHARED / "seeds", out / "seeds.stories.json")
    if (SHARED / "eval").is_dir():
        _briefs(args.clusters, out / "multinews.briefs.jsonl")
        table = _run(["eval", "stories", str(SHARED / "eval" / "ecbplus" / "dev.jsonl")], env={
            "COLUMNS": "200", "PATH": "/usr/bin:/bin"})
        # the seconds column varies from run to run: keep only the quality columns
        lines = [" ".join(line.split()[:-2]) for line in table.splitlines() if "│" in line]
        (out / "ecbplus.bcubed.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"golden outputs in {out}")


if __name__ == "__main__":
    main()
