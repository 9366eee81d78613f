"""Take the README's screenshot of a story page: `storydesk serve` over a copy of `make run`'s store (the
sample corpus), the Linden Street Bridge story in headless Chromium with a citation and a fact opened.

    .venv/bin/python scripts/service_screenshot.py out/storydesk.sqlite docs/storydesk-story-page.png
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
TITLE = "Carrow Bay commuters face months of detours as Linden Street Bridge closes"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("png", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "store.sqlite"
        shutil.copy(args.db, db)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        server = subprocess.Popen([str(Path(sys.executable).with_name("storydesk")), "serve", "--db", str(db),
                                   "--port", str(port)])
        try:
            url = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    httpx.get(url + "/health", timeout=1)
                    break
                except httpx.HTTPError:
                    time.sleep(0.2)
            stories = httpx.get(url + "/api/v1/stories", params={"limit": 100}).json()["stories"]
            sid = next(s["id"] for s in stories if s["title"] == TITLE)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                page = browser.new_page(viewport={"width": 1100, "height": 1500})
                page.goto(f"{url}/stories/{sid}")
                page.locator(".brief-line a.cite[aria-controls]").nth(1).click()
                page.locator("li.fact summary").first.click()
                page.screenshot(path=str(args.png))
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=15)
    print(f"wrote {args.png}")


if __name__ == "__main__":
    main()
