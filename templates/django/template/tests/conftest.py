import pytest
from django.test import Client

from .factories import UserFactory


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def other_user(db):
    return UserFactory()


@pytest.fixture
def user_client(client: Client, user) -> Client:
    """A browser session signed in as `user`."""
    client.force_login(user)
    return client
