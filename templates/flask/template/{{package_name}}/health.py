"""Liveness and readiness probes for load balancers and container health checks.

Liveness (``GET /health``) is answered by ``LivenessMiddleware`` before the Flask app runs;
readiness (``GET /ready``) is a view, exempt from the host check and the HTTPS redirect.
"""

from collections.abc import Iterable
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from flask import Blueprint, current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from .extensions import db

bp = Blueprint("health", __name__)


class LivenessMiddleware:
    """Answers ``GET /health`` (and HEAD) before any other middleware or routing runs.

    Liveness only says that the process answers, so it needs no routing, host check, HTTPS
    redirect, session or headers: a container HEALTHCHECK or a load balancer calls it over
    plain HTTP with any Host, and a busy prober stays cheap. ``create_app`` installs it
    outermost, so ``flask run``, gunicorn and the test client all go through it.
    """

    BODY = b'{"status":"ok"}\n'

    def __init__(self, app: WSGIApplication, *, path: str = "/health") -> None:
        self.app = app
        self.path = path
        self.headers = [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(self.BODY))),
        ]

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        if environ.get("PATH_INFO") != self.path or method not in ("GET", "HEAD"):
            return self.app(environ, start_response)
        start_response("200 OK", list(self.headers))
        return [] if method == "HEAD" else [self.BODY]


@bp.get("/ready")
def ready() -> tuple[dict[str, str], int]:
    """Ready to serve when the database answers ``SELECT 1``; 503 otherwise."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        current_app.logger.exception("Readiness check failed: the database did not answer")
        return {"status": "unavailable", "reason": "database unavailable"}, 503
    return {"status": "ok"}, 200
