"""The HTTP face of ``pyframe serve``: the page, its fragments, the JSON API and the archives.

Every route reads the same flat parameters (``params.py``), decides through the same
:class:`~scaffold.web.service.Service` and renders through the same bounded
:class:`~scaffold.web.renderer.Renderer`. What goes wrong is worded for whoever asked: a field
error beside the field on the page, ``{"error": ..., "errors": {...}}`` for the API, one line of
text for ``curl``; always a 4xx for bad input (503 with ``Retry-After`` when full), never a 500.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Message, Receive, Scope, Send

from ..config import load_config
from ..errors import PyframeError
from . import page
from .build import Failed, Job, Tree, to_tar_gz, to_zip
from .params import parse
from .renderer import RETRY_AFTER, Busy, Renderer
from .service import Decision, Refused, Service

log = logging.getLogger("pyframe.serve")

#: Longest query string accepted (a full form is well under 2 kB).
MAX_QUERY = 8 * 1024
#: Largest request body accepted: every route is a GET, so anything beyond a few bytes is abuse.
MAX_BODY = 16 * 1024

Handler = Callable[[Request], Awaitable[Response]]

#: Sent with every response: the page loads only what the app serves (no CDN, no inline script),
#: is never framed, and its forms post only to the app.
SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; "
        b"base-uri 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]


def create_app(
    *,
    config: Path | None = None,
    trust: bool = False,
    scratch: Path | None = None,
    workers: int | None = None,
    queue: int = 32,
) -> Limits:
    """The ``pyframe serve`` application. The configuration is read now, so a mistake in it
    stops the server before it listens; the render processes start with the server."""
    settings = load_config(config)
    service = Service(settings, trust=trust)
    own_scratch = scratch is None
    root = Path(tempfile.mkdtemp(prefix="pyframe-serve-")) if scratch is None else scratch

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        renderer = Renderer(
            config=settings.path, trust=trust, scratch=root, workers=workers, queue=queue
        )
        await asyncio.to_thread(renderer.warm_up)
        app.state.renderer = renderer
        try:
            yield
        finally:
            await asyncio.to_thread(renderer.close)
            service.close()
            if own_scratch:
                shutil.rmtree(root, ignore_errors=True)

    web = Web(service)
    app = Starlette(
        routes=[
            Route("/", web.handled(web.index, "page"), methods=["GET"]),
            Route("/starter.zip", web.handled(web.zip, "archive"), methods=["GET"]),
            Route("/starter.tar.gz", web.handled(web.tar, "archive"), methods=["GET"]),
            Route("/api/metadata", web.handled(web.metadata, "api"), methods=["GET"]),
            Route("/api/recommend", web.handled(web.recommend, "api"), methods=["GET"]),
            Route("/api/check", web.handled(web.check, "api"), methods=["GET"]),
            Route("/api/files", web.handled(web.files, "api"), methods=["GET"]),
            Route("/api/file", web.handled(web.file, "api"), methods=["GET"]),
            Route("/fragment/{part}", web.handled(web.fragment, "fragment"), methods=["GET"]),
            Route("/healthz", web.health, methods=["GET"]),
            Mount("/static", StaticFiles(directory=page.STATIC), name="static"),
        ],
        lifespan=lifespan,
    )
    app.state.service = service
    app.state.scratch = root
    return Limits(app)


class Limits:
    """Refuses an oversized request before any route reads it: a long query (414) or a body
    (413; every route is a GET)."""

    def __init__(self, app: Starlette) -> None:
        self.app = app
        self.state = app.state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def guarded(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        refusal = _oversized(scope)
        if refusal is not None:
            await refusal(scope, receive, guarded)
            return
        await self.app(scope, receive, guarded)


def _oversized(scope: Scope) -> Response | None:
    if len(scope.get("query_string", b"")) > MAX_QUERY:
        return PlainTextResponse(f"the query is too long (at most {MAX_QUERY} bytes)\n", 414)
    for key, value in scope.get("headers", []):
        if key == b"content-length" and (not value.isdigit() or int(value) > MAX_BODY):
            return PlainTextResponse(f"the request body is too large (at most {MAX_BODY})\n", 413)
    return None


class Web:
    """The routes, over one service."""

    def __init__(self, service: Service) -> None:
        self.service = service

    # --- errors, worded for whoever asked -------------------------------------------------------

    def handled(self, handler: Handler, kind: str) -> Handler:
        async def wrapper(request: Request) -> Response:
            try:
                return await handler(request)
            except Busy:
                message = "the server is rendering as many projects as it can; try again shortly"
                return self._error(request, kind, Refused(message, status=503), None)
            except Refused as exc:
                return self._error(request, kind, exc, exc.decision)
            except PyframeError as exc:
                return self._error(request, kind, Refused(exc.message, field=exc.field), None)

        return wrapper

    def _error(
        self, request: Request, kind: str, exc: Refused, decision: Decision | None
    ) -> Response:
        headers = {"Retry-After": str(RETRY_AFTER)} if exc.status == 503 else None
        body: dict[str, Any] = {"error": exc.message, "field": exc.field, "errors": exc.errors}
        if kind == "api" or (kind == "archive" and _accepts(request, "application/json")):
            return JSONResponse(body, exc.status, headers=headers)
        if kind in ("page", "archive") and page.wants_html(request):
            html = page.error_page(request, self.service, exc, decision)
            return HTMLResponse(html, exc.status, headers=headers)
        if kind == "fragment":
            return HTMLResponse(page.error_fragment(exc), exc.status, headers=headers)
        lines = [f"pyframe: {exc.message}"]
        lines += [f"  {field}: {message}" for field, message in exc.errors.items()]
        return PlainTextResponse("\n".join(lines) + "\n", exc.status, headers=headers)

    # --- deciding and rendering -------------------------------------------------------------------

    async def decide(
        self, request: Request, *, strict: bool = False, lenient: bool = False
    ) -> Decision:
        """The request's decision (``Service.decide`` runs Jinja and may fetch a registered
        template once, so it runs off the event loop). ``strict``: invalid answers are an error;
        ``lenient`` (or ``lenient=1``): answers another template asks are dropped (the page)."""
        starter = parse(request.query_params.multi_items())
        lenient = lenient or request.query_params.get("lenient") == "1"
        decision = await asyncio.to_thread(self.service.decide, starter, lenient=lenient)
        if strict and not decision.ok:
            refused = Refused(
                "the answers need fixing: "
                + "; ".join(f"{k}: {v}" for k, v in decision.all_errors.items()),
                status=422,
                errors=decision.all_errors,
            )
            refused.decision = decision
            raise refused
        return decision

    async def tree(self, request: Request, decision: Decision) -> Tree:
        starter = decision.starter
        job = Job(
            name=starter.name,
            needs=starter.as_needs,
            framework=starter.framework,
            template=starter.template,
            data=dict(decision.given),
        )
        renderer: Renderer = request.app.state.renderer
        result = await renderer.render(starter.cache_key(), job)
        if isinstance(result, Failed):
            raise Refused(result.message, status=422, field=result.field)
        return result

    # --- routes --------------------------------------------------------------------------------

    async def index(self, request: Request) -> Response:
        if not page.wants_html(request):
            if _accepts(request, "application/json"):
                return await self.metadata(request)
            return PlainTextResponse(page.text_help(request, self.service))
        decision = await self.decide(request, lenient=True)
        tree = None
        path = request.query_params.get("path")
        if (request.query_params.get("explore") or path) and decision.ok:
            tree = await self.tree(request, decision)
        return HTMLResponse(page.page(request, self.service, decision, tree, path))

    async def zip(self, request: Request) -> Response:
        return await self._archive(request, ".zip", "application/zip", to_zip)

    async def tar(self, request: Request) -> Response:
        return await self._archive(request, ".tar.gz", "application/gzip", to_tar_gz)

    async def _archive(
        self, request: Request, suffix: str, media: str, pack: Callable[[Tree], bytes]
    ) -> Response:
        decision = await self.decide(request, strict=True)
        tree = await self.tree(request, decision)
        body = await asyncio.to_thread(pack, tree)
        filename = f"{tree.name}{suffix}"
        return Response(
            body,
            media_type=media,
            headers={
                "Content-Disposition": f'attachment; filename="{filename}"',
                "X-Pyframe-Template": tree.template,
            },
        )

    async def metadata(self, request: Request) -> Response:
        return JSONResponse(await asyncio.to_thread(page.metadata, request, self.service))

    async def recommend(self, request: Request) -> Response:
        starter = parse(request.query_params.multi_items())
        result = self.service.recommendation(starter)
        return JSONResponse(result.to_dict())

    async def check(self, request: Request) -> Response:
        decision = await self.decide(request)
        return JSONResponse(page.check_json(request, decision))

    async def files(self, request: Request) -> Response:
        decision = await self.decide(request, strict=True)
        tree = await self.tree(request, decision)
        return JSONResponse(page.files_json(tree))

    async def file(self, request: Request) -> Response:
        decision = await self.decide(request, strict=True)
        tree = await self.tree(request, decision)
        return JSONResponse(page.file_json(tree, _path(request, tree)))

    async def fragment(self, request: Request) -> Response:
        part = request.path_params["part"]
        if part not in page.FRAGMENTS:
            raise Refused(f"no fragment {part!r}", status=404)
        if part == "recommendation":
            decision = await self.decide(request, lenient=True)
            return HTMLResponse(page.fragment(request, self.service, part, decision))
        decision = await self.decide(request, strict=part != "questions", lenient=True)
        tree = None if part == "questions" else await self.tree(request, decision)
        path = _path(request, tree) if part == "file" and tree is not None else None
        return HTMLResponse(page.fragment(request, self.service, part, decision, tree, path))

    async def health(self, request: Request) -> Response:
        return PlainTextResponse("ok\n")


def _path(request: Request, tree: Tree) -> str:
    path = request.query_params.get("path", "")
    if tree.file(path) is None:
        raise Refused(f"{path!r} is not a file of the project", status=404, field="path")
    return path


def _accepts(request: Request, media: str) -> bool:
    return media in request.headers.get("accept", "")
