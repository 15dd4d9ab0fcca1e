"""Attempt limits for the credential endpoints: log-in (page and API token), sign-up and
password reset (request and confirm).

Every attempt counts twice: against the client's address and against the account it names
(the e-mail submitted, lower-cased). Past AUTH_RATE_LIMIT attempts in the window, either
counter refuses the next one, the right password included, so guessing is slow from one
address and slow against one account from many addresses. The window opens at the first
attempt; the refusal says when it closes (Retry-After).

The counters live in Django's default cache: Redis, shared by every worker, when CACHE_URL
points at it; otherwise each process's own memory, so each worker counts on its own.
"""

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from config.env import parse_rate

#: Scopes: the log-in page and the API token endpoint share one, so that the two together
#: still allow only AUTH_RATE_LIMIT guesses.
LOGIN, SIGNUP, PASSWORD_RESET, PASSWORD_RESET_CONFIRM = (
    "login",
    "signup",
    "password-reset",
    "password-reset-confirm",
)


def client_address(request: HttpRequest) -> str:
    """The client's address: the peer's, or, when the peer is a proxy of FORWARDED_ALLOW_IPS,
    the address that proxy appended to X-Forwarded-For (earlier entries are the client's word).

    Without this, every client behind the proxy would share one counter, and five bad
    attempts by anyone would lock everyone out.
    """
    peer = str(request.META.get("REMOTE_ADDR") or "unknown")
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    trusted = settings.FORWARDED_ALLOW_IPS
    if forwarded and ("*" in trusted or peer in trusted):
        return forwarded.rpartition(",")[2].strip() or peer
    return peer


def _key(scope: str, kind: str, ident: str) -> str:
    # Hashed: e-mail addresses stay out of the cache, and any input makes a valid key.
    digest = hashlib.sha256(ident.encode(errors="replace")).hexdigest()[:32]
    return f"auth-throttle:{scope}:{kind}:{digest}"


def _account_key(scope: str, account: str) -> str:
    return _key(scope, "account", account.strip().lower())


def _hit(key: str, limit: int, period: int) -> int | None:
    """Count one attempt on ``key``: None while within ``limit``, else the seconds left."""
    now = time.time()
    # The window opens with the first attempt: both keys expire when it closes.
    cache.add(f"{key}:until", now + period, period)
    cache.add(key, 0, period)
    try:
        count = cache.incr(key)
    except ValueError:  # the window closed between add() and incr()
        cache.set(key, 1, period)
        count = 1
    if count <= limit:
        return None
    until = float(cache.get(f"{key}:until", now + period))
    return max(1, math.ceil(until - now))


def attempt(request: HttpRequest, scope: str, account: object = None) -> int | None:
    """Count an attempt at ``scope`` by this client on ``account`` (any submitted value: only
    a non-empty string names an account). None when it may go on, else the seconds to wait."""
    limit, period = parse_rate(settings.AUTH_RATE_LIMIT)
    keys = [_key(scope, "address", client_address(request))]
    if isinstance(account, str) and account.strip():
        keys.append(_account_key(scope, account))
    waits = [wait for wait in (_hit(key, limit, period) for key in keys) if wait is not None]
    return max(waits, default=None)


def forget_account(scope: str, account: str) -> None:
    """Clear an account's counter after a success; the address counter keeps running."""
    key = _account_key(scope, account)
    cache.delete_many([key, f"{key}:until"])


def refusal_message(wait: int) -> str:
    return f"Too many attempts. Try again in {wait} seconds."
