"""A bounded pool for the heavy work: decoding, straightening, PDF rendering and checking.

Heavy work never runs on the event loop (one slow image would freeze every tablet), nor in
an unbounded pool (a flood of uploads would queue without end and exhaust memory): at most
`threads` jobs run, at most `queue` more wait, and past that the caller is told at once that
the server is busy (`BusyError`), which the web layer answers with a 503 and `Retry-After`.
Threads suffice for the agents' work: OpenCV, numpy, zxing-cpp, zbar and hashlib
release the GIL during their work (measured: another thread stalls 100 ms at worst
during a 7 s PDF check). The public's work runs in a process pool (below).
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from typing import Any, Generic, TypeVar

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
    """`threads` running, `queue` waiting; `threads` 0 refuses everything (tests).

    With `processes`, the work runs in processes of their own (spawned, at `niceness` lower
    CPU priority): for the public's work, which must neither hold this process's GIL nor
    take the agents' cores. A niced *thread* would be worse than none: descheduled while it
    holds the GIL, it would stall the event loop (priority inversion, measured)."""

    def __init__(
        self,
        threads: int,
        queue: int,
        retry_after: int = 5,
        *,
        processes: bool = False,
        niceness: int = 0,
        max_wait: float = 10.0,
    ) -> None:
        self.threads = max(0, threads)
        self.max_wait = max_wait
        self.capacity = self.threads + max(0, queue) if self.threads else 0
        self.retry_after = retry_after
        self.processes = processes
        self._taken = 0
        self._lock = threading.Lock()
        self._executor: Executor
        if processes:
            self._executor = ProcessPoolExecutor(
                max_workers=max(1, self.threads),
                mp_context=multiprocessing.get_context("spawn"),  # no fork of a threaded server
                initializer=_lower_priority,
                initargs=(niceness,),
            )
        else:
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
        submitted = time.monotonic()
        try:
            if not self.processes:
                work = partial(fn, *args, **kwargs)
                return self._executor.submit(self._job, work, submitted)
            late = (submitted, self.max_wait, self.retry_after)
            future = self._executor.submit(_unless_late, late, partial(fn, *args, **kwargs))
        except RuntimeError:  # shut down
            self._release()
            raise BusyError(self.retry_after) from None
        future.add_done_callback(lambda _: self._release())  # when the process is done
        return future

    def _job(self, work: Callable[[], T], submitted: float) -> T:
        """The slot is freed when the work ends (before its result is given), not when its
        caller stops waiting: a client that hangs up makes no room for more work."""
        try:
            return _unless_late((submitted, self.max_wait, self.retry_after), work)
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
        """Waiting jobs dropped; processes are waited for (the running job ends), so that
        none is left behind its server."""
        self._executor.shutdown(wait=self.processes, cancel_futures=True)


class Offered(Generic[T]):
    """`fn(*args)` offered to `pool`, a helper working beside this thread: `result()` is the
    pool's answer, or `fn(*args)` run here when the pool has none to give (every slot taken,
    the job waited too long, or its process died: the pool is broken then, and refuses the
    next). Slower then, never lost."""

    def __init__(self, pool: WorkerPool | None, fn: Callable[..., T], *args: Any) -> None:
        self._work = partial(fn, *args)
        self._future: Future[T] | None = None
        if pool is not None:
            with contextlib.suppress(BusyError):
                self._future = pool.submit(fn, *args)

    def result(self) -> T:
        if self._future is not None:
            with contextlib.suppress(BusyError, BrokenProcessPool):
                return self._future.result()
        return self._work()


def _unless_late(late: tuple[float, float, int], work: Callable[[], T]) -> T:
    """Work that waited in the queue longer than `max_wait` is dropped (BusyError): its
    caller, a tablet sending a frame every 300 ms, has moved on or given up, and a flood of
    large images queued by one client must not hold everyone's frames behind it. The clock
    is the system's monotonic one, the same in the pool's processes."""
    submitted, max_wait, retry_after = late
    if time.monotonic() - submitted > max_wait:
        raise BusyError(retry_after)
    return work()


def _lower_priority(niceness: int) -> None:
    """This process's CPU priority lowered by `niceness` (where the system allows it)."""
    if niceness and hasattr(os, "setpriority"):
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, 0, niceness)
