"""Log lines that name their request, as text for people or JSON for a log collector.

settings.LOGGING puts `RequestIdFilter` on the console handler and picks the formatter from
LOG_FORMAT. The request id lives in a context variable, which RequestLogMiddleware sets for the
duration of a request, so every line logged while serving it (by the app, Django or a library)
carries the id without passing it around; outside a request it is "-".
"""

import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

# A caller's X-Request-ID is reused only when it is short and plain: anything else could forge
# log lines (newlines, quotes) or bloat them.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")

# Attributes every LogRecord has; anything else on a record came from `extra=` and is a field.
_RECORD_ATTRIBUTES = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


def new_request_id(header: str | None) -> str:
    """The caller's X-Request-ID when it is sane, else a fresh random one."""
    if header is not None and _SANE_REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Give every record the current request id (`%(request_id)s` in the text format)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request_id, the fields
    passed with `extra=` and, when there is one, the exception's traceback."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id.get()),
        }
        for key, value in vars(record).items():
            if key not in _RECORD_ATTRIBUTES and key not in line:
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, default=str)
