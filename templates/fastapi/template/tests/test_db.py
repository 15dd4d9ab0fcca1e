"""The pool: a connection the server closed is replaced unseen; requests queue for slots.

The reconnect test runs on PostgreSQL only (DATABASE_URL=postgresql://... make test): it ends the
app's connections from another one, as a database restart or failover would.
"""

import asyncio

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

OTHERS = "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"


async def count_others(admin: AsyncEngine) -> int:
    async with admin.connect() as connection:
        return (await connection.scalar(text(f"SELECT count(*) {OTHERS}"))) or 0


async def test_the_next_request_survives_a_terminated_connection(
    app: FastAPI, client: AsyncClient
) -> None:
    engine: AsyncEngine = app.state.engine
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: run with DATABASE_URL=postgresql://...")
    assert (await client.get("/ready")).status_code == 200  # a connection now waits in the pool
    admin = create_async_engine(engine.url, poolclass=NullPool)
    try:
        assert await count_others(admin) >= 1
        async with admin.connect() as connection:
            await connection.execute(text(f"SELECT pg_terminate_backend(pid) {OTHERS}"))
        async with asyncio.timeout(5):
            while await count_others(admin):
                await asyncio.sleep(0.01)
    finally:
        await admin.dispose()

    response = await client.get("/ready")
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "ok"}


async def test_requests_wait_for_a_free_session_slot(app: FastAPI, client: AsyncClient) -> None:
    """A request takes a slot (one per pooled connection) before its session, in arrival order."""
    slots: asyncio.Semaphore = app.state.session_slots
    taken = 0
    while not slots.locked():
        await slots.acquire()
        taken += 1
    try:
        first = asyncio.create_task(client.get("/ready"))
        await asyncio.sleep(0.05)
        second = asyncio.create_task(client.get("/ready"))
        await asyncio.sleep(0.05)
        assert not first.done() and not second.done()
        slots.release()
        taken -= 1
        assert (await first).status_code == 200
    finally:
        for _ in range(taken):
            slots.release()
    assert (await second).status_code == 200
