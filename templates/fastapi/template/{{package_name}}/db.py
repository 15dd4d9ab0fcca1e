"""Async engine and sessions, built from DATABASE_URL by whoever needs them (never at import)."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, event
from sqlalchemy.engine import URL, Dialect, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.types import TypeDecorator

#: One URL style for every tool (`postgresql://...`); the app swaps in the async driver.
_ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
}

#: Server connections per worker process: SQLAlchemy's default ceiling (5 + 10 overflow).
POOL_SIZE = 15


def async_url(database_url: str) -> URL:
    """Map a driver-less URL to the async driver this project installs; keep explicit ones."""
    url = make_url(database_url)
    driver = _ASYNC_DRIVERS.get(url.drivername)
    return url.set(drivername=driver) if driver else url


def create_engine(database_url: str) -> AsyncEngine:
    url = async_url(database_url)
    if url.get_backend_name() == "sqlite":
        engine = create_async_engine(url)
        event.listen(engine.sync_engine, "connect", _enable_sqlite_foreign_keys)
        return engine
    # A pooled server connection can die with a database restart. Rather than a ping (a round
    # trip per request), hand out only connections the driver has not seen closed.
    # Connections stay open, up to POOL_SIZE: "overflow" ones would be opened and closed again
    # under load, and a new PostgreSQL connection costs far more than the query it serves.
    engine = create_async_engine(url, pool_size=POOL_SIZE, max_overflow=0)
    event.listen(engine.sync_engine, "checkout", _refuse_closed_connection)
    return engine


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # Objects stay readable after commit: handlers serialise them once the session is done.
    return async_sessionmaker(engine, expire_on_commit=False)


def _refuse_closed_connection(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """Make the pool replace a connection the server closed (restart, pg_terminate_backend).

    asyncpg notices the server's goodbye as it arrives, so `is_closed()` costs no round trip;
    DisconnectionError makes the pool discard this connection and check out a fresh one.
    """
    if dbapi_connection.driver_connection.is_closed():
        raise DisconnectionError("the server closed this pooled connection")


def _enable_sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    """SQLite ignores foreign keys (and ON DELETE CASCADE) unless each connection asks."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware timestamp on every backend.

    SQLite stores no offset, so values read back would be naive and the API would answer
    `...T10:00:00` for a row it created as `...T10:00:00Z`; this type always returns UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
