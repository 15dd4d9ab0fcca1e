"""Log lines of the app's own loggers, in text or JSON, each naming the request it belongs to.

``create_app`` configures the package's logger (``app.logger`` and its children) and wraps the
app in ``RequestLogMiddleware``, which gives every request an id and writes one access line for
it. gunicorn's access log is off, so a request is logged once, by the app, with its id.
``/health`` is answered outside the middleware and is never logged: probes would flood the log.
"""

import json
import logging
import re
import time
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from datetime import UTC, datetime
from types import TracebackType
from uuid import uuid4
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from werkzeug.wsgi import get_path_info

#: The id of the request being handled; "-" outside a request.
request_id_var: ContextVar[str] = ContextVar("request_id", default="-")

REQUEST_ID_HEADER = "X-Request-ID"
#: An incoming id is reused only when it can neither forge log lines nor bloat them.
VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")
TEXT_FORMAT = "%(asctime)s %(levelname)s [%(name)s] [%(request_id)s] %(message)s"
#: What every LogRecord carries; any other attribute is a structured field of that line.
RECORD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "request_id",
}

ExcInfo = tuple[type[BaseException], BaseException, TracebackType] | tuple[None, None, None]


class RequestIdFilter(logging.Filter):
    """Stamp every record with the id of the request it was logged in."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for log collectors that index fields.

    ``logger.info("...", extra={"order_id": 7})`` adds ``"order_id": 7`` to the line.
    """

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        for name, value in vars(record).items():
            if name not in RECORD_ATTRIBUTES:
                entry[name] = value
        return json.dumps(entry, default=str)


def configure_logging(package: str, *, level: str, json_format: bool) -> logging.Logger:
    """Send the package's log lines to stderr, with the request id, as text or JSON.

    Only this package's logger is configured: libraries keep theirs, and test tools that hook
    the root logger keep working.
    """
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter() if json_format else logging.Formatter(TEXT_FORMAT))
    logger = logging.getLogger(package)
    logger.handlers = [handler]
    logger.setLevel(level)
    logger.propagate = False
    return logger


class RequestLogMiddleware:
    """Give each request an id, return it as ``X-Request-ID`` and log one access line for it.

    The id is the caller's ``X-Request-ID`` when it is sane (a load balancer's, so one id
    follows the request through every service), otherwise a new one. The access line goes to
    ``<package>.access``: ``GET /items/ 200 3.1ms``, with ``method``, ``path``, ``status`` and
    ``duration_ms`` as JSON fields.
    """

    def __init__(self, app: WSGIApplication, package: str) -> None:
        self.app = app
        self.logger = logging.getLogger(f"{package}.access")

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        incoming = environ.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if VALID_REQUEST_ID.fullmatch(incoming) else uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 500  # unless the app answers: an exception that escapes it is a 500

        def start_with_id(
            status_line: str, headers: list[tuple[str, str]], exc_info: ExcInfo | None = None
        ) -> Callable[[bytes], object]:
            nonlocal status
            status = int(status_line.split(" ", 1)[0])
            headers = [*headers, (REQUEST_ID_HEADER, request_id)]
            return start_response(status_line, headers, exc_info)

        try:
            return self.app(environ, start_with_id)
        finally:
            self.log_access(environ, status, started)
            request_id_var.reset(token)

    def log_access(self, environ: WSGIEnvironment, status: int, started: float) -> None:
        """One line per request; the request id comes from the context, like any other line.

        Nothing is computed when the level hides the line (``LOG_LEVEL=WARNING`` under load).
        """
        if not self.logger.isEnabledFor(logging.INFO):
            return
        method = environ.get("REQUEST_METHOD", "")
        path = get_path_info(environ)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        self.logger.info(
            "%s %s %s %.1fms",
            method,
            path,
            status,
            duration_ms,
            extra={"method": method, "path": path, "status": status, "duration_ms": duration_ms},
        )
