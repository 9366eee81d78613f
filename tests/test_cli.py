"""The `storydesk` command as a user runs it: a real process, real files, a real SQLite database."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from storydesk.document import schema, validate_document
from storydesk.store import Store

BIN = Path(sys.executable).with_name("storydesk")


def storydesk(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN), *args], input=stdin, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture(scope="module")
def examples_run(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> tuple[Path, Path, str]:
    out = tmp_path_factory.mktemp("run")
    db = out / "store.sqlite"
    proc = storydesk("run", str(corpus_dir), "--out", str(out), "--db", str(db), "--quiet")
    assert proc.returncode == 0, proc.stderr
    return out, db, proc.stdout


def test_version() -> None:
    proc = storydesk("--version")
    assert proc.returncode == 0
    assert re.fullmatch(r"storydesk \d+\.\d+\.\d+\n", proc.stdout)


def test_run_writes_valid_report_and_says_where(examples_run: tuple[Path, Path, str]) -> None:
    out, _, stdout = examples_run
    report = out / "report.html"
    assert f"Report: {report.resolve()}" in stdout
    assert report.stat().st_size > 0 and (out / "report.md").stat().st_size > 0
    doc = json.loads((out / "stories.json").read_text(encoding="utf-8"))
    validate_document(doc)
    assert len(doc["stories"]) >= 4
    for story in doc["stories"]:
        assert story["brief"], story["title"]
        ids = {a["id"] for a in story["articles"]}
        assert all(set(s["sources"]) <= ids for s in story["brief"])


def test_second_run_stores_nothing_twice(examples_run: tuple[Path, Path, str], corpus_dir: Path) -> None:
    out, db, _ = examples_run
    before = Store(db).count()
    proc = storydesk("run", str(corpus_dir), "--out", str(out / "again"), "--db", str(db), "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert Store(db).count() == before
    assert before[0] > 0 and before[1] > 0


def test_stories_facts_and_timeline_read_the_store(examples_run: tuple[Path, Path, str]) -> None:
    out, db, _ = examples_run
    doc = json.loads((out / "stories.json").read_text(encoding="utf-8"))
    listing = storydesk("stories", "--db", str(db))
    assert listing.returncode == 0
    for story in doc["stories"]:
        assert story["id"] in listing.stdout
    first = doc["stories"][0]
    for command in ("facts", "timeline"):
        proc = storydesk(command, first["id"], "--db", str(db))
        assert proc.returncode == 0, proc.stderr
        assert first["title"][:30] in " ".join(proc.stdout.split())
    shown = " ".join(storydesk("facts", first["id"], "--db", str(db)).stdout.split())
    assert "Quotations" in shown and first["statements"][0]["text"].split()[0] in shown


def test_unknown_story_is_one_clear_line(tmp_path: Path) -> None:
    proc = storydesk("facts", "no-such-story", "--db", str(tmp_path / "empty.sqlite"))
    assert proc.returncode == 3
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_nothing_readable_exits_1_with_reasons(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "junk.html").write_bytes(bytes(range(256)) * 40)
    proc = storydesk("run", str(tmp_path), "--out", str(tmp_path / "out"), "--no-store", "--quiet")
    assert proc.returncode == 1
    assert "nothing could be read" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_bad_input_is_listed_and_the_run_goes_on(tmp_path: Path, corpus_dir: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    sample = next(p for p in sorted(corpus_dir.rglob("*.txt")))
    out = tmp_path / "out"
    proc = storydesk("run", str(sample), str(tmp_path / "empty.txt"), "--out", str(out), "--no-store", "-q")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads((out / "stories.json").read_text(encoding="utf-8"))
    assert [r["path"] for r in doc["rejected"]] == [str(tmp_path / "empty.txt")]
    assert "empty.txt" in (out / "report.html").read_text(encoding="utf-8")


def test_stdin_jsonl(tmp_path: Path) -> None:
    lines = [
        {
            "text": "The harbour bridge in Port Evra will close for repairs on Monday, the council said. "
            * 3,
            "outlet": "Test Wire",
            "published": "2026-03-02",
            "title": "Bridge to close",
        },
    ]
    stdin = "\n".join(json.dumps(line) for line in lines) + "\n"
    out = tmp_path / "out"
    proc = storydesk("run", "-", "--out", str(out), "--no-store", "-q", stdin=stdin)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads((out / "stories.json").read_text(encoding="utf-8"))
    article = doc["stories"][0]["articles"][0]
    assert (article["outlet"], article["published"], article["title"]) == (
        "Test Wire",
        "2026-03-02",
        "Bridge to close",
    )


def test_brief_text_cites_file_positions(seeds_dir: Path) -> None:
    files = sorted(str(p) for p in seeds_dir.iterdir())
    proc = storydesk("brief", "--max-words", "80", *files)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert lines
    words = 0
    for line in lines:
        match = re.fullmatch(r"(.+?) ((?:\[\d+\])+)", line)
        assert match, line
        refs = [int(n) for n in re.findall(r"\d+", match.group(2))]
        assert refs == sorted(set(refs)) and all(1 <= n <= len(files) for n in refs)
        words += len(match.group(1).split())
    assert words <= 80


def test_brief_json(seeds_dir: Path) -> None:
    files = sorted(str(p) for p in seeds_dir.iterdir())[:3]
    proc = storydesk("brief", "--format", "json", "--max-words", "60", *files)
    assert proc.returncode == 0, proc.stderr
    payload = json.loads(proc.stdout)
    assert payload["files"] == files
    assert payload["brief"] and all(1 <= n <= 3 for s in payload["brief"] for n in s["sources"])


def test_schema_command_prints_the_shipped_schema() -> None:
    proc = storydesk("schema")
    assert proc.returncode == 0
    assert json.loads(proc.stdout) == schema()


def test_a_database_url_reaches_sqlalchemy_as_written(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'by-url.sqlite'}"
    proc = storydesk("stories", "--db", url)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "by-url.sqlite").exists()
