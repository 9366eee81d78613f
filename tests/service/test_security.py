"""Who may write, over HTTP to a real `storydesk serve`: the sign-in and "add reports" forms refuse a post
without their CSRF token or from another site, the add page refuses a client without a session, and a
body over the limit is refused however it is sent; none of them writes anything."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from conftest import SERVICE_TOML
from test_api import follow_up

PROBLEM = "application/problem+json"
LIMIT = int(re.search(r"max_body_bytes = (\d+)", SERVICE_TOML).group(1))


def counts(server) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    body = httpx.get(f"{server.url}/health", timeout=30).json()
    return body["articles"], body["stories"]


def form_token(client: httpx.Client, path: str) -> str:
    """The CSRF field of the form on `path` (the page sets the cookie it goes with)."""
    page = client.get(path)
    assert page.status_code == 200
    return re.search(r'name="csrf" value="([0-9a-f]+)"', page.text).group(1)


@pytest.fixture
def browser_like(sqlite_server) -> Iterator[httpx.Client]:
    with sqlite_server.client(follow_redirects=False) as client:
        yield client


def _refused(response: httpx.Response, status: int) -> None:
    assert response.status_code == status, response.text[:300]
    assert response.headers["content-type"] == PROBLEM and response.json()["title"]


def test_sign_in_needs_the_forms_csrf_token_from_this_site(browser_like, sqlite_server) -> None:
    csrf = form_token(browser_like, "/signin")
    token = sqlite_server.token
    _refused(browser_like.post("/signin", data={"token": token}), 403)
    with sqlite_server.client() as stranger:  # a field made for another browser's cookie
        other = form_token(stranger, "/signin")
    _refused(browser_like.post("/signin", data={"token": token, "csrf": other}), 403)
    cross = browser_like.post("/signin", data={"token": token, "csrf": csrf},
                              headers={"Sec-Fetch-Site": "cross-site"})
    _refused(cross, 403)
    assert "storydesk_session" not in browser_like.cookies
    signed = browser_like.post("/signin", data={"token": token, "csrf": csrf, "next": "//evil.example/"})
    assert signed.status_code == 303 and signed.headers["location"] == "/"  # never off this server
    assert "storydesk_session" in browser_like.cookies


def test_adding_reports_needs_a_session_and_the_csrf_token(browser_like, sqlite_server) -> None:
    record = follow_up("form-refused")
    fields = {"text": record["title"] + "\n\n" + record["text"], "outlet": record["outlet"]}
    before = counts(sqlite_server)
    _refused(browser_like.post("/add", data=fields), 401)
    assert browser_like.get("/add").headers["location"] == "/signin?next=/add"
    csrf = form_token(browser_like, "/signin")
    browser_like.post("/signin", data={"token": sqlite_server.token, "csrf": csrf})
    _refused(browser_like.post("/add", data=fields), 403)  # signed in, but no CSRF field
    cross = browser_like.post("/add", data={**fields, "csrf": csrf}, headers={"Sec-Fetch-Site": "cross-site"})
    _refused(cross, 403)
    upload = {"files": ("big.txt", b"word " * (LIMIT // 5 + 100), "text/plain")}
    _refused(browser_like.post("/add", data={"csrf": csrf}, files=upload), 413)
    assert counts(sqlite_server) == before


def test_a_body_over_the_limit_is_refused_even_without_a_length(sqlite_server) -> None:
    """A chunked body declares no Content-Length: the server stops reading once it passes the limit."""
    def chunks() -> Iterator[bytes]:
        yield b"["
        for _ in range(LIMIT // 10_000 + 5):
            yield b" " * 10_000
        yield b"]"

    before = counts(sqlite_server)
    with sqlite_server.client(headers={**sqlite_server.auth(), "Content-Type": "application/json"}) as client:
        response = client.post("/api/v1/articles", content=chunks())
    _refused(response, 413)
    assert counts(sqlite_server) == before


def test_a_server_without_a_token_refuses_every_write(tmp_path) -> None:
    from storydesk.service import Settings, create_app

    app = create_app(Settings(db=str(tmp_path / "s.sqlite"), token=None))

    tokens = ({}, {"Authorization": "Bearer "}, {"Authorization": "Bearer anything-12345678"})

    async def attempts() -> tuple[list[httpx.Response], int]:
        transport = httpx.ASGITransport(app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            tried = [await client.post("/api/v1/articles", json=follow_up("no-token"), headers=auth)
                     for auth in tokens]
            return tried, (await client.get("/health")).json()["articles"]

    # In a thread of its own: a session's Playwright (the browser tests) keeps an event loop in this one.
    with ThreadPoolExecutor(1) as thread:
        tried, stored = thread.submit(asyncio.run, attempts()).result()
    for response in tried:
        _refused(response, 403)
    assert stored == 0


def test_clients_from_elsewhere_read_only_with_the_token(tmp_path, corpus_result) -> None:
    """Reads open to loopback by default: a remote client's story read (the fast path before FastAPI too)
    and listing are refused without the token and answered with it."""
    from storydesk.service import Settings, create_app
    from storydesk.store import Store

    story = corpus_result.stories[0]
    Store(str(tmp_path / "s.sqlite")).save_stories([story])
    token = "remote-reader-token-0123"
    app = create_app(Settings(db=str(tmp_path / "s.sqlite"), token=token))

    async def reads(client_host: str, headers: dict[str, str]) -> list[int]:
        transport = httpx.ASGITransport(app, client=(client_host, 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://storydesk.example") as client:
            paths = (f"/api/v1/stories/{story.id}", f"/api/v1/stories/{story.id}/facts", "/api/v1/stories")
            return [(await client.get(path, headers=headers)).status_code for path in paths]

    assert asyncio.run(reads("203.0.113.7", {})) == [401, 401, 401]
    assert asyncio.run(reads("203.0.113.7", {"Authorization": "Bearer wrong-token-000000"})) == [401] * 3
    assert asyncio.run(reads("203.0.113.7", {"Authorization": f"Bearer {token}"})) == [200, 200, 200]
    assert asyncio.run(reads("127.0.0.1", {})) == [200, 200, 200]
