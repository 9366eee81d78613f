"""The web app: server-rendered pages (Jinja2, autoescaped), one small script of our own, live updates by
server-sent events, downloads and the Atom feed.

Pages reuse the report's view (`storydesk.report.view`) and its section macros and SVG timeline, so a
story reads the same in report.html and here. Static files are a fixed set loaded at start-up and served
by name from memory: nothing a request says reaches the file system.
"""

from __future__ import annotations

import asyncio
import importlib.resources
import json
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any

import jinja2
from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from markupsafe import Markup
from starlette.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse

from storydesk import __version__
from storydesk.document import story_from_dict
from storydesk.report.svg import timeline_svg
from storydesk.report.view import STATUSES, human_date
from storydesk.service import exports, intake
from storydesk.service.api import ID_PATTERN, analysts_of, config_of, guard_of, store_of
from storydesk.service.problems import Problem
from storydesk.service.security import CSRF_COOKIE, CSRF_FIELD, SESSION_COOKIE, new_csrf_cookie, safe_next
from storydesk.service.views import story_page
from storydesk.store import BadCursor

router = APIRouter(include_in_schema=False)
StoryId = Annotated[str, Path(pattern=ID_PATTERN)]


@dataclass(frozen=True)
class Asset:
    media_type: str
    body: bytes


@cache
def assets() -> dict[str, Asset]:
    """Every file the pages load, by the name in its URL: ours, the report's stylesheet, Swagger UI's."""
    ours = importlib.resources.files("storydesk.service") / "static"
    report = importlib.resources.files("storydesk.report") / "templates"
    swagger = importlib.resources.files("fastapi_offline") / "static"  # Swagger UI 5, packaged on PyPI
    files = {
        "app.css": ("text/css", ours / "app.css"),
        "app.js": ("text/javascript", ours / "app.js"),
        "docs.js": ("text/javascript", ours / "docs.js"),
        "report.css": ("text/css", report / "report.css"),
        "swagger-ui.css": ("text/css", swagger / "swagger-ui.css"),
        "swagger-ui-bundle.js": ("text/javascript", swagger / "swagger-ui-bundle.js"),
    }
    return {
        name: Asset(f"{media}; charset=utf-8", path.read_bytes()) for name, (media, path) in files.items()
    }


@cache
def environment() -> jinja2.Environment:
    """Autoescape everywhere: every string from an article is hostile until escaped."""
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [
                jinja2.PackageLoader("storydesk.service", "templates"),
                jinja2.PackageLoader("storydesk.report", "templates"),
            ]
        ),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["human_date"] = human_date
    env.filters["marked"] = marked
    env.globals["timeline_svg"] = lambda entries: Markup(timeline_svg(entries))
    env.globals["version"] = __version__
    env.globals["statuses"] = STATUSES
    return env


def marked(snippet: str, highlights: list[tuple[int, int]]) -> Markup:
    """A search snippet escaped, its matched words in <mark>."""
    parts, last = [], 0
    for start, end in highlights:
        parts += [
            Markup.escape(snippet[last:start]),
            Markup("<mark>"),
            Markup.escape(snippet[start:end]),
            Markup("</mark>"),
        ]
        last = end
    parts.append(Markup.escape(snippet[last:]))
    return Markup("").join(parts)


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page, with the CSRF cookie its forms need (set when the browser has none yet)."""
    guard = guard_of(request)
    cookie = request.cookies.get(CSRF_COOKIE) or new_csrf_cookie()
    html = (
        environment()
        .get_template(template)
        .render(
            request=request,
            csrf_field=CSRF_FIELD,
            csrf=guard.csrf_token(cookie),
            signed_in=guard.authorised(request),
            writes_enabled=guard.writes_enabled,
            **context,
        )
    )
    response = HTMLResponse(html, status_code=status)
    if CSRF_COOKIE not in request.cookies:
        response.set_cookie(
            CSRF_COOKIE,
            cookie,
            httponly=True,
            samesite="strict",
            path="/",
            secure=request.url.scheme == "https",
        )
    return response


def error_page(request: Request, problem: Problem) -> Response:
    response = render(request, "error.html.j2", status=problem.status, problem=problem)
    response.headers.update(problem.headers)
    return response


def readable(request: Request) -> None:
    """Pages follow the read policy; a client that may not read is sent to the sign-in page."""
    if not guard_of(request).may_read(request):
        raise Problem(
            303,
            "Sign in to read this server",
            "This server's stories are private.",
            headers={"Location": f"/signin?next={request.url.path}"},
        )


def _page_of_stories(request: Request, **filters: Any):  # type: ignore[no-untyped-def]
    settings = config_of(request).service
    try:
        return store_of(request).query_stories(limit=settings.page_size, **filters)
    except BadCursor as error:
        raise Problem(422, "Bad cursor", str(error)) from None


@router.get("/", response_class=HTMLResponse)
def stories_page(
    request: Request,
    outlet: Annotated[str | None, Query(max_length=200)] = None,
    cursor: Annotated[str | None, Query(max_length=400)] = None,
) -> Response:
    readable(request)
    page = _page_of_stories(request, outlet=outlet or None, cursor=cursor)
    return render(request, "stories.html.j2", page=page, outlet=outlet)


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: Annotated[str, Query(max_length=500)] = "") -> Response:
    readable(request)
    settings = config_of(request).service
    hits = (
        store_of(request).search(q, limit=settings.max_search_results, snippet_words=settings.snippet_words)
        if q.strip()
        else []
    )
    by_story: dict[str, list] = {}
    for hit in hits:
        by_story.setdefault(hit.story_id, []).append(hit)
    return render(request, "search.html.j2", query=q, groups=list(by_story.values()))


def _stored_story(request: Request, story_id: str):  # type: ignore[no-untyped-def]
    data = store_of(request).story_json(story_id)
    if data is None:
        store = store_of(request)
        moved = store.resolve_story_id(story_id) or store.story_containing(story_id[1:])
        if moved:
            raise Problem(
                308, "This story was merged into another", headers={"Location": f"/stories/{moved}"}
            )
        raise Problem(404, "No such story", f"No story has the id {story_id!r}.")
    return story_from_dict(json.loads(data))


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story(
    request: Request, story_id: StoryId, status: Annotated[str | None, Query(max_length=20)] = None
) -> Response:
    readable(request)
    found = _stored_story(request, story_id)
    settings = config_of(request).service
    page = story_page(found, context_chars=settings.excerpt_chars)
    return render(
        request,
        "story.html.j2",
        story=found,
        page=page,
        view=page.view,
        revision=store_of(request).story_revision(story_id) or "",
        status_filter=status if status in STATUSES else None,
        outlets=sorted({name for a in found.articles for name in a.outlets}),
        last_report=max((a.published for a in found.articles if a.published), default=None),
        entity_href=lambda e: f"/entities/{e.id}",
    )


@router.get("/stories/{story_id}/events")
async def story_events(
    request: Request, story_id: StoryId, revision: Annotated[str | None, Query(max_length=80)] = None
) -> Response:
    """Server-sent events: `changed` when the story is saved again, `moved` when it was merged away."""
    readable(request)
    store, settings = store_of(request), config_of(request).service
    last = revision or await run_in_threadpool(store.story_revision, story_id)
    if last is None:
        raise Problem(404, "No such story", f"No story has the id {story_id!r}.")

    async def stream():  # type: ignore[no-untyped-def]
        loop = asyncio.get_running_loop()
        deadline, seen = loop.time() + settings.live_max_seconds, last
        yield "retry: 2000\n\n"
        while loop.time() < deadline and not await request.is_disconnected():
            await asyncio.sleep(settings.live_poll_seconds)
            now = await run_in_threadpool(store.story_revision, story_id)
            if now is None:
                moved = await run_in_threadpool(store.resolve_story_id, story_id) or await run_in_threadpool(
                    store.story_containing, story_id[1:])
                yield f"event: moved\ndata: {json.dumps({'url': f'/stories/{moved}' if moved else '/'})}\n\n"
                return
            if now != seen:
                seen = now
                yield f"event: changed\ndata: {json.dumps({'revision': now})}\n\n"
            else:
                yield ": waiting\n\n"

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


def _download(body: str, media_type: str, filename: str) -> Response:
    return Response(
        body, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@router.get("/stories/{story_id}/stories.json")
def export_json(request: Request, story_id: StoryId) -> Response:
    readable(request)
    return _download(
        exports.story_document(_stored_story(request, story_id)),
        "application/json",
        f"{story_id}.stories.json",
    )


@router.get("/stories/{story_id}/facts.csv")
def export_csv(request: Request, story_id: StoryId) -> Response:
    readable(request)
    return _download(
        exports.facts_csv(_stored_story(request, story_id)),
        "text/csv; charset=utf-8",
        f"{story_id}.facts.csv",
    )


@router.get("/stories/{story_id}/report.md")
def export_markdown(request: Request, story_id: StoryId) -> Response:
    readable(request)
    return _download(
        exports.story_markdown(_stored_story(request, story_id)),
        "text/markdown; charset=utf-8",
        f"{story_id}.md",
    )


@router.get("/feed.atom")
def feed(request: Request) -> Response:
    readable(request)
    store, settings = store_of(request), config_of(request).service
    stories = store.query_stories(limit=settings.feed_entries).stories
    briefs = store.briefs([s.id for s in stories])
    base = str(request.base_url).rstrip("/")
    body = exports.atom_feed([(s, briefs.get(s.id, "")) for s in stories], base_url=base)
    return Response(body, media_type="application/atom+xml; charset=utf-8")


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity_page(request: Request, entity_id: StoryId) -> Response:
    readable(request)
    found = store_of(request).entity(entity_id)
    if found is None:
        raise Problem(404, "No such entity", f"No stored story names the entity {entity_id!r}.")
    return render(request, "entity.html.j2", entity=found)


def _require_form_csrf(request: Request, form: Any) -> None:
    if not guard_of(request).csrf_ok(request, form.get(CSRF_FIELD)):
        raise Problem(403, "This form has expired", "Reload the page and send it again.")


@router.get("/signin", response_class=HTMLResponse)
def signin_page(request: Request, next: Annotated[str | None, Query(max_length=500)] = None) -> Response:
    return render(request, "signin.html.j2", next=safe_next(next), failed=False)


@router.post("/signin")
async def signin(request: Request) -> Response:
    form = await request.form(max_files=0, max_fields=8)
    _require_form_csrf(request, form)
    guard = guard_of(request)
    target = safe_next(str(form.get("next") or "/"))
    if not guard.token_ok(str(form.get("token") or "")):
        return render(request, "signin.html.j2", next=target, failed=True)  # the form again, with why
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        guard.new_session(),
        httponly=True,
        samesite="strict",
        path="/",
        max_age=int(config_of(request).service.session_hours * 3600),
        secure=request.url.scheme == "https",
    )
    return response


@router.post("/signout")
async def signout(request: Request) -> Response:
    form = await request.form(max_files=0, max_fields=4)
    _require_form_csrf(request, form)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _signed_in_or_redirect(request: Request) -> Response | None:
    if guard_of(request).authorised(request):
        return None
    return RedirectResponse(f"/signin?next={request.url.path}", status_code=303)


@router.get("/add", response_class=HTMLResponse)
def add_page(request: Request) -> Response:
    return _signed_in_or_redirect(request) or render(request, "add.html.j2", receipt=None)


@router.post("/add", response_class=HTMLResponse)
async def add_reports(request: Request) -> Response:
    """The form's reports through the same intake as the API; the results as a page, or as the results
    fragment alone when the page's script sent the form (it shows upload progress meanwhile)."""
    if not guard_of(request).authorised(request):
        raise Problem(401, "Sign in to add reports", "Adding reports needs the server's token.")
    config = config_of(request)
    form = await request.form(
        max_files=config.service.max_articles, max_fields=16, max_part_size=config.ingest.max_bytes
    )
    _require_form_csrf(request, form)
    files = [
        (_upload_name(f.filename), await f.read())
        for f in form.getlist("files")
        if hasattr(f, "read") and f.filename
    ]
    pasted = {key: str(form.get(key) or "") for key in ("text", "title", "outlet", "url", "published")}
    try:
        inputs = intake.uploaded_inputs(files, pasted, config)
    except intake.TooManyArticles as error:
        raise Problem(413, "Too many articles in one request", str(error)) from None
    if not inputs:
        raise Problem(422, "Nothing to add", "Paste a report or choose files.")
    receipt = await run_in_threadpool(intake.receive, store_of(request), inputs, config, analysts_of(request))
    fragment = request.headers.get("x-storydesk-fragment") == "results"
    return render(request, "results.html.j2" if fragment else "add.html.j2", receipt=receipt)


def _upload_name(filename: str) -> str:
    """A label for an uploaded file: its last path part, printable, bounded (never used as a path)."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable())[:200]
    return name or "upload"


@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request) -> Response:
    return render(request, "docs.html.j2")


@router.get("/static/{name}")
def static(name: Annotated[str, Path(max_length=64)]) -> Response:
    asset = assets().get(name)
    if asset is None:
        raise Problem(404, "No such file")
    return Response(
        asset.body, media_type=asset.media_type, headers={"Cache-Control": "public, max-age=3600"}
    )
