"""A bounded pool for the heavy work: decoding, straightening, PDF rendering and checking.

Heavy work never runs on the event loop (one slow image would freeze every tablet), nor in
an unbounded pool (a flood of uploads would queue without end and exhaust memory): at most
`threads` jobs run, at most `queue` more wait, and past that the caller is told at once that
the server is busy (`BusyError`), which the web layer answers with a 503 and `Retry-After`.
Threads suffice: OpenCV, numpy, zxing-cpp, zbar, pypdfium2 and hashlib release the GIL
during their work (measured by benchmarks/under_attack.py).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

T = TypeVar("T")

BUSY_MESSAGE = "Le serveur est très occupé : réessayez dans quelques secondes."


class BusyError(Exception):
    """Every slot of the pool is taken. Not a `RefusedError` on purpose: nothing is wrong with
    what was sent, so the routes' handling of bad input (a 422) must not catch it."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(BUSY_MESSAGE)
        self.message = BUSY_MESSAGE
        self.retry_after = retry_after


class WorkerPool:
    """`threads` running, `queue` waiting; `threads` 0 refuses everything (tests)."""

    def __init__(self, threads: int, queue: int, retry_after: int = 5) -> None:
        self.threads = max(0, threads)
        self.capacity = self.threads + max(0, queue) if self.threads else 0
        self.retry_after = retry_after
        self._taken = 0
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(
            max_workers=max(1, self.threads), thread_name_prefix="lic-work"
        )

    @property
    def taken(self) -> int:
        """Jobs running or waiting now."""
        return self._taken

    def submit(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> Future[T]:
        """The job's future, or BusyError at once when the pool and its queue are full."""
        with self._lock:
            if self._taken >= self.capacity:
                raise BusyError(self.retry_after)
            self._taken += 1
        try:
            return self._executor.submit(self._job, partial(fn, *args, **kwargs))
        except RuntimeError:  # shut down
            self._release()
            raise BusyError(self.retry_after) from None

    def _job(self, work: Callable[[], T]) -> T:
        """The slot is freed when the work ends (before its result is given), not when its
        caller stops waiting: a client that hangs up makes no room for more work."""
        try:
            return work()
        finally:
            self._release()

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """`fn(*args, **kwargs)` in the pool, awaited without blocking the event loop."""
        return await asyncio.wrap_future(self.submit(fn, *args, **kwargs))

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """The same from a synchronous route (already on a thread of its own): it waits."""
        return self.submit(fn, *args, **kwargs).result()

    def _release(self) -> None:
        with self._lock:
            self._taken -= 1

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
