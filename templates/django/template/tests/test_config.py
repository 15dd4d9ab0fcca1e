"""Configuration from the environment: settings selection, typed variables, production."""

import importlib
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings

from config import env

from .conftest import ProductionSettings

PROJECT_DIR = Path(__file__).resolve().parents[1]


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No APP_ENV or DJANGO_SETTINGS_MODULE; both are restored after the test."""
    monkeypatch.delenv("APP_ENV", raising=False)
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE", raising=False)
    return monkeypatch


@pytest.mark.parametrize("app_env", ["development", "test", "production"])
def test_app_env_selects_the_settings_module(
    clean_env: pytest.MonkeyPatch, tmp_path: Path, app_env: str
) -> None:
    clean_env.setattr(env, "BASE_DIR", tmp_path)
    clean_env.setenv("APP_ENV", app_env)

    assert env.select_settings_module() == f"config.settings.{app_env}"


def test_an_explicit_settings_module_wins(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("APP_ENV", "production")
    clean_env.setenv("DJANGO_SETTINGS_MODULE", "config.settings.test")

    assert env.select_settings_module() == "config.settings.test"


def test_an_unknown_app_env_is_refused(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("APP_ENV", "staging")

    with pytest.raises(ImproperlyConfigured, match="APP_ENV"):
        env.select_settings_module()


def test_dotenv_is_read_in_development_only(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("PYFRAME_DOTENV_PROBE=from-dotenv\n")
    clean_env.setattr(env, "BASE_DIR", tmp_path)
    clean_env.delenv("PYFRAME_DOTENV_PROBE", raising=False)

    clean_env.setenv("APP_ENV", "production")
    env.select_settings_module()
    assert "PYFRAME_DOTENV_PROBE" not in os.environ

    clean_env.setenv("APP_ENV", "development")
    env.select_settings_module()
    assert os.environ["PYFRAME_DOTENV_PROBE"] == "from-dotenv"


@pytest.mark.parametrize(
    ("raw", "expected"), [("", True), ("1", True), ("Yes", True), ("off", False), ("FALSE", False)]
)
def test_env_bool(monkeypatch: pytest.MonkeyPatch, raw: str, expected: bool) -> None:
    monkeypatch.setenv("FLAG", raw)

    assert env.env_bool("FLAG", default=True) is expected


def test_env_bool_refuses_other_words(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLAG", "maybe")

    with pytest.raises(ImproperlyConfigured, match="FLAG"):
        env.env_bool("FLAG", default=False)


def test_env_int(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COUNT", "12")
    assert env.env_int("COUNT", 1) == 12
    monkeypatch.setenv("COUNT", "")
    assert env.env_int("COUNT", 1) == 1
    monkeypatch.setenv("COUNT", "twelve")
    with pytest.raises(ImproperlyConfigured, match="COUNT"):
        env.env_int("COUNT", 1)


def test_env_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOG_FORMAT", "JSON")
    assert env.env_choice("LOG_FORMAT", ("text", "json"), "text") == "json"
    monkeypatch.setenv("LOG_FORMAT", "xml")
    with pytest.raises(ImproperlyConfigured, match="LOG_FORMAT"):
        env.env_choice("LOG_FORMAT", ("text", "json"), "text")


def test_env_list_drops_blanks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSTS", " a.example , ,b.example,")

    assert env.env_list("HOSTS") == ["a.example", "b.example"]


@pytest.mark.parametrize(
    ("raw", "expected"), [("", (5, 60)), ("10/second", (10, 1)), (" 3 / Hour ", (3, 3600))]
)
def test_env_rate(monkeypatch: pytest.MonkeyPatch, raw: str, expected: tuple[int, int]) -> None:
    monkeypatch.setenv("AUTH_RATE_LIMIT", raw)

    assert env.parse_rate(env.env_rate("AUTH_RATE_LIMIT", "5/minute")) == expected


@pytest.mark.parametrize("raw", ["5", "five/minute", "0/minute", "5/day", "-1/second"])
def test_env_rate_refuses_other_forms(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("AUTH_RATE_LIMIT", raw)

    with pytest.raises(ImproperlyConfigured, match="AUTH_RATE_LIMIT"):
        env.env_rate("AUTH_RATE_LIMIT", "5/minute")


@pytest.mark.parametrize(
    ("url", "backend", "location"),
    [
        ("locmem://", "locmem.LocMemCache", None),
        ("redis://cache.internal:6379/1", "redis.RedisCache", "redis://cache.internal:6379/1"),
        ("rediss://cache.internal:6380/1", "redis.RedisCache", "rediss://cache.internal:6380/1"),
    ],
)
def test_env_cache_picks_the_backend_from_the_url(
    monkeypatch: pytest.MonkeyPatch, url: str, backend: str, location: str | None
) -> None:
    monkeypatch.setenv("CACHE_URL", url)

    cache = env.env_cache("CACHE_URL", "locmem://")

    assert cache["BACKEND"] == f"django.core.cache.backends.{backend}"
    assert cache.get("LOCATION") == location


def test_env_cache_refuses_an_unknown_scheme(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CACHE_URL", "memcached://127.0.0.1:11211")

    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        env.env_cache("CACHE_URL", "locmem://")


@pytest.mark.parametrize("secret", [None, "", "change-me"])
def test_production_refuses_a_missing_or_placeholder_secret_key(
    monkeypatch: pytest.MonkeyPatch, secret: str | None
) -> None:
    if secret is None:
        monkeypatch.delenv("SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("SECRET_KEY", secret)
    sys.modules.pop("config.settings.production", None)

    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        importlib.import_module("config.settings.production")


def test_production_settings_are_locked_down(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", secrets.token_urlsafe(50))
    sys.modules.pop("config.settings.production", None)

    settings = importlib.import_module("config.settings.production")

    assert settings.DEBUG is False
    assert settings.SECURE_SSL_REDIRECT is True
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert "Manifest" in settings.STORAGES["staticfiles"]["BACKEND"]


def test_hsts_starts_at_a_minute_without_subdomains_or_preload(
    monkeypatch: pytest.MonkeyPatch, production_settings: ProductionSettings
) -> None:
    """A first deployment must not pin browsers to HTTPS for a year, or preload the domain."""
    for name in ("HSTS_SECONDS", "HSTS_INCLUDE_SUBDOMAINS", "HSTS_PRELOAD"):
        monkeypatch.delenv(name, raising=False)

    with override_settings(**production_settings()):
        response = Client().get("/accounts/login/", secure=True)

    assert response["Strict-Transport-Security"] == "max-age=60"


def test_hsts_subdomains_and_preload_are_opt_ins(production_settings: ProductionSettings) -> None:
    settings = production_settings(
        HSTS_SECONDS="31536000", HSTS_INCLUDE_SUBDOMAINS="true", HSTS_PRELOAD="true"
    )

    with override_settings(**settings):
        response = Client().get("/accounts/login/", secure=True)

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_check_deploy_reports_no_warning() -> None:
    """`manage.py check --deploy` under production settings, as an operator would run it."""
    environ = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    environ |= {
        "APP_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "app.example.com",
        "CSRF_TRUSTED_ORIGINS": "https://app.example.com",
    }

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT_DIR,
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_wsgi_and_asgi_entry_points_load() -> None:
    from config import asgi, wsgi

    assert callable(wsgi.application)
    assert callable(asgi.application)


@override_settings(CORS_ALLOWED_ORIGINS=["https://app.example.com"])
def test_cors_allows_only_configured_origins(client: Client) -> None:
    allowed = client.get("/accounts/login/", HTTP_ORIGIN="https://app.example.com")
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://app.example.com"
    other = client.get("/accounts/login/", HTTP_ORIGIN="https://evil.example.com")
    assert "Access-Control-Allow-Origin" not in other.headers
