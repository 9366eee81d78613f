"""One typed config: every setting documented, TOML in and out, clear errors, and it reaches the stages."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from storydesk.config import Config, ConfigError, field_docs

BIN = Path(sys.executable).with_name("storydesk")
SECTIONS = [getattr(Config(), f.name) for f in dataclasses.fields(Config)]


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: type(s).__name__)
def test_every_setting_says_why(section) -> None:
    docs = field_docs(type(section))
    for f in dataclasses.fields(section):
        assert len(docs.get(f.name, "")) > 20, f"{type(section).__name__}.{f.name} has no docstring"


def test_sections_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Config().cluster.link_threshold = 0.5  # type: ignore[misc]


def test_toml_round_trip(tmp_path: Path) -> None:
    text = Config().to_toml()
    assert tomllib.loads(text)["cluster"]["link_threshold"] == Config().cluster.link_threshold
    path = tmp_path / "all.toml"
    path.write_text(text, encoding="utf-8")
    assert Config.from_toml(path) == Config()
    changed = Config().replace("brief", max_words=42).replace("facts", kinds=("date", "quote"))
    path.write_text(changed.to_toml(), encoding="utf-8")
    assert Config.from_toml(path) == changed


def test_a_file_needs_only_what_it_changes(tmp_path: Path) -> None:
    path = tmp_path / "few.toml"
    path.write_text("[dedup]\nthreshold = 1\n[brief]\nmax_words = 300\n", encoding="utf-8")
    config = Config.from_toml(path)
    assert config.dedup.threshold == 1.0 and isinstance(config.dedup.threshold, float)
    assert config.brief.max_words == 300
    assert config.cluster == Config().cluster


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[clustr]\nx = 1\n", "unknown section [clustr]"),
        ("[cluster]\nlink_treshold = 0.2\n", "unknown setting 'link_treshold'"),
        ("[cluster]\nlink_threshold = 'high'\n", "[cluster] link_threshold: expected float"),
        ("[brief]\nmax_words = true\n", "expected int"),
        ("[facts]\nkinds = 'date'\n", "expected a list of str"),
        ("cluster = 3\n", "must be a table"),
        ("[cluster\n", "not valid TOML"),
    ],
)
def test_bad_files_say_what_is_wrong(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message.replace("[", r"\[")):
        Config.from_toml(path)


def test_settings_reach_the_stages(corpus_dir: Path) -> None:
    from storydesk.pipeline import run

    apart = Config().replace("cluster", link_threshold=1.01, far_threshold=1.01)
    result = run([str(corpus_dir)], config=apart)
    assert all(len(s.articles) == 1 for s in result.stories)
    short = run([str(corpus_dir)], config=Config().replace("brief", max_words=40, min_target_words=40))
    assert all(sum(len(b.text.split()) for b in s.brief) <= 40 for s in short.stories)
    no_quotes = run([str(corpus_dir)], config=Config().replace("facts", kinds=("role", "date")))
    assert {f.kind for s in no_quotes.stories for f in s.facts} <= {"role", "date"}


def test_cli_prints_the_defaults_and_reads_a_file(tmp_path: Path) -> None:
    shown = subprocess.run([str(BIN), "config"], capture_output=True, text=True, check=True).stdout
    assert "# Mean cosine to a story's members" in shown
    assert tomllib.loads(shown)["dedup"]["threshold"] == 0.7
    bad = tmp_path / "bad.toml"
    bad.write_text("[cluster]\nnope = 1\n", encoding="utf-8")
    proc = subprocess.run([str(BIN), "run", str(tmp_path), "--config", str(bad), "--no-store"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "unknown setting 'nope'" in proc.stderr
