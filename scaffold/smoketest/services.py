"""Where the real database and cache servers are, and how a variant gets a fresh database.

PostgreSQL, MySQL and Redis variants run against real servers; a server that is not there
skips its variants (or fails them, when the run requires services).
"""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ..errors import PyframeError


@dataclass(frozen=True)
class Services:
    """Where the real servers are; a missing one skips (or, when required, fails) its variants."""

    postgresql: str | None = "postgresql://postgres@127.0.0.1:5432/postgres"
    mysql: str | None = "mysql://root@127.0.0.1:3306/mysql"
    redis: str | None = "redis://127.0.0.1:6379/0"

    @classmethod
    def from_urls(cls, database_urls: Sequence[str] = (), redis_url: str | None = None) -> Services:
        """Flags first, then PYFRAME_POSTGRESQL_URL / PYFRAME_MYSQL_URL / PYFRAME_REDIS_URL."""
        urls = {
            "postgresql": os.environ.get("PYFRAME_POSTGRESQL_URL", cls.postgresql),
            "mysql": os.environ.get("PYFRAME_MYSQL_URL", cls.mysql),
            "redis": redis_url or os.environ.get("PYFRAME_REDIS_URL", cls.redis),
        }
        for url in database_urls:
            scheme = urlsplit(url).scheme.split("+")[0]
            kind = {"postgres": "postgresql", "mariadb": "mysql"}.get(scheme, scheme)
            if kind not in ("postgresql", "mysql"):
                raise PyframeError(f"{{@database_url}} {url!r}: expected postgresql:// or mysql://")
            urls[kind] = url
        return cls(**urls)


def services_needed(answers: Mapping[str, Any]) -> list[str]:
    """Which servers a variant needs, read from its answers (database, redis, celery, websockets:
    the built-in skeletons broadcast through Redis)."""
    values = {
        str(item).lower()
        for value in answers.values()
        for item in (value if isinstance(value, list) else [value])
    }
    needed = []
    if answers.get("database") in ("postgresql", "postgres") or "postgresql" in values:
        needed.append("postgresql")
    if answers.get("database") in ("mysql", "mariadb") or values & {"mysql", "mariadb"}:
        needed.append("mysql")
    if values & {"redis", "celery"} or answers.get("websockets") is True:
        needed.append("redis")
    return needed


def reachable(url: str) -> bool:
    parts = urlsplit(url)
    port = parts.port or {"postgresql": 5432, "mysql": 3306, "redis": 6379}.get(
        parts.scheme.split("+")[0], 0
    )
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", port), timeout=2):
            return True
    except OSError:
        return False


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def admin_command(url: str, sql: str) -> list[str]:
    parts = urlsplit(url)
    if parts.scheme.startswith("postgres"):
        return ["psql", url, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql]
    command = ["mysql", "-h", parts.hostname or "127.0.0.1", "-P", str(parts.port or 3306)]
    command += ["-u", parts.username or "root"]
    if parts.password:
        command.append(f"-p{parts.password}")
    return [*command, "-e", sql]


def redact(url: str) -> str:
    """``url`` with its password replaced by ``***``, for messages and logs."""
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
    return url
