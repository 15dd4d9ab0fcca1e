"""Logging for the application's own loggers, with the request id on every line.

Only this package's logger is configured: the server (gunicorn or uvicorn) keeps its own access
and error logs, and test tools that hook the root logger keep working.
"""

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

#: Set by RequestIdMiddleware for the duration of a request; "-" outside requests.
request_id_var: ContextVar[str] = ContextVar("request_id", default="-")

TEXT_FORMAT = "%(asctime)s %(levelname)s [%(name)s] [%(request_id)s] %(message)s"


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for log collectors that index fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry)


def configure_logging(package: str, *, level: str, json_format: bool) -> logging.Logger:
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter() if json_format else logging.Formatter(TEXT_FORMAT))
    logger = logging.getLogger(package)
    logger.handlers = [handler]
    logger.setLevel(level.upper())
    logger.propagate = False
    return logger
