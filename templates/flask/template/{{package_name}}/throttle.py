"""Throttling of the credential endpoints: log-in, registration, password reset and change.

Every attempt is counted twice, for the client's address and for the account it names (the
e-mail address, lower-cased), each allowed ``AUTH_RATE_LIMIT`` attempts (default ``5/minute``)
in a sliding window; past it the endpoint answers 429 with ``Retry-After``, even for the right
password. Counters live in Redis when ``REDIS_URL`` is set (projects with Celery), so every
worker shares them; otherwise in the worker's memory, one set per process.

A small module rather than Flask-Limiter: the per-account key comes from the submitted form or
JSON, which the views read anyway, and a web form must be shown again with a message and
status 429 rather than an error page, so each view calls ``check`` where it needs to.
"""

import importlib
import math
import threading
import time
import uuid
from collections import deque
from typing import Any, Protocol

from flask import Flask, current_app, request
from werkzeug.exceptions import TooManyRequests

#: Past this many counters, the memory store drops the ones whose window has passed.
MEMORY_PRUNE_AT = 10_000


class Windows(Protocol):
    """Where attempts are counted: ``hit`` records one, or says how long to wait."""

    def hit(self, key: str, limit: int, period: int) -> float: ...

    def clear(self, key: str) -> None: ...


class MemoryWindows:
    """Attempt times per key in this process, for a single worker and for tests."""

    def __init__(self) -> None:
        self.attempts: dict[str, deque[float]] = {}
        self.lock = threading.Lock()

    def hit(self, key: str, limit: int, period: int) -> float:
        """Record an attempt and return 0, or return the seconds until one is allowed."""
        now = time.monotonic()
        with self.lock:
            if len(self.attempts) > MEMORY_PRUNE_AT:
                self.attempts = {k: v for k, v in self.attempts.items() if v[-1] > now - period}
            times = self.attempts.setdefault(key, deque())
            while times and times[0] <= now - period:
                times.popleft()
            if len(times) >= limit:
                return times[0] + period - now
            times.append(now)
            return 0.0

    def clear(self, key: str) -> None:
        with self.lock:
            self.attempts.pop(key, None)


class RedisWindows:
    """Attempt times per key in a Redis sorted set, shared by every worker and server.

    The attempt is added and the window counted in one transaction, so two workers cannot
    both let the sixth attempt through; a refused attempt is taken out again.
    """

    def __init__(self, client: Any, prefix: str) -> None:
        self.client = client
        self.prefix = prefix

    def hit(self, key: str, limit: int, period: int) -> float:
        key = self.prefix + key
        now = time.time()
        member = f"{now}:{uuid.uuid4().hex}"
        pipe = self.client.pipeline()
        pipe.zremrangebyscore(key, 0, now - period)
        pipe.zadd(key, {member: now})
        pipe.zcard(key)
        pipe.zrange(key, 0, 0, withscores=True)
        pipe.expire(key, period)
        _, _, count, oldest, _ = pipe.execute()
        if count <= limit:
            return 0.0
        self.client.zrem(key, member)
        return float(oldest[0][1]) + period - now

    def clear(self, key: str) -> None:
        self.client.delete(self.prefix + key)


def init_app(app: Flask) -> None:
    """Choose where to count: Redis at ``REDIS_URL`` when it is set, else this process."""
    url = app.config.get("REDIS_URL", "")
    if url:
        # redis-py comes with celery[redis]; only projects with Celery have REDIS_URL.
        redis = importlib.import_module("redis")
        windows: Windows = RedisWindows(redis.Redis.from_url(url), f"{app.name}:throttle:")
    else:
        windows = MemoryWindows()
    app.extensions["throttle"] = windows


def keys(action: str, account: str | None) -> list[str]:
    """The counters an attempt at ``action`` adds to: the client's address, then the account."""
    found = [f"{action}:address:{request.remote_addr}"]
    if account:
        found.append(f"{action}:account:{account.strip().lower()}")
    return found


def check(action: str, account: str | None = None) -> None:
    """Count an attempt at ``action``; raise 429 with ``Retry-After`` past the limit."""
    windows: Windows = current_app.extensions["throttle"]
    limit, period = current_app.config["AUTH_RATE_LIMIT"]
    for key in keys(action, account):
        wait = windows.hit(key, limit, period)
        if wait:
            seconds = max(1, math.ceil(wait))
            raise TooManyRequests(
                f"Too many attempts. Try again in {seconds} seconds.", retry_after=seconds
            )


def forget_account(action: str, account: str) -> None:
    """A successful log-in clears its account's counter (never the address's)."""
    windows: Windows = current_app.extensions["throttle"]
    windows.clear(keys(action, account)[-1])
