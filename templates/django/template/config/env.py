"""Read configuration from the process environment, once, at start-up (12-factor).

Every entry point (manage.py, wsgi.py, asgi.py, the Celery app) calls
`select_settings_module()` so that they all load the same settings for the same `APP_ENV`.
The settings modules then read their values with the small typed helpers below, which fail
with a message naming the variable instead of a bare `KeyError` or `ValueError`.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv

APP_ENVS = ("development", "test", "production")
BASE_DIR = Path(__file__).resolve().parent.parent


def select_settings_module() -> str:
    """Point DJANGO_SETTINGS_MODULE at `config.settings.<APP_ENV>` unless it is already set.

    `.env` is read only in development, so a stray file on a server never overrides the real
    environment; variables already set in the process always win over `.env`.
    """
    if os.environ.get("APP_ENV", "development") == "development":
        load_dotenv(BASE_DIR / ".env", override=False)
    app_env = os.environ.get("APP_ENV", "development")
    if app_env not in APP_ENVS:
        raise ImproperlyConfigured(
            f"APP_ENV must be one of {', '.join(APP_ENVS)}, not {app_env!r}."
        )
    return os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"config.settings.{app_env}")


def env_str(name: str, default: str) -> str:
    """A string variable; an empty value counts as unset."""
    return os.environ.get(name) or default


def env_bool(name: str, default: bool) -> bool:
    """A boolean variable: 1/true/yes/on or 0/false/no/off, any case."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), not {value!r}.")


def env_int(name: str, default: int) -> int:
    """An integer variable."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}.") from None


def env_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    """One of a few words, any case."""
    value = env_str(name, default).strip().lower()
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}.")
    return value


def env_list(name: str, default: str = "") -> list[str]:
    """A comma-separated list; blanks around items and empty items are dropped."""
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


CACHE_BACKENDS = {
    "locmem": "django.core.cache.backends.locmem.LocMemCache",
    "redis": "django.core.cache.backends.redis.RedisCache",
    "rediss": "django.core.cache.backends.redis.RedisCache",
}


def env_cache(name: str, default: str) -> dict[str, str]:
    """A cache from a URL: `locmem://` (memory of this process) or `redis://host:6379/1`
    (`rediss://` over TLS), shared by every process that points at it."""
    url = env_str(name, default)
    scheme = url.partition("://")[0]
    if scheme not in CACHE_BACKENDS:
        raise ImproperlyConfigured(
            f"{name} must start with {', '.join(f'{s}://' for s in CACHE_BACKENDS)}, not {url!r}."
        )
    if scheme == "locmem":
        return {"BACKEND": CACHE_BACKENDS[scheme]}
    return {"BACKEND": CACHE_BACKENDS[scheme], "LOCATION": url}


def env_secret(name: str, placeholder: str) -> str:
    """A secret that must be set, and not to the placeholder shipped in `.env.example`."""
    value = os.environ.get(name, "").strip()
    if not value or value == placeholder:
        raise ImproperlyConfigured(
            f"{name} must be set to a long random value in production "
            f'(e.g. python -c "import secrets; print(secrets.token_urlsafe(50))").'
        )
    return value


RATE_PERIODS = {"second": 1, "minute": 60, "hour": 3600}


def parse_rate(rate: str, name: str = "AUTH_RATE_LIMIT") -> tuple[int, int]:
    """`N/second`, `N/minute` or `N/hour` as (N, seconds in the window)."""
    count, _, period = rate.strip().lower().partition("/")
    if not count.strip().isdigit() or int(count) < 1 or period.strip() not in RATE_PERIODS:
        raise ImproperlyConfigured(
            f"{name} must look like 5/minute (N/second, N/minute or N/hour), not {rate!r}."
        )
    return int(count), RATE_PERIODS[period.strip()]


def env_rate(name: str, default: str) -> str:
    """A rate such as `5/minute`, checked at start-up (see `parse_rate`)."""
    value = env_str(name, default)
    parse_rate(value, name)
    return value
