"""Renders off the event loop, bounded, shared and remembered for a while.

Rendering is CPU work in Copier and Jinja (and a few git processes), so it runs in a small pool
of processes (one per core by default): they render in parallel, the server keeps answering
while they do, and a Copier that keeps process-wide state cannot mix two requests.

* **Bounded.** At most ``workers`` renders run and ``queue`` more wait; past that a request is
  refused at once with :class:`Busy` (the app answers 503 with ``Retry-After``).
* **Never abandoned half-way.** A request whose client went away stops waiting, but its render
  finishes in its process and removes its scratch folder (``build.build``); its slot is freed
  only then, so a flood of cancelled requests cannot pile up work beyond the bound.
* **Shared and remembered.** Identical requests in flight share one render, and the last few
  results are kept for a few minutes: Explore, each file preview and Generate of the same
  answers render once.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import time
from collections import OrderedDict
from collections.abc import Hashable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from .build import Failed, Job, Tree, build, start_worker, warm

#: How long a client is told to wait before trying again when the server is full.
RETRY_AFTER = 5


class Busy(Exception):
    """Every render slot and every waiting place is taken."""


class Renderer:
    def __init__(
        self,
        *,
        config: Path | None,
        trust: bool,
        scratch: Path,
        workers: int | None = None,
        queue: int = 32,
        keep: int = 16,
        keep_seconds: float = 600.0,
    ) -> None:
        self.workers = workers or max(1, min(os.cpu_count() or 1, 4))
        self.capacity = self.workers + queue
        self._initargs = (config, trust, str(scratch))
        self._pool = self._new_pool()
        self._admitted = 0
        self._inflight: dict[Hashable, asyncio.Future[Tree | Failed]] = {}
        self._kept: OrderedDict[Hashable, tuple[float, Tree]] = OrderedDict()
        self._keep = keep
        self._keep_seconds = keep_seconds

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=start_worker,
            initargs=self._initargs,
        )

    @property
    def admitted(self) -> int:
        """Renders running or waiting now."""
        return self._admitted

    def warm_up(self) -> None:
        """Start every render process now (each imports Copier once), not on the first request."""
        for future in [self._pool.submit(warm) for _ in range(self.workers)]:
            future.result()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    async def render(self, key: Hashable, job: Job) -> Tree | Failed:
        """The tree for ``job``: remembered, shared with an identical render in flight, or
        rendered now if a slot (or a waiting place) is free."""
        kept = self._kept.get(key)
        if kept is not None and time.monotonic() - kept[0] < self._keep_seconds:
            self._kept.move_to_end(key)
            return kept[1]
        shared = self._inflight.get(key)
        if shared is None:
            if self._admitted >= self.capacity:
                raise Busy
            shared = self._start(key, job)
        return await asyncio.shield(shared)

    def _start(self, key: Hashable, job: Job) -> asyncio.Future[Tree | Failed]:
        try:
            running: Future[Tree | Failed] = self._pool.submit(build, job)
        except BrokenProcessPool:  # a render process died (killed, out of memory): start anew
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._new_pool()
            running = self._pool.submit(build, job)
        self._admitted += 1
        shared = asyncio.wrap_future(running)
        self._inflight[key] = shared

        def finished(done: asyncio.Future[Tree | Failed]) -> None:
            self._admitted -= 1
            self._inflight.pop(key, None)
            if not done.cancelled() and done.exception() is None:
                result = done.result()
                if isinstance(result, Tree):
                    self._remember(key, result)

        shared.add_done_callback(finished)
        return shared

    def _remember(self, key: Hashable, tree: Tree) -> None:
        self._kept[key] = (time.monotonic(), tree)
        self._kept.move_to_end(key)
        while len(self._kept) > self._keep:
            self._kept.popitem(last=False)
