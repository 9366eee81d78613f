"""The written report.html in a real headless Chromium: no errors, no hostile script runs, links work."""

from __future__ import annotations

import pytest
from test_report import invented_doc

from storydesk.document import result_from_document
from storydesk.report import write_reports

pytestmark = pytest.mark.browser


@pytest.fixture
def opened(browser, tmp_path):
    """The report page loaded from disk, with every console error, page error, dialog and request kept."""
    report = write_reports(result_from_document(invented_doc()), tmp_path)["html"]
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    seen: dict[str, list[str]] = {"errors": [], "dialogs": [], "requests": []}
    page.on("console", lambda m: m.type == "error" and seen["errors"].append(m.text))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.on("request", lambda r: r.url != report.as_uri() and seen["requests"].append(r.url))
    page.goto(report.as_uri())
    page.wait_for_load_state("load")
    yield page, seen
    page.close()


def test_loads_without_errors_dialogs_or_requests(opened):
    page, seen = opened
    assert page.title().startswith("storydesk report")
    assert page.locator("section.story").count() == 2
    assert seen == {"errors": [], "dialogs": [], "requests": []}
    assert page.evaluate("document.scripts.length") == 0
    assert page.locator("img").count() == 0
    assert "<script>alert(1)</script>" in page.locator("#story-1-brief").inner_text()  # shown as text


def test_citation_targets_its_source(opened):
    page, _ = opened
    cite = page.locator("#story-1-brief p").nth(1).locator("a.cite").first
    target = cite.get_attribute("href")
    cite.click()
    page.wait_for_function(f"location.hash === '{target}'")
    entry = page.locator(target)
    assert entry.evaluate("el => el.matches(':target')")
    assert entry.evaluate(
        "el => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }"
    )
    assert "Coastline Daily" in entry.inner_text()


def test_evidence_details_open(opened):
    page, _ = opened
    details = page.locator("table.facts details").first
    quote = details.locator("blockquote").first
    assert not quote.is_visible()
    details.locator("summary").click()
    assert details.evaluate("el => el.open")
    quotes = {ev["quote"] for fact in invented_doc()["stories"][0]["facts"] for ev in fact["evidence"]}
    assert quote.is_visible() and quote.inner_text().splitlines()[0] in quotes


def test_screenshots_for_review(opened, screenshots_dir):
    """Full-page screenshots, desktop and phone width, for a human to judge the layout."""
    page, seen = opened
    page.locator("details").evaluate_all("els => els.forEach(d => d.open = true)")
    page.screenshot(path=str(screenshots_dir / "storydesk-report.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(screenshots_dir / "storydesk-report-phone.png"), full_page=True)
    assert page.evaluate(
        "document.documentElement.scrollWidth <= innerWidth + 1"
    )  # nothing pushes the page wide
    assert seen["errors"] == []


def test_prints_to_pdf(opened):
    page, _ = opened
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
