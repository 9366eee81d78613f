"""The HTTP API, version 1 (`/api/v1`): stories in their stories.json form, search, and writes of reports.

Reads are `async` end to end (the access check too), so none waits for a worker thread: each is one or
two indexed queries on the store's read-only pool (a story read is a fraction of a millisecond on
SQLite), cheaper inline on the event loop than a hop to a thread. Writes run their re-analysis in a worker
thread.

Response schemas are the model's dataclasses (`storydesk.model`: StoryPage, EntityStories, SearchResults,
Story, ...; intake's receipts for writes), turned into JSON Schema by pydantic, so the OpenAPI document
and stories.json describe the same objects; the same pydantic TypeAdapters write the responses. A story is
sent as the store keeps it (its stories.json bytes), never decoded or re-encoded, with its revision as its
ETag (a client that has it gets 304 Not Modified). Every error is a ProblemDetails document.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPBearer
from pydantic import TypeAdapter
from starlette.responses import Response

from storydesk import __version__
from storydesk.config import Config
from storydesk.engines.analysts import Analysts
from storydesk.ingest import RECORD_FIELDS
from storydesk.model import (
    BriefSentence,
    EntityStories,
    Fact,
    SearchResults,
    StoredStory,
    Story,
    StoryPage,
    TimelineEntry,
)
from storydesk.service import intake
from storydesk.service.problems import Problem, problem_responses
from storydesk.service.security import Guard
from storydesk.store import BadCursor, Store

router = APIRouter(prefix="/api/v1")
#: Declares the bearer token in the OpenAPI document; the check itself is `Guard.authorised`.
bearer = HTTPBearer(
    auto_error=False, description="The server's write token (STORYDESK_TOKEN or --token-file)."
)
#: Story and entity ids: what `cluster.story_id` and the entity reader make, and nothing a path could hold.
ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
StoryId = Annotated[str, Path(pattern=ID_PATTERN, description="A story id, e.g. sa036114c43321.")]
JSON = "application/json"
JSONL_TYPES = ("application/x-ndjson", "application/jsonl", "application/x-jsonlines")


@dataclass
class Health:
    """The server answers and its store is reachable."""

    status: str
    version: str
    database: str
    stories: int
    articles: int


def store_of(request: Request) -> Store:
    return request.app.state.store


def config_of(request: Request) -> Config:
    return request.app.state.config


def guard_of(request: Request) -> Guard:
    return request.app.state.guard


def analysts_of(request: Request) -> Analysts:
    return request.app.state.analysts


def unauthorised(detail: str) -> Problem:
    return Problem(401, "The token is missing or wrong", detail, headers={"WWW-Authenticate": "Bearer"})


async def may_read(request: Request, _token: Annotated[Any, Depends(bearer)] = None) -> None:
    """Reads follow `ServiceConfig.reads` (open to loopback clients by default)."""
    if not guard_of(request).may_read(request):
        raise unauthorised("Reading this server needs the token: send `Authorization: Bearer <token>`.")


async def may_write(request: Request, _token: Annotated[Any, Depends(bearer)] = None) -> None:
    """Writes need the token; a server started without one refuses them all."""
    guard = guard_of(request)
    if not guard.writes_enabled:
        raise Problem(
            403,
            "Writes are disabled on this server",
            "Start `storydesk serve` with STORYDESK_TOKEN set or --token-file to accept reports.",
        )
    if not guard.authorised(request):
        raise unauthorised("Send the server's token as `Authorization: Bearer <token>`.")


Readable = [Depends(may_read)]
#: Writes the API's response bodies (JSON bytes) from the model's types, as FastAPI would, minus its
#: re-validation of what the store just built.
ADAPTERS = {cls: TypeAdapter(cls) for cls in (StoryPage, EntityStories, SearchResults, Health)}


def send(value: Any) -> Response:
    return Response(ADAPTERS[type(value)].dump_json(value), media_type=JSON)


def _stored(request: Request, story_id: str) -> StoredStory:
    """A story as stored; an id merged into another story redirects (308) to the same path under the
    story's id now (story ids never change, so an old link keeps working)."""
    store = store_of(request)
    found = store.story_document(story_id)
    if found is None:
        now = store.resolve_story_id(story_id)
        if now is not None and now != story_id:
            location = request.url.path.replace(f"/stories/{story_id}", f"/stories/{now}", 1)
            raise Problem(308, "This story was merged into another", f"Story {story_id!r} is now {now!r}.",
                          headers={"Location": location}, extra={"story_id": now})
        raise Problem(404, "No such story", f"No story has the id {story_id!r}.")
    return found


def _etag(stored: StoredStory) -> str:
    return f'"{stored.revision}"'


def _unchanged(request: Request, etag: str) -> Response | None:
    """304 Not Modified when the client already holds this revision (If-None-Match)."""
    held = request.headers.get("if-none-match")
    if held and (held.strip() == "*" or etag in (tag.strip() for tag in held.split(","))):
        return Response(status_code=304, headers={"ETag": etag})
    return None


#: A client the read policy refuses gets 401 (reads from elsewhere than this machine need the token).
STORY_ERRORS = problem_responses(401, 404, 422)


@router.get(
    "/stories",
    response_model=StoryPage,
    dependencies=Readable,
    tags=["stories"],
    summary="Stories, newest news first",
    responses=problem_responses(401, 422),
)
async def list_stories(
    request: Request,
    since: Annotated[
        dt.date | None, Query(description="Only stories with a report on or after this day.")
    ] = None,
    entity: Annotated[
        str | None, Query(pattern=ID_PATTERN, description="Only stories naming this entity id.")
    ] = None,
    outlet: Annotated[
        str | None,
        Query(max_length=200, description="Only stories with a report or copy from this outlet (any case)."),
    ] = None,
    q: Annotated[
        str | None,
        Query(max_length=500, description="Only stories whose articles or brief contain every word."),
    ] = None,
    cursor: Annotated[
        str | None, Query(max_length=400, description="`next_cursor` of the previous page.")
    ] = None,
    limit: Annotated[
        int | None, Query(ge=1, description="Stories per page (capped by the server's max_page_size).")
    ] = None,
) -> Response:
    settings = config_of(request).service
    size = min(limit or settings.page_size, settings.max_page_size)
    try:
        page = store_of(request).query_stories(
            since=since, entity=entity, outlet=outlet, q=q, cursor=cursor, limit=size
        )
    except BadCursor as error:
        raise Problem(422, "Bad cursor", str(error)) from None
    return send(page)


@router.get(
    "/stories/{story_id}",
    response_model=Story,
    dependencies=Readable,
    tags=["stories"],
    summary="A story: its stories.json object",
    responses={**STORY_ERRORS,
               308: {"description": "The id was merged into another story: Location names it"}},
)
async def get_story(request: Request, story_id: StoryId) -> Response:
    return story_response(request, _stored(request, story_id))


def story_response(request: Request, stored: StoredStory) -> Response:
    """A story as stored, with its revision as ETag (304 when the client holds it); also what
    `app.StoryReads` answers without this route."""
    etag = _etag(stored)
    return _unchanged(request, etag) or Response(stored.body, media_type=JSON, headers={"ETag": etag})


def _story_part(request: Request, story_id: str, key: str) -> Response:
    stored = _stored(request, story_id)
    etag = _etag(stored)
    return _unchanged(request, etag) or Response(
        json.dumps(json.loads(stored.body)[key], ensure_ascii=False), media_type=JSON, headers={"ETag": etag}
    )


@router.get(
    "/stories/{story_id}/facts",
    response_model=list[Fact],
    dependencies=Readable,
    tags=["stories"],
    summary="A story's fact sheet (every fact with its status and evidence)",
    responses=STORY_ERRORS,
)
async def get_facts(request: Request, story_id: StoryId) -> Response:
    return _story_part(request, story_id, "facts")


@router.get(
    "/stories/{story_id}/timeline",
    response_model=list[TimelineEntry],
    dependencies=Readable,
    tags=["stories"],
    summary="A story's timeline (dated events, relative dates resolved)",
    responses=STORY_ERRORS,
)
async def get_timeline(request: Request, story_id: StoryId) -> Response:
    return _story_part(request, story_id, "timeline")


@router.get(
    "/stories/{story_id}/brief",
    response_model=list[BriefSentence],
    dependencies=Readable,
    tags=["stories"],
    summary="A story's brief (verbatim sentences citing their reports)",
    responses=STORY_ERRORS,
)
async def get_brief(request: Request, story_id: StoryId) -> Response:
    return _story_part(request, story_id, "brief")


@router.get(
    "/entities/{entity_id}",
    response_model=EntityStories,
    dependencies=Readable,
    tags=["entities"],
    summary="An entity, its spellings and its stories",
    responses=problem_responses(401, 404, 422),
)
async def get_entity(
    request: Request,
    entity_id: Annotated[str, Path(pattern=ID_PATTERN, description="An entity id, e.g. e089667c2cf.")],
) -> Response:
    found = store_of(request).entity(entity_id)
    if found is None:
        raise Problem(404, "No such entity", f"No stored story names the entity {entity_id!r}.")
    return send(found)


@router.get(
    "/search",
    response_model=SearchResults,
    dependencies=Readable,
    tags=["search"],
    summary="Full-text search over articles and briefs",
    responses=problem_responses(401, 422),
)
async def search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=500, description="Words, all required.")],
    limit: Annotated[int | None, Query(ge=1, description="Hits at most (capped by the server).")] = None,
) -> Response:
    settings = config_of(request).service
    size = min(limit or settings.search_results, settings.max_search_results)
    hits = store_of(request).search(q, limit=size, snippet_words=settings.snippet_words)
    return send(SearchResults(q, hits))


def record_schema() -> dict[str, Any]:
    """The JSON Schema of an article record, from the field names the reader accepts
    (`storydesk.ingest.RECORD_FIELDS`)."""
    properties: dict[str, Any] = {}
    for key, aliases in RECORD_FIELDS.items():
        also = f" Also read as: {', '.join(aliases[1:])}." if len(aliases) > 1 else ""
        properties[key] = {"type": "string", "description": f"The report's {key}.{also}"}
    properties["published"]["description"] += " Any common date form (2026-02-03, 3 Feb 2026, …)."
    properties["html"] = {
        "type": "string",
        "description": "A web page instead of text: its main text, "
        "headline, date and outlet are read from it.",
    }
    return {
        "title": "ArticleRecord",
        "type": "object",
        "properties": properties,
        "description": "One report, as a line of the JSONL `storydesk run` reads: `text` or `html`.",
    }


ARTICLES_BODY = {
    "required": True,
    "content": {
        JSON: {
            "schema": {
                "oneOf": [
                    {"$ref": "#/components/schemas/ArticleRecord"},
                    {"type": "array", "items": {"$ref": "#/components/schemas/ArticleRecord"}},
                ]
            }
        },
        JSONL_TYPES[0]: {"schema": {"type": "string", "description": "One ArticleRecord per line."}},
    },
}


@router.post(
    "/articles",
    response_model=intake.IngestReceipt,
    dependencies=[Depends(may_write)],
    tags=["articles"],
    summary="Add reports (one or many); answers when their stories are re-analysed",
    openapi_extra={"requestBody": ARTICLES_BODY},
    responses=problem_responses(401, 403, 413, 415, 422),
)
async def post_articles(request: Request) -> intake.IngestReceipt:
    """Read each record as `storydesk run` reads a JSONL line; the same report sent again is stored once.
    Each readable record is answered with its article id and story id; the others under `rejected`."""
    config = config_of(request)
    media = request.headers.get("content-type", JSON).split(";", 1)[0].strip().lower()
    if media not in (JSON, *JSONL_TYPES):
        raise Problem(
            415,
            "Unsupported media type",
            f"Send {JSON} (a record or an array of records) or "
            f"{JSONL_TYPES[0]} (one record per line), not {media!r}.",
        )
    body = await request.body()
    if not body.strip():
        raise Problem(422, "The request body is empty", "Send one article record or an array of them.")
    try:
        inputs = (intake.records_from_jsonl if media in JSONL_TYPES else intake.records_from_json)(
            body, config
        )
    except intake.TooManyArticles as error:
        raise Problem(413, "Too many articles in one request", str(error)) from None
    except (ValueError, UnicodeDecodeError) as error:
        raise Problem(422, "The request body is not valid JSON", str(error)[:300]) from None
    return await run_in_threadpool(intake.receive, store_of(request), inputs, config, analysts_of(request))


health_router = APIRouter()


@health_router.get(
    "/health",
    response_model=Health,
    tags=["health"],
    summary="Liveness and store reachability",
    responses=problem_responses(500),
)
def health(request: Request) -> Response:
    store = store_of(request)
    articles, stories = store.count()
    return send(Health("ok", __version__, store.engine.dialect.name, stories, articles))
