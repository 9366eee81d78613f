"""Shared fixtures: the third-party data under ../shared is read in place and skipped when absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples"
#: Debian's Chromium, driven by Playwright (`make browser` installs it as root).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    path = SHARED / "seeds"
    if not path.is_dir():
        pytest.skip("../shared/seeds is not present")
    return path


@pytest.fixture(scope="session")
def eval_dir() -> Path:
    path = SHARED / "eval"
    if not path.is_dir():
        pytest.skip("../shared/eval is not present")
    return path


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return EXAMPLES


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The bundled sample corpus (the reports only; examples/ also holds its README and gold)."""
    return EXAMPLES / "corpus"


@pytest.fixture(scope="session")
def corpus_result(corpus_dir: Path):
    """`storydesk.run` on the sample corpus, once per test session (stages must not mutate its stories)."""
    from storydesk.pipeline import run

    return run([str(corpus_dir)], jobs=1)


@pytest.fixture(scope="session")
def seeds_result(seeds_dir: Path):
    """`storydesk.run` on the five seed reports, once per test session."""
    from storydesk.pipeline import run

    return run([str(seeds_dir)], jobs=1)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session's browser tests (the report's and the web app's)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is absent (run `make browser` as root to install Debian's chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    with sync_api.sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    """Where browser tests leave their screenshots (STORYDESK_SCREENSHOTS, else /tmp)."""
    return Path(os.environ.get("STORYDESK_SCREENSHOTS", "/tmp"))
