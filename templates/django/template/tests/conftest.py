import importlib
import secrets
import sys
from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.test import Client

from .factories import UserFactory
from .models import User

ProductionSettings = Callable[..., dict[str, object]]


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with no attempt counted (core/throttle.py keeps them in the cache)."""
    cache.clear()


@pytest.fixture
def user(db: None) -> User:
    return UserFactory.create()


@pytest.fixture
def other_user(db: None) -> User:
    return UserFactory.create()


@pytest.fixture
def user_client(client: Client, user: User) -> Client:
    """A browser session signed in as `user`."""
    client.force_login(user)
    return client


@pytest.fixture
def production_settings(monkeypatch: pytest.MonkeyPatch) -> ProductionSettings:
    """Import config.settings.production afresh under the given environment variables (plus a
    real SECRET_KEY and ALLOWED_HOSTS=testserver) and return its settings, to apply over the
    test settings with `override_settings(**...)`. The database (the test run's own), the apps
    (the same) and static file storage (nothing is collected in tests) are left as they are."""

    def load(**environ: str) -> dict[str, object]:
        monkeypatch.setenv("SECRET_KEY", secrets.token_urlsafe(50))
        monkeypatch.setenv("ALLOWED_HOSTS", "testserver")
        for name, value in environ.items():
            monkeypatch.setenv(name, value)
        # Afresh, base included: both read the environment when they are imported.
        for name in ("config.settings.base", "config.settings.production"):
            sys.modules.pop(name, None)
        module = importlib.import_module("config.settings.production")
        return {
            name: value
            for name, value in vars(module).items()
            if name.isupper() and name not in {"DATABASES", "INSTALLED_APPS", "STORAGES"}
        }

    return load
