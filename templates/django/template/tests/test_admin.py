import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from .factories import PASSWORD, ItemFactory, UserFactory
from .models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client: Client) -> Client:
    client.force_login(UserFactory.create(is_staff=True, is_superuser=True))
    return client


def test_admin_is_refused_to_anonymous_visitors(client: Client) -> None:
    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_admin_is_refused_to_users_who_are_not_staff(user_client: Client) -> None:
    response = user_client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize(
    "name",
    [
        "admin:index",
        "admin:users_user_changelist",
        "admin:users_user_add",
        "admin:items_item_changelist",
        "admin:items_item_add",
    ],
)
def test_admin_pages_open_for_staff(staff_client: Client, name: str) -> None:
    assert staff_client.get(reverse(name)).status_code == 200


def test_admin_change_pages_open_for_staff(staff_client: Client) -> None:
    item = ItemFactory.create()

    assert staff_client.get(reverse("admin:items_item_change", args=[item.pk])).status_code == 200
    user_url = reverse("admin:users_user_change", args=[item.owner.pk])
    assert staff_client.get(user_url).status_code == 200


def test_admin_search_finds_items_by_owner_email(staff_client: Client) -> None:
    item = ItemFactory.create()

    response = staff_client.get(reverse("admin:items_item_changelist"), {"q": item.owner.email})

    assert item.title in response.content.decode()


def test_admin_adds_a_user_by_email(staff_client: Client) -> None:
    response = staff_client.post(
        reverse("admin:users_user_add"),
        {
            "email": "New@Example.org",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert response.status_code == 302
    assert get_user_model().objects.filter(email="new@example.org").exists()


def test_admin_refuses_a_duplicate_email(staff_client: Client, user: User) -> None:
    response = staff_client.post(
        reverse("admin:users_user_add"),
        {
            "email": user.email.upper(),
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert response.status_code == 200
    assert get_user_model().objects.filter(email__iexact=user.email).count() == 1
