"""Test data. Models are named by app label, so tests do not depend on the package path."""

import factory

PASSWORD = "a-Strong-passw0rd"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "users.User"

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    password = factory.django.Password(PASSWORD)


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "items.Item"

    owner = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Item {n}")
    description = "Something worth keeping."
