"""The items resource: CRUD, pagination bounds and validation.

`items_client` (tests/auth.py) is logged in where the API has users; ownership has its own tests.
"""

from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import event


async def create(client: AsyncClient, title: str = "Milk", **fields: str) -> dict[str, Any]:
    response = await client.post("/api/items", json={"title": title, **fields})
    assert response.status_code == 201, response.text
    item: dict[str, Any] = response.json()
    return item


async def test_create_and_read(items_client: AsyncClient) -> None:
    created = await create(items_client, "Milk", description="Two litres")
    assert created["title"] == "Milk"
    assert created["description"] == "Two litres"
    assert created["created_at"].endswith(("Z", "+00:00"))
    response = await items_client.get(f"/api/items/{created['id']}")
    assert response.status_code == 200
    assert response.json() == created


async def test_list_paginates(items_client: AsyncClient) -> None:
    ids = [(await create(items_client, f"Item {n}"))["id"] for n in range(5)]
    response = await items_client.get("/api/items", params={"limit": 2, "offset": 1})
    assert response.status_code == 200
    page = response.json()
    assert [item["id"] for item in page["items"]] == ids[1:3]
    assert (page["total"], page["limit"], page["offset"]) == (5, 2, 1)


async def test_list_past_the_end_is_empty(items_client: AsyncClient) -> None:
    await create(items_client)
    page = (await items_client.get("/api/items", params={"offset": 10})).json()
    assert page["items"] == []
    assert page["total"] == 1


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 101}, {"offset": -1}, {"limit": "x"}])
async def test_list_refuses_out_of_bounds_pages(
    items_client: AsyncClient, params: dict[str, Any]
) -> None:
    response = await items_client.get("/api/items", params=params)
    assert response.status_code == 422


async def test_update_changes_only_what_is_sent(items_client: AsyncClient) -> None:
    created = await create(items_client, "Milk", description="Two litres")
    response = await items_client.patch(f"/api/items/{created['id']}", json={"title": "Oat milk"})
    assert response.status_code == 200
    assert response.json()["title"] == "Oat milk"
    assert response.json()["description"] == "Two litres"
    assert response.json()["updated_at"] >= created["updated_at"]


@pytest.mark.parametrize(
    "payload", [{"title": ""}, {"title": None}, {"title": "x" * 201}, {"description": 5}]
)
async def test_update_refuses_invalid_payloads(
    items_client: AsyncClient, payload: dict[str, Any]
) -> None:
    created = await create(items_client)
    response = await items_client.patch(f"/api/items/{created['id']}", json=payload)
    assert response.status_code == 422


@pytest.mark.parametrize("payload", [{}, {"title": ""}, {"title": "x" * 201}, []])
async def test_create_refuses_invalid_payloads(items_client: AsyncClient, payload: object) -> None:
    response = await items_client.post("/api/items", json=payload)
    assert response.status_code == 422


async def test_delete(items_client: AsyncClient) -> None:
    created = await create(items_client)
    response = await items_client.delete(f"/api/items/{created['id']}")
    assert response.status_code == 204
    assert (await items_client.get(f"/api/items/{created['id']}")).status_code == 404


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
async def test_missing_items_are_404(items_client: AsyncClient, method: str) -> None:
    response = await items_client.request(method, "/api/items/999999", json={"title": "x"})
    assert response.status_code == 404
    assert response.json() == {"detail": "Item not found"}


async def test_a_page_costs_a_few_statements_whatever_its_size(
    app: FastAPI, items_client: AsyncClient
) -> None:
    """No N+1 and no second COUNT: a page of 20 rows costs what a page of 3 does.

    At most 4 statements, the transaction included: BEGIN, the user (if any), the page with its
    total, ROLLBACK. A regression guard that counts, so it cannot be noisy like a timing.
    """
    engine = app.state.engine.sync_engine
    statements: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    def transaction(name: str) -> Callable[..., None]:
        return lambda *_args: statements.append(name)

    listeners = [
        ("before_cursor_execute", record),
        ("begin", transaction("BEGIN")),
        ("commit", transaction("COMMIT")),
        ("rollback", transaction("ROLLBACK")),
    ]

    async def statements_for_the_list() -> list[str]:
        statements.clear()
        for name, listener in listeners:
            event.listen(engine, name, listener)
        try:
            response = await items_client.get("/api/items", params={"limit": 50})
        finally:
            for name, listener in listeners:
                event.remove(engine, name, listener)
        assert response.status_code == 200
        return list(statements)

    for _ in range(3):
        await create(items_client)
    few = await statements_for_the_list()
    for _ in range(17):
        await create(items_client)
    many = await statements_for_the_list()
    assert len(few) == len(many) <= 4, many
    assert [s for s in many if "count(" in s.lower()] == [many[-2]]


async def test_no_items_is_an_empty_first_page(items_client: AsyncClient) -> None:
    page = (await items_client.get("/api/items")).json()
    assert (page["items"], page["total"], page["limit"], page["offset"]) == ([], 0, 20, 0)
