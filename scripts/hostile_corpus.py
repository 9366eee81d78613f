"""A corpus of hostile inputs, each with the outcome storydesk must give it (issue #11), beside a good report.

Usage: .venv/bin/python scripts/hostile_corpus.py OUT_DIR [--large]

Every text here is written for this corpus (no third-party text). `build(folder)` writes the cases and
returns them; each names the argument to pass to `storydesk run`, the outcome ("read", "rejected" or
"skipped") and, for a rejection, the start of its reason. The reports read are checked for what they must
read as (`expect_text`, never `forbid_text`). `--large` adds the slow cases the benchmark measures
(bench/hostile.py): one-line texts of 300 KB and 1.2 MB, an HTML tag of 100,000 attributes, a 1,000,000
character sentence.
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Outcome = Literal["read", "rejected", "skipped"]

#: A report of the good story: it must make its own story whatever stands beside it.
GOOD = """Harbour bridge reopens after repairs

The Lindqvist harbour bridge reopened to traffic on Tuesday after eight months of repairs, the city
transport office said. Engineers replaced 40 steel cables and resurfaced the deck at a cost of 12 million
euros, according to the office. Mayor Ana Ferreira said the bridge would carry about 30,000 vehicles a day.
Cyclists will get a separate lane from next month, officials said.
"""
#: Words of the hostile reports that must be read: a different event, so they do not join the good story.
OTHER = ("The village orchestra played its spring concert in the old mill on Sunday, the organisers said. "
         "About 200 people came and the choir sang four songs, a spokesman told reporters.")
LATIN = "Visitors from São Paulo ate crème brûlée at the café, and Zoë said the naïve plan worked."


@dataclass
class Case:
    """One hostile input: the argument given to storydesk, what must become of it, and why."""

    name: str
    arg: str
    outcome: Outcome
    #: For "rejected" and "skipped": the reason must start with this.
    reason: str = ""
    #: For "read": strings the article's text or title must contain, and strings they must not.
    expect_text: list[str] = field(default_factory=list)
    forbid_text: list[str] = field(default_factory=list)
    #: Whether the case is one of the large ones (time and memory, not in the tests).
    large: bool = False


def _record(**fields: object) -> str:
    return json.dumps(fields, ensure_ascii=True)


def _write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def build(folder: Path, *, large: bool = False) -> list[Case]:
    """Write the corpus under `folder` (good.txt and one entry a case) and return its cases."""
    folder.mkdir(parents=True, exist_ok=True)
    _write(folder / "good.txt", GOOD)
    cases: list[Case] = []

    def add(name: str, data: bytes | str, outcome: Outcome, reason: str = "", **kw: object) -> None:
        path = _write(folder / name, data)
        cases.append(Case(name, str(path), outcome, reason, **kw))  # type: ignore[arg-type]

    add("deep.json", "[" * 100_000 + "]" * 100_000, "rejected", "invalid JSON (nested too deeply)")
    add("deep-object.jsonl", '{"a":' * 50_000 + "1" + "}" * 50_000 + "\n", "rejected",
        "invalid JSON (nested too deeply)")
    add("digits.jsonl", f'{{"text": {json.dumps(OTHER)}, "n": {"9" * 5000}}}\n', "read")
    add("surrogate-text.jsonl", _record(text="Lone \ud800 half. " + OTHER) + "\n", "read",
        forbid_text=["\ud800"])
    add("surrogate-title.json", _record(title="Concert \udfff news", text=OTHER), "read",
        expect_text=["Concert"], forbid_text=["\udfff"])
    add("year-0001.json", _record(published="0001-01-01", text=OTHER + " It will return next year."), "read")
    add("year-9999.json", _record(published="9999-12-31", text=OTHER + " It will return next year."), "read")
    add("rich-markup.json", _record(title="Concert [/] [link=https://evil.example]review[/link] [bold]",
                                    text=OTHER), "read", expect_text=["[/]", "[link=https://evil.example]"])
    add("ansi-title.json", _record(title="Concert \x1b[2J\x1b]0;owned\x07 review", text=OTHER), "read",
        forbid_text=["\x1b", "\x07"])
    add("nul-in-string.json", _record(text="Null\x00 byte. " + OTHER), "read", forbid_text=["\x00"])
    add("bidi-title.json", _record(title="Concert \u202etxt.exe\u202c review", text=OTHER), "read")
    add("markdown-html.json", _record(
        title="Concert <script>alert(1)</script> [x](javascript:alert(1))",
        text=OTHER + " <img src=x onerror=alert(1)> [click](javascript:alert(2)) <b>bold</b>"), "read")
    add("csv-formula.json", _record(title="=HYPERLINK(\"https://evil.example\",\"x\")", text=OTHER), "read")
    curly = "The mayor’s “plan” — a bridge – was approved, officials said on Monday in the town hall."
    add("utf8-stray-byte.txt", curly.encode("utf-8") + b"\xff\n", "read", expect_text=["mayor’s “plan” —"],
        forbid_text=["‚Äô", "â€"])
    add("utf8-stray-middle.txt", curly.encode("utf-8").replace(b"bridge", b"bri\x80dge"), "read",
        expect_text=["“plan”", "bri\ufffddge"])
    add("latin-1.txt", LATIN.encode("latin-1"), "read", expect_text=["São Paulo", "crème brûlée", "Zoë"],
        forbid_text=["Să", "crč"])
    add("cp1252.txt", curly.encode("cp1252"), "read", expect_text=["mayor’s “plan” —"])
    add("utf16-le-bom.txt", LATIN.encode("utf-16"), "read", expect_text=["São Paulo"])
    add("utf16-le.txt", LATIN.encode("utf-16-le"), "read", expect_text=["São Paulo"])
    add("utf16-be.txt", LATIN.encode("utf-16-be"), "read", expect_text=["São Paulo"])
    add("binary.txt", b"\x00\x01\x02\x03" * 100, "rejected", "binary file")
    add("png.html", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "rejected", "binary file (PNG image)")
    add("empty-array.json", "[]", "rejected", "empty JSON array (no records)")
    add("empty.jsonl", "", "rejected", "empty input (no JSONL records)")
    add("blank-lines.jsonl", "\n\n  \n", "rejected", "empty input (no JSONL records)")
    add("empty.txt", "", "rejected", "empty file")
    add("not-objects.json", "[1, null]", "rejected", "not a JSON object")
    add("string.json", '"just a string"', "rejected", "not a JSON object (found str)")
    add("no-text.json", _record(title="Only a title"), "rejected", "JSON object has no 'text' or 'html'")
    add("bad-line.jsonl", "{oops\n", "rejected", "invalid JSON")
    add("control-only.txt", "\x01\x02\x03 \x04\x05", "rejected", "binary file (mostly non-text")
    add("bad-date.json", _record(published="99999-99-99", text=OTHER), "read")
    add("huge-word.txt", "Concert " + "x" * 5000 + " " + OTHER, "read")
    add("one-line-50k.txt", ("the orchestra played and the choir sang " * 1250).strip(), "read")
    add("attributes.html", "<html><body><p " + " ".join(f"a{i}='v'" for i in range(2000)) + f">{OTHER}</p>"
        "</body></html>", "read")
    add("too-large.txt", "word " * 1_100_000, "rejected", "file too large")
    add("name\x1b[2J.txt", OTHER + " Escape in the file name.", "read")

    # What a folder walk reaches: links, pipes and hidden entries, each listed.
    walk = folder / "walk"
    walk.mkdir()
    _write(walk / "fine.txt", OTHER + " Inside the folder.")
    os.symlink(walk / "missing.txt", walk / "dangling.txt")
    os.symlink(walk / "loop-b.txt", walk / "loop-a.txt")
    os.symlink(walk / "loop-a.txt", walk / "loop-b.txt")
    os.symlink(walk, walk / "back-to-walk")
    os.mkfifo(walk / "pipe.txt")
    _write(walk / ".hidden.txt", OTHER + " Hidden file.")
    _write(walk / ".hidden-folder" / "inside.txt", OTHER + " Hidden folder.")
    cases += [
        Case("walk/fine.txt", str(walk / "fine.txt"), "read"),
        Case("walk/dangling.txt", str(walk / "dangling.txt"), "rejected", "dangling symbolic link"),
        Case("walk/loop-a.txt", str(walk / "loop-a.txt"), "rejected", "symbolic link loop"),
        Case("walk/loop-b.txt", str(walk / "loop-b.txt"), "rejected", "symbolic link loop"),
        Case("walk/back-to-walk", str(walk / "back-to-walk"), "rejected", "symbolic link loop"),
        Case("walk/pipe.txt", str(walk / "pipe.txt"), "rejected", "not a regular file (a named pipe"),
        Case("walk/.hidden.txt", str(walk / ".hidden.txt"), "skipped", "skipped: hidden file"),
        Case("walk/.hidden-folder", str(walk / ".hidden-folder"), "skipped", "skipped: hidden folder"),
    ]
    os.mkfifo(folder / "direct-pipe.jsonl")
    cases.append(Case("direct-pipe.jsonl", str(folder / "direct-pipe.jsonl"), "rejected",
                      "not a regular file (a named pipe"))
    cases.append(Case("missing.txt", str(folder / "missing.txt"), "rejected", "no such file or directory"))
    if large:
        cases += _large(folder)
    return cases


def _large(folder: Path) -> list[Case]:
    """The slow cases: long one-line texts, a tag of many attributes, an over-long sentence."""
    line = ("the orchestra played a long program and the choir sang while the audience listened "
            "in the old mill ")
    makers: list[tuple[str, Callable[[], str], Outcome, str]] = [
        ("one-line-300k.txt", lambda: (line * (300_000 // len(line))).strip(), "read", ""),
        ("one-line-1200k.txt", lambda: (line * (1_200_000 // len(line))).strip(), "rejected",
         "text too long"),
        ("sentence-1m.txt", lambda: "Concert " + ("la " * 340_000) + "end.", "rejected", "text too long"),
        ("attributes-100k.html", lambda: "<html><body><p " + " ".join(f"a{i}='v'" for i in range(100_000))
         + f">{OTHER}</p></body></html>", "read", ""),
    ]
    cases = []
    for name, make, outcome, reason in makers:
        path = _write(folder / "large" / name, make())
        cases.append(Case(f"large/{name}", str(path), outcome, reason, large=True))
    return cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--large", action="store_true", help="add the slow cases (benchmark)")
    args = parser.parse_args()
    cases = build(args.out, large=args.large)
    manifest = [{"name": c.name, "arg": c.arg, "outcome": c.outcome, "reason": c.reason} for c in cases]
    (args.out / ".cases.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    print(f"{len(cases)} cases in {args.out}")


if __name__ == "__main__":
    main()
