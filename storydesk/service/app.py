"""The ASGI application of `storydesk serve`: the API and the web app over one store, their errors as
problem documents, and two plain ASGI layers around everything (the body size limit, security headers)."""

from __future__ import annotations

import contextlib
import gc
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import TypeAdapter
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storydesk import __version__
from storydesk.config import Config
from storydesk.document import add_derived_properties
from storydesk.engines.analysts import Analysts
from storydesk.service import api, problems, web
from storydesk.service.security import SECURITY_HEADERS, Guard
from storydesk.store import Store

DESCRIPTION = """Many news reports about the same events in, one cited account out.

Stories are the objects of stories.json (`storydesk schema`). Reads are open to clients on the server's
machine by default; writes need the server's token as `Authorization: Bearer <token>`. Errors are
`application/problem+json`. `POST /api/v1/articles` answers once the stories it changed are re-analysed.
"""


@dataclass
class Settings:
    """What one server runs with: its store, its write token (None: writes refused) and its config."""

    db: str | None = None
    token: str | None = None
    config: Config = field(default_factory=Config)


class BodyLimit:
    """Refuse a body over the limit: at once by its Content-Length, or as soon as it grows past it."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > self.limit:
            problem = (
                problems.too_large(self.limit)
                if declared.isdigit()
                else problems.Problem(400, "Bad Content-Length", "It must be a number of bytes.")
            )
            await _send_problem(send, problem)
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise problems.BodyTooLarge()
            return message

        await self.app(scope, limited, send)


async def _send_problem(send: Send, problem: problems.Problem) -> None:
    import json

    body = json.dumps(problems.problem_body(problem.status, problem.title, problem.detail)).encode()
    headers = [
        (b"content-type", problems.PROBLEM_JSON.encode()),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
        *_security_headers(),
    ]
    await send({"type": "http.response.start", "status": problem.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _security_headers() -> list[tuple[bytes, bytes]]:
    return [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]


class SecurityHeaders:
    """Add the Content-Security-Policy and its companions to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.headers = _security_headers()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [
                    *message.get("headers", []),
                    *((k, v) for k, v in self.headers if k not in names),
                ]
            await send(message)

        await self.app(scope, receive, with_headers)


class StoryReads:
    """`GET /api/v1/stories/{id}`, the API's hottest read, answered before FastAPI's routing and
    dependency resolution (on 2 cores about a third of such a request's CPU time): the same read check
    (`Guard.may_read`) and the same response (`api.story_response`) as the route `api.get_story`, which
    documents it and answers whatever this passes on (no such story, a refused client, another method)."""

    PATH = re.compile(f"/api/v1/stories/({api.ID_PATTERN.strip('^$')})")

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        found = (
            self.PATH.fullmatch(scope["path"])
            if scope["type"] == "http" and scope["method"] == "GET"
            else None
        )
        if found:
            request = Request(scope)
            state = request.app.state
            stored = state.store.story_document(found[1]) if state.guard.may_read(request) else None
            if stored is not None:
                await api.story_response(request, stored)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def openapi_document(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document from the routes, plus what stories.json adds to the model (`outlets` of an
    article), the article record a write takes, and every error as the ProblemDetails it is (FastAPI
    would describe its own validation error body, which this server never sends)."""
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        schemas = schema.setdefault("components", {}).setdefault("schemas", {})
        add_derived_properties(schemas)
        schemas["ArticleRecord"] = api.record_schema()
        refs = "#/components/schemas/{model}"
        problem = TypeAdapter(problems.ProblemDetails).json_schema(ref_template=refs)
        schemas.update(problem.pop("$defs", {}), ProblemDetails=problem)
        errors = problems.problem_responses(422)[422]
        for operation in (op for item in schema["paths"].values() for op in item.values()):
            if "422" in operation.get("responses", {}):
                operation["responses"]["422"] = {**errors, "description": problems.STATUS_MEANINGS[422]}
        for name in ("HTTPValidationError", "ValidationError"):
            schemas.pop(name, None)
        app.openapi_schema = schema
    return app.openapi_schema


@contextlib.asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    """Once started, everything loaded so far (FastAPI, pydantic, SQLAlchemy, the templates) lives as long
    as the server: `gc.freeze()` moves it out of the collector's generations, so no collection of a
    request's garbage walks it again."""
    gc.collect()
    gc.freeze()
    yield


def create_app(settings: Settings) -> FastAPI:
    """The app over `settings.db` (created if missing; search rows written for older stores)."""
    store = Store(settings.db)
    store.use_concurrently()
    store.index_missing()
    app = FastAPI(
        title="storydesk",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
        lifespan=lifespan,
    )
    app.state.store = store
    app.state.config = settings.config
    app.state.guard = Guard(settings.token, settings.config.service)
    # Writes: analysed in the server's process (no worker processes in a web server), with the sentence
    # parses of the earlier writes kept.
    app.state.analysts = Analysts(settings.config)
    app.include_router(api.router)
    app.include_router(api.health_router)
    app.include_router(web.router)
    problems.install(app, web.error_page)
    app.openapi = lambda: openapi_document(app)  # type: ignore[method-assign]
    app.add_middleware(StoryReads)
    app.add_middleware(BodyLimit, limit=settings.config.service.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    return app
