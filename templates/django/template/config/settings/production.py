"""Production: no debug, HTTPS only, secure cookies, HSTS, SMTP e-mail, hashed static files.

`python manage.py check --deploy` passes with no warning under these settings.

The HTTPS scheme of a request proxied by a TLS terminator is decided by the application
server, not by Django: gunicorn (and uvicorn workers) honour `X-Forwarded-Proto` only from
`FORWARDED_ALLOW_IPS`. SECURE_PROXY_SSL_HEADER is deliberately not set, because Django would
trust that header from any client.
"""

from config.env import env_bool, env_int, env_secret, env_str

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = env_secret("SECRET_KEY", placeholder="change-me")

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# One year, subdomains included. Lower SECURE_HSTS_SECONDS for a first rollout if unsure.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_SAMESITE = "Lax"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 10
