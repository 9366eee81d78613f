"""The web app in real Chromium against a real `storydesk serve`: the list, search, a story with its
citations and filters, adding a report through the page while an open story page updates live, and a
hostile article that stays inert. No console error anywhere."""

from __future__ import annotations

import uuid

import httpx
import pytest
from test_api import bridge_id, follow_up

pytestmark = pytest.mark.browser
playwright = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")

HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)"><b>bold</b>'


class Watched:
    """A page with every console error, page error, dialog and off-server request it caused."""

    def __init__(self, browser, server, width: int = 1100) -> None:  # type: ignore[no-untyped-def]
        self.context = browser.new_context(viewport={"width": width, "height": 900})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.foreign: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("request", lambda r: r.url.startswith(("http", "ws"))
                     and not r.url.startswith(server.url) and self.foreign.append(r.url))

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def watched(browser, sqlite_server):  # type: ignore[no-untyped-def]
    opened: list[Watched] = []

    def open_page(width: int = 1100) -> Watched:
        opened.append(Watched(browser, sqlite_server, width))
        return opened[-1]

    yield open_page
    for w in opened:
        assert w.errors == [] and w.dialogs == [] and w.foreign == []
        w.close()


def ferry_report(marker: str) -> dict[str, str]:
    """An invented report on the bridge story, worded unlike `follow_up` (so it is no copy of one)."""
    record = follow_up(marker)
    record.update(
        title=f"Merrow River ferry adds sailings while Linden Street Bridge stays closed ({marker})",
        url=f"https://ferry.example/linden-street-bridge/{marker}",
        outlet="Ferry Test Times",
        text=("CARROW BAY - The Merrow River ferry will add late-evening sailings from Monday while the "
              "Linden Street Bridge stays closed for repairs to its cracked steel girder, the Carrow Bay "
              "Department of Transportation said. Commuters crowding Harbor Avenue since the bridge closed "
              "in February asked the city for more crossings. Nadia Solberg, the department's director, said "
              "the ferry would run every ten minutes at peak times until the bridge reopens, now expected in "
              f"September. Mayor Teodora Vance said the sailings would cost the city $250,000. {marker}"),
    )
    return record


def test_list_search_and_story_with_citations_and_filters(
    watched, sqlite_server, corpus_result, screenshots_dir
) -> None:
    w = watched()
    page = w.page
    response = page.goto(sqlite_server.url + "/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    items = page.locator("li.story-item")
    assert items.count() >= 5
    sid = bridge_id(corpus_result)
    assert page.locator(f"a.story-title[href='/stories/{sid}']").count() == 1
    page.fill("#site-q", "cracked girder")
    page.press("#site-q", "Enter")
    page.wait_for_url("**/search?q=*")
    assert page.locator("ul.snippets mark").count() > 0
    page.locator(f"a.story-title[href='/stories/{sid}']").first.click()
    page.wait_for_selector("#story")
    assert page.locator("#story").get_attribute("data-story") == sid
    cite = page.locator(".brief-line a.cite[aria-controls]").first
    panel = page.locator("#" + cite.get_attribute("aria-controls"))
    assert panel.is_hidden()
    cite.click()
    assert panel.is_visible() and cite.get_attribute("aria-expanded") == "true"
    sentence = page.locator(".brief-line p").first.evaluate("p => p.firstChild.textContent")
    assert panel.locator("mark").inner_text() == sentence  # the cited sentence, in its report
    assert page.url.endswith(bridge_id(corpus_result))  # opened in place, no navigation
    bridge = next(s for s in corpus_result.stories if s.id == sid)
    assert bridge.statements  # the bridge story quotes its officials: the page lists every quotation
    assert page.locator("#statements section.statements tbody tr").count() == len(bridge.statements)
    page.locator("a.filter[data-filter='updated']").click()
    shown = page.locator("li.fact:visible")
    assert shown.count() >= 1 and all(
        s == "updated" for s in shown.evaluate_all("els => els.map(e => e.dataset.status)"))
    shown.first.locator("summary").click()
    assert shown.first.locator("blockquote").first.is_visible()
    page.locator("details").evaluate_all("els => els.forEach(d => d.open = true)")
    page.locator("a.filter[data-filter='all']").click()
    page.screenshot(path=str(screenshots_dir / "storydesk-story-page.png"), full_page=False)


def test_pages_fit_a_phone(watched, sqlite_server, corpus_result, screenshots_dir) -> None:
    w = watched(width=390)
    for path in ("/", f"/stories/{bridge_id(corpus_result)}", "/search?q=bridge"):
        w.page.goto(sqlite_server.url + path)
        assert w.page.evaluate("document.documentElement.scrollWidth <= innerWidth + 1"), path
    w.page.screenshot(path=str(screenshots_dir / "storydesk-phone.png"), full_page=False)


def test_add_a_report_through_the_page_and_see_the_story_update_live(
    watched, sqlite_server, corpus_result
) -> None:
    sid = bridge_id(corpus_result)
    reader = watched()
    reader.page.goto(f"{sqlite_server.url}/stories/{sid}")
    reader.page.evaluate("window.__sameDocument = true")
    before = int(reader.page.locator("#n-reports").inner_text())

    editor = watched()
    page = editor.page
    page.goto(sqlite_server.url + "/add")
    page.wait_for_url("**/signin?next=/add")
    page.fill("#token", "wrong token, wrong")
    page.click("button[type=submit] >> text=Sign in")
    assert "not the token" in page.locator("main").inner_text()
    page.fill("#token", sqlite_server.token)
    page.click("button[type=submit] >> text=Sign in")
    page.wait_for_url("**/add")
    record = ferry_report(uuid.uuid4().hex[:8])
    page.fill("#text", record["title"] + "\n\n" + record["text"])
    page.fill("#outlet", record["outlet"])
    page.fill("#published", record["published"])
    page.fill("#url", record["url"])
    page.click("#add-submit")
    results = page.locator("#results")
    results.wait_for(timeout=120_000)
    assert "added" in results.inner_text()
    assert results.locator(f"a[href='/stories/{sid}']").count() >= 1

    # A locator assertion, not wait_for_function: Playwright evaluates a wait_for_function string again on
    # each poll, which this page's CSP (no 'unsafe-eval') refuses once the first evaluation is not yet true.
    playwright.expect(reader.page.locator("#n-reports")).to_have_text(str(before + 1), timeout=30_000)
    assert reader.page.evaluate("window.__sameDocument === true")  # updated in place, not reloaded
    assert "1 new report" in reader.page.locator("#live-status").inner_text()
    assert reader.page.locator("ol.sources > li.arrived").count() == 1
    assert record["outlet"] in reader.page.locator("ol.sources > li.arrived").inner_text()


def test_a_hostile_article_stays_inert(watched, sqlite_server) -> None:
    marker = uuid.uuid4().hex[:8]
    record = {
        "title": f"Hostile {marker} " + HOSTILE,
        "outlet": "Evil Outlet " + HOSTILE,
        "url": "javascript:alert(3)",
        "published": "2025-06-01",
        "text": f"Zebra keepers {marker} said the enclosure at the hill zoo was repaired. " + HOSTILE
        + " The zebras returned to the enclosure on Friday after the fence was repaired, keepers said. "
        + "=HYPERLINK(\"http://evil.example\") visitors were told the zoo reopens next week.",
    }
    receipt = httpx.post(f"{sqlite_server.url}/api/v1/articles", json=record, headers=sqlite_server.auth(),
                         timeout=120).json()
    sid = receipt["articles"][0]["story_id"]
    w = watched()
    w.page.goto(f"{sqlite_server.url}/stories/{sid}")
    scripts = w.page.evaluate("[...document.scripts].map(s => s.src.split('/').pop().split('?')[0])")
    assert scripts == ["app.js"]
    assert w.page.locator("main img").count() == 0  # the article's own markup never became elements
    assert not w.page.evaluate("[...document.querySelectorAll('main b')].some(b => b.textContent === 'bold')")
    assert "<script>alert(1)</script>" in w.page.locator("#sources").inner_text()
    assert w.page.locator("a[href^='javascript']").count() == 0
    w.page.goto(f"{sqlite_server.url}/search?q=zebra {marker}")
    assert w.page.locator("main img").count() == 0
    csv = httpx.get(f"{sqlite_server.url}/stories/{sid}/facts.csv").text
    assert "\n=" not in csv and ",=" not in csv
