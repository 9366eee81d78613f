"""The hostile-input floor (issue #11): every case of scripts/hostile_corpus.py ends as read, rejected with
its reason, or listed as skipped, never aborts the run, and the good report beside them makes its story."""

from __future__ import annotations

import importlib.util
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from storydesk.boundary import analyse_guarded, time_budget
from storydesk.clean import clean_article
from storydesk.config import Config
from storydesk.ingest import read_inputs
from storydesk.model import Article, RunResult
from storydesk.pipeline import run

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).with_name("storydesk")
_spec = importlib.util.spec_from_file_location("hostile_corpus", ROOT / "scripts" / "hostile_corpus.py")
assert _spec and _spec.loader
corpus = importlib.util.module_from_spec(_spec)
sys.modules["hostile_corpus"] = corpus
_spec.loader.exec_module(corpus)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list]:
    folder = tmp_path_factory.mktemp("hostile")
    return folder, corpus.build(folder)


def _args(folder: Path, cases: list) -> list[str]:
    """The good report, every top-level case, and the folder holding the walk cases."""
    return [str(folder / "good.txt"), *(c.arg for c in cases if "/walk/" not in c.arg), str(folder / "walk")]


@pytest.fixture(scope="module")
def together(built: tuple[Path, list]) -> RunResult:
    folder, cases = built
    return run(_args(folder, cases))


def _read_paths(result: RunResult) -> set[str]:
    return {p for s in result.stories for a in s.articles for p in [a.path, *(c.path for c in a.copies)] if p}


def _mine(path: str, arg: str) -> bool:
    return path == arg or path.startswith(arg + "#")


def test_every_case_has_its_outcome_in_one_run(built: tuple[Path, list], together: RunResult) -> None:
    _, cases = built
    read = _read_paths(together)
    for case in cases:
        rejected = [r for r in together.rejected if _mine(r.path, case.arg)]
        if case.outcome == "read":
            assert any(_mine(p, case.arg) for p in read) and not rejected, (case.name, rejected)
        else:
            assert rejected and not any(_mine(p, case.arg) for p in read), case.name
            for item in rejected:
                assert item.reason.startswith(case.reason), (case.name, item.reason)
                assert item.stage == "read"


def test_nothing_is_unaccounted_and_the_good_report_makes_its_story(
    built: tuple[Path, list], together: RunResult
) -> None:
    folder, cases = built
    reached = _read_paths(together) | {r.path for r in together.rejected}
    assert all(any(_mine(p, c.arg) for c in cases) or p.endswith("good.txt") for p in reached)
    good = [s for s in together.stories if any(a.path == str(folder / "good.txt") for a in s.articles)]
    assert len(good) == 1 and len(good[0].articles) == 1
    assert good[0].title == "Harbour bridge reopens after repairs"
    assert good[0].brief and good[0].facts and not good[0].errors
    assert not any(s.errors for s in together.stories)


@pytest.mark.parametrize("name", ["deep.json", "digits.jsonl", "surrogate-text.jsonl", "year-0001.json",
                                  "year-9999.json", "rich-markup.json", "one-line-50k.txt",
                                  "direct-pipe.jsonl"])
def test_one_case_alone_beside_the_good_report(built: tuple[Path, list], name: str) -> None:
    folder, cases = built
    case = next(c for c in cases if c.name == name)
    result = run([str(folder / "good.txt"), case.arg])
    assert any(a.path == str(folder / "good.txt") for s in result.stories for a in s.articles)
    assert (case.outcome == "read") == any(_mine(p, case.arg) for p in _read_paths(result))


def test_read_cases_read_as_written(built: tuple[Path, list]) -> None:
    """Encodings decode right (one U+FFFD for one stray byte, not mojibake); controls and surrogates
    are removed at ingest and counted."""
    _, cases = built
    for case in cases:
        if case.outcome != "read" or not (case.expect_text or case.forbid_text):
            continue
        articles, rejected = read_inputs([case.arg])
        assert articles and not rejected, case.name
        article = clean_article(articles[0])
        shown = f"{article.title or ''}\n{article.text}"
        for part in case.expect_text:
            assert part in shown, (case.name, part, shown[:200])
        for part in case.forbid_text:
            assert part not in shown, (case.name, part)
    stray = read_inputs([next(c.arg for c in cases if c.name == "utf8-stray-middle.txt")])[0][0]
    assert stray.text.count("\ufffd") == 1
    surrogate = read_inputs([next(c.arg for c in cases if c.name == "surrogate-text.jsonl")])[0][0]
    assert [(r.reason, r.text) for r in surrogate.removed if r.reason == "lone-surrogate"] == [
        ("lone-surrogate", "U+D800 ×1")]
    ansi = read_inputs([next(c.arg for c in cases if c.name == "ansi-title.json")])[0][0]
    assert ansi.title == "Concert [2J]0;owned review"
    assert [r.text for r in ansi.removed if r.reason == "control-character"] == ["U+001B ×2, U+0007 ×1"]


def test_a_one_line_text_is_cut_into_bounded_sentences(built: tuple[Path, list]) -> None:
    from storydesk.text import sentences

    folder, _ = built
    article = clean_article(read_inputs([str(folder / "one-line-50k.txt")])[0][0])
    limit = Config().limits.sentence_chars
    spans = sentences(article.text)
    assert len(spans) > 20 and max(len(s.text) for s in spans) <= limit
    assert article.text.split() == (folder / "one-line-50k.txt").read_text().split()  # only spaces changed


def test_an_analysis_over_budget_keeps_the_story_with_its_error() -> None:
    config = Config().replace("limits", seconds_per_report=0.001)
    article = Article(id="a1", text=corpus.GOOD.split("\n", 2)[2], title="Harbour bridge reopens", path="x")
    story = analyse_guarded([clean_article(article)], config)
    assert [e.stage for e in story.errors] == ["analyse"]
    assert story.errors[0].reason.startswith("analysing this story of 1 report(s) took longer than")
    assert story.articles and story.title == "Harbour bridge reopens" and not story.brief


def test_an_analysis_over_budget_in_a_worker_thread_keeps_the_story_with_its_error() -> None:
    """As the HTTP service analyses: in a thread other than the main one (no signal there)."""
    from concurrent.futures import ThreadPoolExecutor

    config = Config().replace("limits", seconds_per_report=0.001)
    article = clean_article(Article(id="a1", text=corpus.GOOD.split("\n", 2)[2], title="Bridge", path="x"))
    with ThreadPoolExecutor(1) as pool:
        story = pool.submit(analyse_guarded, [article], config).result()
        unbounded = pool.submit(analyse_guarded, [article], Config()).result()
    assert [e.stage for e in story.errors] == ["analyse"]
    assert story.errors[0].reason.startswith("analysing this story of 1 report(s) took longer than 0.001")
    assert not unbounded.errors and unbounded.brief


def test_a_thread_budget_not_spent_never_fires_later() -> None:
    import threading
    import time

    outcome: list[str] = []

    def work() -> None:
        try:
            with time_budget(0.05, "quick"):
                pass
            start = time.thread_time()
            while time.thread_time() - start < 0.3:  # well past the budget, outside its block
                pass
            outcome.append("done")
        except BaseException as error:  # the test is that nothing arrives
            outcome.append(repr(error))

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert outcome == ["done"]


def test_reading_over_budget_rejects_that_input(tmp_path: Path) -> None:
    page = tmp_path / "page.html"  # a page trafilatura needs well over a tick of CPU time for
    page.write_text("<html><body>" + f"<div><p>{corpus.OTHER}</p></div>" * 3000 + "</body></html>")
    config = Config().replace("limits", read_seconds=1e-6)
    articles, rejected = read_inputs([str(page)], config=config)
    assert not articles
    assert [(r.path, r.reason) for r in rejected] == [
        (str(page), "could not be read: reading took longer than 1e-06 CPU seconds")]


def test_budgets_nest_under_the_outer_one() -> None:
    import signal

    with time_budget(5, "outer"):
        with time_budget(1, "inner"):
            pass
        assert signal.getitimer(signal.ITIMER_PROF)[0] > 1  # the inner block left the outer alarm alone
    assert signal.getitimer(signal.ITIMER_PROF)[0] == 0


def _cli(*args: str, stdin: bytes | None = None, **kw) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([str(BIN), *args], input=stdin, capture_output=True, timeout=300, check=False, **kw)


_COLOR = {**os.environ, "FORCE_COLOR": "1", "COLUMNS": "200"}


def test_cli_over_the_corpus_writes_clean_outputs_and_strict_exits_5(
    built: tuple[Path, list], tmp_path: Path
) -> None:
    folder, cases = built
    out = tmp_path / "out"
    proc = _cli("run", *_args(folder, cases), "--out", str(out), "--no-store", "--quiet", "--strict",
                env=_COLOR)
    assert proc.returncode == 5, proc.stderr.decode()  # --strict: inputs were rejected; outputs written
    assert "\x1b[2J" not in proc.stdout.decode() and "\x1b]8;" not in proc.stdout.decode()
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "\x1b" not in md and "alert(1)" in md
    from markdown_it import MarkdownIt  # what a renderer that allows raw HTML makes of it

    rendered = MarkdownIt("commonmark", {"html": True}).render(md)
    assert "<script" not in rendered and "<img" not in rendered and "<b>" not in rendered
    assert all(h.startswith(("http://", "https://", "#")) for h in re.findall(r'href="([^"]*)"', rendered))
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "\x1b" not in html and "name\\x1b[2J.txt" in html


def test_terminal_shows_markup_and_escapes_as_written(built: tuple[Path, list], tmp_path: Path) -> None:
    folder, _ = built
    evil = tmp_path / "evil\x1b[2J\x1b]8;;x.example\x07.json"
    evil.write_text("[]")
    db = tmp_path / "db.sqlite"
    proc = _cli("run", str(folder / "good.txt"), str(folder / "rich-markup.json"), str(evil),
                "--out", str(tmp_path / "out"), "--db", str(db), "--quiet", env=_COLOR)
    assert proc.returncode == 0, proc.stderr.decode()
    printed = proc.stdout.decode()
    assert "[/] [link=https://evil.example]review[/link] [bold]" in printed  # shown, not parsed
    assert "evil\\x1b[2J\\x1b]8;;x.example\\x07.json: empty JSON array" in printed
    assert "\x1b[2J" not in printed and "\x1b]8;" not in printed
    stories = _cli("stories", "--db", str(db), env=_COLOR)
    assert stories.returncode == 0 and "[/] [link=https://evil.example]" in stories.stdout.decode()
    facts = _cli("facts", "Concert", "--db", str(db), env=_COLOR)
    assert facts.returncode == 0, facts.stderr.decode()
    assert "\x1b]8;" not in stories.stdout.decode() + facts.stdout.decode()


def test_stdin_invalid_utf8_closed_and_empty(built: tuple[Path, list]) -> None:
    folder, _ = built
    text = corpus.OTHER.replace("spring concert", "“spring” concert")  # UTF-8, then one stray byte
    line = json.dumps({"text": text}, ensure_ascii=False).encode().replace(b"orchestra", b"orch\xffestra")
    articles, rejected = read_inputs(["-"], stdin=io.BytesIO(line + b"\n"))
    assert not rejected and "orch\ufffdestra" in articles[0].text
    closed = io.BytesIO()
    closed.close()
    good = str(folder / "good.txt")
    empty = "empty input (no JSONL records)"
    for stdin, reason in ((closed, "standard input is closed"), (io.BytesIO(b""), empty),
                          (io.StringIO("\n"), empty)):
        articles, rejected = read_inputs(["-", good], stdin=stdin)
        assert [(r.path, r.reason) for r in rejected] == [("-", reason)] and len(articles) == 1
    # A process started with its standard input closed has no sys.stdin at all.
    code = "from storydesk.ingest import read_inputs; print(read_inputs(['-'])[1][0].reason)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          check=False, preexec_fn=lambda: os.close(0))
    assert proc.stdout == "standard input is closed\n", proc.stderr


_WRITER = """
import json, sys, time
from pathlib import Path
from storydesk.document import result_from_document
from storydesk.store import Store
stories = result_from_document(json.loads(Path(sys.argv[1]).read_text())).stories
while not Path(sys.argv[3]).exists():
    time.sleep(0.01)
Store(sys.argv[2]).save_stories(stories)
"""


def test_two_writers_on_one_sqlite_store_both_succeed(tmp_path: Path, corpus_result: RunResult) -> None:
    from storydesk.document import build_document
    from storydesk.store import Store

    doc = tmp_path / "stories.json"
    doc.write_text(json.dumps(build_document(corpus_result)), encoding="utf-8")
    expected = (len({a.id for s in corpus_result.stories for a in s.articles}), len(corpus_result.stories))
    for trial in range(2):
        db, go = tmp_path / f"race{trial}.sqlite", tmp_path / f"go{trial}"
        writers = [subprocess.Popen([sys.executable, "-c", _WRITER, str(doc), str(db), str(go)],
                                    stderr=subprocess.PIPE) for _ in range(2)]
        go.touch()
        errors = [w.communicate(timeout=300)[1].decode() for w in writers]
        assert [w.returncode for w in writers] == [0, 0], errors
        assert Store(db).count() == expected


def test_a_bad_database_is_one_line(tmp_path: Path) -> None:
    corrupt = tmp_path / "corrupt.sqlite"
    corrupt.write_bytes(b"not a database at all " * 200)
    for db, reason in ((corrupt, "file is not a database"), (tmp_path, "unable to open database file")):
        proc = _cli("stories", "--db", str(db))
        assert proc.returncode == 6
        assert proc.stderr.decode().startswith(f"storydesk: error: cannot open database {db}: {reason}")
        assert proc.stderr.decode().count("\n") == 1 and "SQL" not in proc.stderr.decode()


def test_a_story_with_errors_says_so_in_both_reports(tmp_path: Path) -> None:
    from storydesk.model import StageError, Story
    from storydesk.report import write_reports

    article = Article(id="a1", text=corpus.OTHER, title="Concert", path="x.txt")
    story = Story(id="sa1", title="Concert", articles=[article],
                  errors=[StageError("analyse", "analysing took longer than 1 CPU seconds")])
    paths = write_reports(RunResult(stories=[story]), tmp_path)
    expected = "Analysis stopped (analyse: analysing took longer than 1 CPU seconds)"
    assert expected in paths["html"].read_text() and expected in paths["markdown"].read_text()
