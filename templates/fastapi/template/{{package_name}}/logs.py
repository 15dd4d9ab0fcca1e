"""Logging for the application's own loggers, with the request id on every line.

Only this package's logger is configured (test tools that hook the root logger keep working).
The servers' own access logs are off: `RequestContextMiddleware` writes one line per request on
`<package>.access` instead, with the request id and the timing as fields.
"""

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

#: Set by RequestContextMiddleware for the duration of a request; "-" outside requests.
request_id_var: ContextVar[str] = ContextVar("request_id", default="-")

TEXT_FORMAT = "%(asctime)s %(levelname)s [%(name)s] [%(request_id)s] %(message)s"

#: What every LogRecord has; anything else on a record came from `extra=` and is a field.
_RECORD_ATTRIBUTES = frozenset(
    logging.LogRecord("", logging.INFO, "", 0, "", None, None).__dict__
) | {"message", "asctime", "request_id"}


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for log collectors that index fields.

    The keys are `time`, `level`, `logger`, `message`, `request_id`, `exception` when there is
    one, and the fields a line was logged with (`logger.info(..., extra={"status": 200})`).
    """

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        entry.update(
            (key, value)
            for key, value in record.__dict__.items()
            if key not in _RECORD_ATTRIBUTES and key not in entry
        )
        return json.dumps(entry, default=str)


def configure_logging(package: str, *, level: str, json_format: bool) -> logging.Logger:
    """Send `package`'s log lines (its access log included) to stderr as text or JSON."""
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter() if json_format else logging.Formatter(TEXT_FORMAT))
    logger = logging.getLogger(package)
    logger.handlers = [handler]
    logger.setLevel(level.upper())
    logger.propagate = False
    return logger
