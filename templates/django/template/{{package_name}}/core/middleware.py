"""Liveness and readiness endpoints for container health checks and load balancers."""

import logging
from collections.abc import Callable

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse

logger = logging.getLogger(__name__)


class HealthCheckMiddleware:
    """Answer `GET /health` and `GET /ready` before any other middleware runs.

    Placed first in MIDDLEWARE so that these probes work over plain HTTP on 127.0.0.1 in
    production: they skip host validation (ALLOWED_HOSTS) and the HTTPS redirect, which would
    otherwise reject or redirect a container's HEALTHCHECK. They return nothing but a status.
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
