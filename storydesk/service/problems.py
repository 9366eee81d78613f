"""Errors as RFC 9457 problem details (`application/problem+json`) with a title a person can act on;
browsers asking for a page get the same error as a page."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

log = logging.getLogger("storydesk.service")

PROBLEM_JSON = "application/problem+json"
_TITLES = {
    400: "Bad request",
    401: "The token is missing or wrong",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    413: "Request body too large",
    422: "The request could not be read",
    500: "Internal error",
}


@dataclass
class ValidationIssue:
    """Where a request failed validation (`loc`: "query", "limit"; ...) and why."""

    loc: list[str | int]
    msg: str


@dataclass
class ProblemDetails:
    """An error, as RFC 9457 problem details (`application/problem+json`): `title` says what went wrong in
    words a person can act on, `detail` this occurrence; `errors` lists each field a request got wrong."""

    type: str
    title: str
    status: int
    detail: str | None = None
    errors: list[ValidationIssue] = field(default_factory=list)


#: What each error status means on this API, for the OpenAPI document.
STATUS_MEANINGS = {
    400: "The request is malformed (e.g. a Content-Length that is not a number)",
    401: "The token is missing or wrong",
    403: "Not allowed (writes disabled on this server, or a form from elsewhere)",
    404: "No such story or entity",
    413: "The body or the number of articles is over the server's limit; nothing was written",
    415: "The body is not JSON or JSONL",
    422: "A parameter or the body could not be read; nothing was written",
    500: "The server failed (it logged why)",
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI responses for these error statuses, each a ProblemDetails document."""
    return {
        status: {
            "description": STATUS_MEANINGS[status],
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}},
        }
        for status in statuses
    }


class Problem(Exception):
    """An error answered as a problem document."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str | None = None,
        *,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(title)
        self.status, self.title, self.detail = status, title, detail
        self.headers, self.extra = headers or {}, extra or {}


class BodyTooLarge(Exception):
    """The request body grew past `ServiceConfig.max_body_bytes` while it was read."""


def problem_body(status: int, title: str, detail: str | None, extra: dict[str, Any] | None = None) -> dict:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra or {})
    return body


def too_large(limit: int) -> Problem:
    return Problem(
        413, "Request body too large", f"The limit is {limit:,} bytes; send fewer reports at once."
    )


def install(app: FastAPI, render_page) -> None:  # type: ignore[no-untyped-def]
    """Answer every error as a problem; `render_page(request, problem)` draws it for a browser."""

    def answer(request: Request, problem: Problem) -> Response:
        path = request.url.path
        wants_page = "text/html" in request.headers.get("accept", "")
        if wants_page and not path.startswith(("/api/", "/health")):
            return render_page(request, problem)
        return JSONResponse(
            problem_body(problem.status, problem.title, problem.detail, problem.extra),
            status_code=problem.status,
            media_type=PROBLEM_JSON,
            headers=problem.headers,
        )

    async def on_problem(request: Request, error: Exception) -> Response:
        assert isinstance(error, Problem)
        return answer(request, error)

    async def on_http(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        title = _TITLES.get(error.status_code, "Error")
        detail = error.detail if isinstance(error.detail, str) and error.detail != title else None
        return answer(request, Problem(error.status_code, title, detail, headers=dict(error.headers or {})))

    async def on_invalid(request: Request, error: Exception) -> Response:
        assert isinstance(error, RequestValidationError)
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in error.errors()]
        where = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors[:5])
        return answer(request, Problem(422, _TITLES[422], where, extra={"errors": errors}))

    async def on_too_large(request: Request, error: Exception) -> Response:
        return answer(request, too_large(app.state.config.service.max_body_bytes))

    async def on_error(request: Request, error: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return answer(request, Problem(500, _TITLES[500], f"{type(error).__name__} (the server logged it)."))

    app.add_exception_handler(Problem, on_problem)
    app.add_exception_handler(HTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_invalid)
    app.add_exception_handler(BodyTooLarge, on_too_large)
    app.add_exception_handler(Exception, on_error)
