"""The HTTP API over a real `storydesk serve` process, on SQLite and on PostgreSQL: reads, search,
writes, errors, and every response checked against the OpenAPI document the server publishes."""

from __future__ import annotations

import json
import uuid
from typing import Any

import jsonschema
import pytest

from storydesk.document import schema, validate_document

BRIDGE_TITLE = "Carrow Bay commuters face months of detours as Linden Street Bridge closes"


def follow_up(marker: str) -> dict[str, Any]:
    """An invented follow-up report on the sample corpus's Linden Street Bridge story, unique by `marker`."""
    return {
        "title": f"Linden Street Bridge closure: Carrow Bay crews work nights on cracked girder ({marker})",
        "outlet": "Harbour Test Gazette",
        "published": "2026-05-14",
        "url": f"https://gazette.example/linden-street-bridge/{marker}",
        "text": (
            "CARROW BAY - Repair crews began working night shifts on the Linden Street Bridge on Wednesday, "
            "the Carrow Bay Department of Transportation said, as the closed bridge over the Merrow River "
            "stays shut to cars, cyclists and pedestrians. Inspectors found the cracked steel girder in "
            "February, and city engineers put the cost of repairs at $4.1 million. Nadia Solberg, director "
            "of the department, said the 1958 bridge, which carries about 18,000 vehicles a day, was now "
            "expected to reopen in September. Commuters have used Harbor Avenue and the Merrow River ferry "
            f"during the closure. Mayor Teodora Vance called the delay painful. Reference {marker}."
        ),
    }


def openapi_validator(client, name: str) -> jsonschema.Draft202012Validator:  # type: ignore[no-untyped-def]
    """A validator for a schema of the server's own OpenAPI document (refs resolved inside it)."""
    doc = client.get("/api/v1/openapi.json").json()
    root = {"$ref": f"#/components/schemas/{name}", "components": doc["components"]}
    return jsonschema.Draft202012Validator(root)


def bridge_id(corpus_result) -> str:  # type: ignore[no-untyped-def]
    """The bridge story's id: stable while reports join it (its title may change with them)."""
    return next(s.id for s in corpus_result.stories if s.title == BRIDGE_TITLE)


def test_health(server) -> None:
    with server.client() as client:
        body = client.get("/health").json()
    assert body["status"] == "ok" and body["database"] == server.backend and body["stories"] >= 5


def test_listing_is_newest_first_and_cursor_pages_cover_everything_once(server) -> None:
    with server.client() as client:
        everything = client.get("/api/v1/stories", params={"limit": 100}).json()
        assert everything["next_cursor"] is None
        seen, cursor = [], None
        while True:
            params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
            page = client.get("/api/v1/stories", params=params)
            assert page.status_code == 200
            body = page.json()
            assert len(body["stories"]) <= 2
            seen += [s["id"] for s in body["stories"]]
            cursor = body["next_cursor"]
            if cursor is None:
                break
        openapi_validator(client, "StoryPage").validate(everything)
    assert seen == [s["id"] for s in everything["stories"]]
    days = [s["last_published"] for s in everything["stories"] if s["last_published"]]
    assert days == sorted(days, reverse=True)


def test_listing_filters(server, corpus_result) -> None:
    bridge = next(s for s in corpus_result.stories if s.title == BRIDGE_TITLE)
    entity = max(bridge.entities, key=lambda e: len(e.articles))
    with server.client() as client:
        def ids(**params: str) -> set[str]:
            response = client.get("/api/v1/stories", params={"limit": 100, **params})
            assert response.status_code == 200, response.text
            return {s["id"] for s in response.json()["stories"]}

        assert bridge.id in ids(entity=entity.id)
        assert bridge.id in ids(outlet=bridge.articles[0].outlet.upper())
        assert bridge.id in ids(q="girder Merrow")
        assert ids(q="zzqx nothingmatches") == set()
        assert bridge.id in ids(since="2026-05-01") and bridge.id not in ids(since="2027-01-01")
        bad = client.get("/api/v1/stories", params={"cursor": "not-a-cursor"})
    assert bad.status_code == 422 and bad.headers["content-type"] == "application/problem+json"


def test_story_is_its_stories_json_object_and_parts_match(server, corpus_result) -> None:
    bridge = next(s for s in corpus_result.stories if s.title == BRIDGE_TITLE)
    with server.client() as client:
        story = client.get(f"/api/v1/stories/{bridge.id}").json()
        validate_document({"schema_version": "1", "stories": [story], "rejected": []})
        openapi_validator(client, "Story").validate(story)
        for part, name in (("facts", "Fact"), ("timeline", "TimelineEntry"), ("brief", "BriefSentence")):
            got = client.get(f"/api/v1/stories/{bridge.id}/{part}").json()
            assert got == story[part]
            for item in got:
                openapi_validator(client, name).validate(item)
        missing = client.get("/api/v1/stories/snothere")
        weird = client.get("/api/v1/stories/..%2F..%2Fetc")
    assert story["id"] == bridge.id
    assert {a["id"] for a in story["articles"]} >= {a.id for a in bridge.articles}
    assert missing.status_code == 404 and missing.json()["title"] == "No such story"
    assert weird.status_code in (404, 422)


def test_entity_lists_its_stories(server, corpus_result) -> None:
    bridge = next(s for s in corpus_result.stories if s.title == BRIDGE_TITLE)
    entity = max(bridge.entities, key=lambda e: len(e.articles))
    with server.client() as client:
        body = client.get(f"/api/v1/entities/{entity.id}").json()
        openapi_validator(client, "EntityStories").validate(body)
        assert client.get("/api/v1/entities/enothere").status_code == 404
    assert body["name"] == entity.name and bridge.id in [s["id"] for s in body["stories"]]
    assert set(entity.variants) <= set(body["variants"])


@pytest.mark.parametrize("query", ['"', "NEAR(", "bridge AND", "*", "'; DROP TABLE stories; --", "—", "a:b"])
def test_search_never_fails_on_odd_queries(server, query: str) -> None:
    with server.client() as client:
        response = client.get("/api/v1/search", params={"q": query})
    assert response.status_code == 200, response.text


def test_search_finds_articles_and_briefs_with_highlights(server) -> None:
    with server.client() as client:
        body = client.get("/api/v1/search", params={"q": "girders"}).json()
        openapi_validator(client, "SearchResults").validate(body)
    assert body["hits"] and {h["kind"] for h in body["hits"]} <= {"article", "brief"}
    assert len({h["story_id"] for h in body["hits"][:3]}) == 1  # the bridge story's reports rank first
    for hit in body["hits"]:
        marked = [hit["snippet"][a:b].lower() for a, b in hit["highlights"]]
        assert marked and all(word.startswith("girder") for word in marked)
    scores = [h["score"] for h in body["hits"]]
    assert scores == sorted(scores, reverse=True)


def test_writes_need_the_token(server) -> None:
    record = follow_up(uuid.uuid4().hex[:8])
    with server.client() as client:
        before = client.get("/health").json()
        missing = client.post("/api/v1/articles", json=record)
        wrong = client.post("/api/v1/articles", json=record, headers={"Authorization": "Bearer nope"})
        after = client.get("/health").json()
    for response in (missing, wrong):
        assert response.status_code == 401
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["www-authenticate"] == "Bearer"
        assert response.json()["title"] == "The token is missing or wrong"
    assert (before["articles"], before["stories"]) == (after["articles"], after["stories"])


def test_bad_bodies_are_refused_and_write_nothing(server) -> None:
    with server.client(headers=server.auth()) as client:
        before = client.get("/health").json()
        big = client.post("/api/v1/articles", content=b"[" + b" " * 400_000 + b"]",
                          headers={"Content-Type": "application/json"})
        many = client.post("/api/v1/articles", json=[follow_up(f"m{i}") for i in range(26)])
        broken = client.post("/api/v1/articles", content=b'{"text": "unterminated',
                             headers={"Content-Type": "application/json"})
        empty = client.post("/api/v1/articles", content=b"", headers={"Content-Type": "application/json"})
        media = client.post("/api/v1/articles", content=b"text", headers={"Content-Type": "text/plain"})
        after = client.get("/health").json()
    assert (big.status_code, many.status_code, broken.status_code, empty.status_code, media.status_code) == (
        413, 413, 422, 422, 415)
    for response in (big, many, broken, empty, media):
        assert response.headers["content-type"] == "application/problem+json" and response.json()["title"]
    assert (before["articles"], before["stories"]) == (after["articles"], after["stories"])


def test_post_updates_the_story_idempotently(server, corpus_result) -> None:
    marker = uuid.uuid4().hex[:8]
    record = follow_up(marker)
    with server.client(headers=server.auth()) as client:
        sid = bridge_id(corpus_result)
        before = client.get(f"/api/v1/stories/{sid}").json()
        stamp = _updated_at(client, sid)
        first = client.post("/api/v1/articles", json=[record, {"title": "no text"}, 7])
        assert first.status_code == 200, first.text
        openapi_validator(client, "IngestReceipt").validate(first.json())
        body = first.json()
        (receipt,) = body["articles"]
        assert receipt["status"] == "added" and receipt["story_id"] == sid and receipt["input"] == "request#1"
        assert body["rejected"] == [
            {"path": "request#2", "reason": "JSON object has no 'text' or 'html' string", "stage": "read"},
            {"path": "request#3", "reason": "not a JSON object (found int)", "stage": "read"},
        ]
        assert {"id": sid, "change": "updated"}.items() <= body["stories"][0].items()
        after = client.get(f"/api/v1/stories/{sid}").json()
        restamped = _updated_at(client, sid)
        counts = client.get("/health").json()
        again = client.post("/api/v1/articles", content=json.dumps(record) + "\n",
                            headers={"Content-Type": "application/x-ndjson"}).json()
        unchanged = client.get(f"/api/v1/stories/{sid}").json()
        counts_again = client.get("/health").json()
    assert receipt["id"] in {a["id"] for a in after["articles"]}
    assert len(after["articles"]) == len(before["articles"]) + 1
    assert restamped > stamp  # re-analysed and saved again: brief, facts and timeline of the new set
    ids = {a["id"] for a in after["articles"]}
    assert all(set(b["sources"]) <= ids for b in after["brief"])
    assert all(ev["article_id"] in ids for f in after["facts"] for ev in f["evidence"])
    assert again["articles"][0]["status"] == "known" and again["stories"] == []
    assert unchanged == after and counts_again == counts


def test_openapi_document_describes_the_api(server) -> None:
    with server.client() as client:
        doc = client.get("/api/v1/openapi.json").json()
        page = client.get("/docs")
    paths = set(doc["paths"])
    assert {"/api/v1/articles", "/api/v1/stories", "/api/v1/stories/{story_id}", "/api/v1/search",
            "/api/v1/stories/{story_id}/facts", "/api/v1/stories/{story_id}/timeline",
            "/api/v1/stories/{story_id}/brief", "/api/v1/entities/{entity_id}", "/health"} <= paths
    article = doc["components"]["schemas"]["Article"]["properties"]
    shipped = schema()["$defs"]["Article"]["properties"]
    assert set(article) == set(shipped)  # the model's fields and the derived outlets, as in stories.json
    assert "ArticleRecord" in doc["components"]["schemas"]
    assert "swagger-ui" in page.text and "<script>" not in page.text


def _updated_at(client, story_id: str) -> str:  # type: ignore[no-untyped-def]
    stories = client.get("/api/v1/stories", params={"limit": 100}).json()["stories"]
    return next(s["updated_at"] for s in stories if s["id"] == story_id)


def _declared(doc: dict, operation: dict, status: int, response) -> jsonschema.Draft202012Validator:  # type: ignore[no-untyped-def]
    """The validator of the schema `operation` declares for `status` in the response's media type."""
    declared = operation["responses"][str(status)]["content"]
    media = response.headers["content-type"].split(";")[0].strip()
    assert media in declared, (status, media, list(declared))
    return jsonschema.Draft202012Validator({**declared[media]["schema"], "components": doc["components"]})


def test_every_operation_answers_as_the_openapi_document_declares(server, corpus_result) -> None:
    """A client written from the document alone: every operation, its success and each error it declares
    that a request can cause, checked against the schema declared for that status and media type."""
    bridge = next(s for s in corpus_result.stories if s.title == BRIDGE_TITLE)
    good = {"story_id": bridge.id, "entity_id": bridge.entities[0].id}
    missing = {"story_id": "snothere", "entity_id": "enothere"}
    malformed = {"story_id": "not..an..id", "entity_id": "not..an..id"}
    required = {"q": "bridge"}
    checked: list[tuple[str, str, int]] = []
    with server.client() as client:
        doc = client.get("/api/v1/openapi.json").json()
        for path, item in doc["paths"].items():
            for method, operation in item.items():
                statuses = {int(code) for code in operation["responses"]}
                assert {s for s in statuses if s >= 400} <= {401, 403, 404, 413, 415, 422, 500}, path
                for code, answer in operation["responses"].items():
                    if int(code) >= 400:
                        assert list(answer["content"]) == ["application/problem+json"], (path, code)
                if method == "post":
                    requests = _post_requests(server)
                else:
                    query = {p["name"]: required[p["name"]] for p in operation.get("parameters", [])
                             if p["in"] == "query" and p.get("required")}
                    has_path = "{" in path
                    requests = [(200, {"url": path.format(**good), "params": query})]
                    if 404 in statuses:
                        requests.append((404, {"url": path.format(**missing), "params": query}))
                    if 422 in statuses:
                        requests.append((422, {"url": path.format(**malformed), "params": query} if has_path
                                         else {"url": path, "params": {**query, "limit": 0}}))
                for status, request in requests:
                    response = client.request(method, **request)
                    assert response.status_code == status, (path, status, response.text[:300])
                    _declared(doc, operation, status, response).validate(response.json())
                    checked.append((method, path, status))
    assert {(m, p) for m, p, s in checked if s == 200} == {
        (m, p) for p, item in doc["paths"].items() for m in item}  # every operation answered once at least
    assert {s for _, _, s in checked} >= {200, 401, 404, 413, 415, 422}


def _post_requests(server) -> list[tuple[int, dict[str, Any]]]:  # type: ignore[no-untyped-def]
    """A write that succeeds, and one that causes each error of POST /api/v1/articles a client can. The
    write is a short report of its own story, so only that small story is analysed."""
    marker = uuid.uuid4().hex[:8]
    record = {"title": f"Orchard cooperative {marker} opens its cider press to visitors",
              "outlet": "Valley Test Courier", "published": "2026-04-02",
              "text": f"The orchard cooperative {marker} in the valley opened its cider press to visitors on "
                      "Saturday, its chair said. About 200 people came to watch the apples pressed."}
    auth = server.auth()
    post = "/api/v1/articles"
    typed = {"text/plain": b"x", "application/json": b"{"}
    return [
        (200, {"url": post, "json": record, "headers": auth}),
        (401, {"url": post, "json": record}),
        (413, {"url": post, "json": [record] * 26, "headers": auth}),
        *((status, {"url": post, "content": typed[media], "headers": {**auth, "Content-Type": media}})
          for status, media in ((415, "text/plain"), (422, "application/json"))),
    ]


def test_a_story_read_carries_its_revision_and_answers_304_while_it_holds(server, corpus_result) -> None:
    sid = bridge_id(corpus_result)
    with server.client() as client:
        first = client.get(f"/api/v1/stories/{sid}")
        etag = first.headers["etag"]
        again = client.get(f"/api/v1/stories/{sid}", headers={"If-None-Match": etag})
        facts = client.get(f"/api/v1/stories/{sid}/facts", headers={"If-None-Match": etag})
        stale = client.get(f"/api/v1/stories/{sid}", headers={"If-None-Match": '"an-older-revision"'})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert facts.status_code == 304
    assert stale.status_code == 200 and stale.json() == first.json()
