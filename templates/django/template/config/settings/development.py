"""Local development: debug pages, e-mails printed to the console, `.env` values."""

from config.env import env_str

from .base import *  # noqa: F403

DEBUG = True
# `make install` writes a random SECRET_KEY into .env; the fallback only keeps a fresh
# checkout usable and is flagged by `manage.py check --deploy`.
SECRET_KEY = env_str("SECRET_KEY", "django-insecure-development-only")
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
