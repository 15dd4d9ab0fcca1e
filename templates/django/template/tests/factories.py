"""Test data: factories that build the project's models."""

from __future__ import annotations

import factory
from django.contrib.auth.hashers import make_password

from .models import Item, User

PASSWORD = "a-Strong-passw0rd"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    password = factory.LazyFunction(lambda: make_password(PASSWORD))


class ItemFactory(factory.django.DjangoModelFactory[Item]):
    class Meta:
        model = Item

    owner: factory.SubFactory[Item, User] = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Item {n}")
    description = "Something worth keeping."
