"""Pure ASGI middleware (no BaseHTTPMiddleware: it costs a task per request and hides context)."""

import logging
import re
import time
from collections.abc import Iterable
from uuid import uuid4

from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .logs import request_id_var

REQUEST_ID_HEADER = "X-Request-ID"
# An incoming id is reused only if it cannot forge log lines or bloat them.
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")

access_logger = logging.getLogger(f"{__package__}.access")


def request_id_from(headers: Headers) -> str:
    """The caller's X-Request-ID when it is a sane one, else a new one."""
    incoming = headers.get(REQUEST_ID_HEADER, "")
    return incoming if _VALID_REQUEST_ID.fullmatch(incoming) else uuid4().hex


class RequestContextMiddleware:
    """Give every request an id, return it in X-Request-ID, and write its access line.

    The id is in `request_id_var` for every log line of the request. The access line
    (`GET /api/items 200 3.1ms`) carries `method`, `path`, `status` and `duration_ms` as fields;
    it replaces the server's own access log, which knows neither the id nor the app's timing.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        request_id = request_id_from(Headers(scope=scope))
        # Not reset afterwards: the 500 handler, which runs outside this middleware, logs with it.
        request_id_var.set(request_id)
        if scope["type"] == "websocket":
            await self.app(scope, receive, send)
            return

        status = 500  # unless a response starts: an exception that escapes is answered with 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message).append(REQUEST_ID_HEADER, request_id)
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            access_logger.info(
                "%s %s %d %.1fms",
                scope["method"],
                scope["path"],
                status,
                duration_ms,
                extra={
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": duration_ms,
                },
            )


class SecurityHeadersMiddleware:
    """Headers a security review expects on every response; HSTS only where TLS is promised."""

    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app = app
        self.headers = {
            "X-Content-Type-Options": "nosniff",
            "X-Frame-Options": "DENY",
            "Referrer-Policy": "no-referrer",
        }
        if hsts:
            self.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class HostCheckMiddleware:
    """Starlette's host check, except on the probes a load balancer calls by IP address."""

    def __init__(self, app: ASGIApp, *, allowed_hosts: Iterable[str], exempt: Iterable[str]):
        self.app = app
        self.checked = TrustedHostMiddleware(app, allowed_hosts=list(allowed_hosts))
        self.exempt = frozenset(exempt)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] in self.exempt:
            await self.app(scope, receive, send)
        else:
            await self.checked(scope, receive, send)


class LivenessMiddleware:
    """Answers ``GET /health`` (and HEAD) before any other middleware or routing runs.

    Liveness only says that the process answers, so it needs no routing, validation, request
    id or headers. Answering here makes a busy prober cheap: the README shows the measurement.
    """

    BODY = b'{"status":"ok"}'

    def __init__(self, app: ASGIApp, *, path: str = "/health") -> None:
        self.app = app
        self.path = path
        self.headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(self.BODY)).encode()),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not (
            scope["type"] == "http"
            and scope["path"] == self.path
            and scope["method"] in ("GET", "HEAD")
        ):
            await self.app(scope, receive, send)
            return
        await send({"type": "http.response.start", "status": 200, "headers": self.headers})
        body = b"" if scope["method"] == "HEAD" else self.BODY
        await send({"type": "http.response.body", "body": body})
