"""Middleware that runs around every request: health checks first, then the request id and
the access log."""

import logging
import time
from collections.abc import Callable

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.log import log_response

from .logs import new_request_id, request_id

logger = logging.getLogger(__name__)
# `<package>.access`: one line per request, written by the app rather than the server, so it
# carries the request id and the same format as every other line.
access_logger = logging.getLogger(f"{__name__.partition('.')[0]}.access")


class HealthCheckMiddleware:
    """Answer `GET /health` and `GET /ready` before any other middleware runs.

    Placed first in MIDDLEWARE so that these probes work over plain HTTP on 127.0.0.1 in
    production: they skip host validation (ALLOWED_HOSTS) and the HTTPS redirect, which would
    otherwise reject or redirect a container's HEALTHCHECK. They return nothing but a status,
    and write no access line: a probe every few seconds would drown the log.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in {"GET", "HEAD"}:
            if request.path == "/health":
                return JsonResponse({"status": "ok"})
            if request.path == "/ready":
                return readiness()
        return self.get_response(request)


def readiness() -> JsonResponse:
    """200 when the database answers `SELECT 1`, 503 with a short reason when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.exception("Readiness check failed: the database did not answer")
        return JsonResponse({"status": "unavailable", "reason": "database unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


class RequestLogMiddleware:
    """Give each request an id and write its access line.

    The id is the caller's `X-Request-ID` when it is sane (a proxy's or another service's, so
    one id follows a request across services), else a new one; it is sent back in the
    response's `X-Request-ID` and named by every log line written while the request is served.
    The access line (`GET /items/ 200 3.1ms`) leaves out the query string, which can hold
    tokens or personal data.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        current = new_request_id(request.headers.get("X-Request-ID"))
        token = request_id.set(current)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = current
            log_request(request, response, duration_ms=(time.perf_counter() - started) * 1000)
            return response
        finally:
            request_id.reset(token)


def log_request(request: HttpRequest, response: HttpResponse, duration_ms: float) -> None:
    """Write the access line; for an error response, Django's own line too.

    Django logs an error response (`Not Found: /x`) only after the middleware chain, where the
    request id is already gone: logging it here keeps the id, and Django then skips its own.
    """
    if response.status_code >= 400:
        log_response(
            "%s: %s", response.reason_phrase, request.path, response=response, request=request
        )
    duration_ms = round(duration_ms, 1)
    access_logger.info(
        "%s %s %s %.1fms",
        request.method,
        request.path,
        response.status_code,
        duration_ms,
        extra={
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": duration_ms,
        },
    )
