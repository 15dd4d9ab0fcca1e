import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .factories import ItemFactory
from .models import Item, User

pytestmark = pytest.mark.django_db


def test_list_shows_only_the_users_own_items(
    user_client: Client, user: User, other_user: User
) -> None:
    mine = ItemFactory.create(owner=user, title="Mine")
    ItemFactory.create(owner=other_user, title="Theirs")

    response = user_client.get(reverse("items:list"))

    assert response.status_code == 200
    assert list(response.context["item_list"]) == [mine]
    assert "Theirs" not in response.content.decode()


def test_list_is_paginated(user_client: Client, user: User) -> None:
    ItemFactory.create_batch(25, owner=user)

    first = user_client.get(reverse("items:list"))
    second = user_client.get(reverse("items:list"), {"page": 2})

    assert len(first.context["item_list"]) == 20
    assert len(second.context["item_list"]) == 5


def test_list_queries_do_not_grow_with_the_rows(user_client: Client, user: User) -> None:
    """No N+1: a page of 20 rows costs the same queries as a page of 3."""

    def queries_for_a_page_of(rows: int) -> int:
        user.items.all().delete()
        ItemFactory.create_batch(rows, owner=user)
        with CaptureQueriesContext(connection) as queries:
            assert user_client.get(reverse("items:list")).status_code == 200
        return len(queries)

    assert queries_for_a_page_of(3) == queries_for_a_page_of(20) <= 6


def test_create_assigns_the_signed_in_user(user_client: Client, user: User) -> None:
    response = user_client.post(reverse("items:create"), {"title": "New", "description": "Details"})

    item = user.items.get()
    assert (item.title, item.description) == ("New", "Details")
    assert response.status_code == 302
    assert response["Location"] == item.get_absolute_url()


def test_create_requires_a_title(user_client: Client, user: User) -> None:
    response = user_client.post(reverse("items:create"), {"title": "", "description": "x"})

    assert response.status_code == 200
    assert not user.items.exists()


def test_detail_of_an_own_item(user_client: Client, user: User) -> None:
    item = ItemFactory.create(owner=user)

    response = user_client.get(reverse("items:detail", args=[item.pk]))

    assert response.status_code == 200
    assert item.title in response.content.decode()


def test_update_an_own_item(user_client: Client, user: User) -> None:
    item = ItemFactory.create(owner=user)

    response = user_client.post(
        reverse("items:update", args=[item.pk]), {"title": "Renamed", "description": ""}
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Renamed"


def test_delete_an_own_item(user_client: Client, user: User) -> None:
    item = ItemFactory.create(owner=user)

    response = user_client.post(reverse("items:delete", args=[item.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("items:list")
    assert not user.items.exists()


@pytest.mark.parametrize("name", ["items:detail", "items:update", "items:delete"])
def test_another_users_item_is_not_found(user_client: Client, other_user: User, name: str) -> None:
    item = ItemFactory.create(owner=other_user)

    assert user_client.get(reverse(name, args=[item.pk])).status_code == 404


@pytest.mark.parametrize("name", ["items:update", "items:delete"])
def test_another_users_item_cannot_be_changed(
    user_client: Client, other_user: User, name: str
) -> None:
    item = ItemFactory.create(owner=other_user, title="Private")

    response = user_client.post(reverse(name, args=[item.pk]), {"title": "Hijacked"})

    assert response.status_code == 404
    item.refresh_from_db()
    assert item.title == "Private"


def test_anonymous_visitors_cannot_see_an_item(client: Client) -> None:
    item = ItemFactory.create()

    response = client.get(reverse("items:detail", args=[item.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_item_str_is_its_title() -> None:
    assert str(ItemFactory.build(title="Lamp")) == "Lamp"


def test_an_anonymous_visitor_owns_no_items() -> None:
    ItemFactory.create()

    assert not Item.objects.owned_by(AnonymousUser()).exists()
