"""Fewer cyclic garbage collections while one batch builds a large object graph.

Establishing a company report builds some hundred thousand objects at once (records, rule
results, WeasyPrint's boxes), all alive until the end. With CPython's default threshold a
young collection runs every 700 allocations and each older one walks that whole graph again:
about a fifth of the report's time for 500 drivers. Nothing built there is garbage before
the batch ends, so the young threshold is raised for its length and then restored.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

BATCH_THRESHOLD = 100_000


class _Pauses:
    """The collector is one per process: batches running at once in several threads share
    one raised threshold, and the last to finish restores what was there before the first."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running = 0
        self._saved: tuple[int, int, int] = gc.get_threshold()

    @contextmanager
    def pause(self) -> Iterator[None]:
        with self._lock:
            if self._running == 0:
                self._saved = gc.get_threshold()
                _, middle, old = self._saved
                gc.set_threshold(max(BATCH_THRESHOLD, self._saved[0]), middle, old)
            self._running += 1
        try:
            yield
        finally:
            with self._lock:
                self._running -= 1
                if self._running == 0:
                    gc.set_threshold(*self._saved)


# The collector is process-wide, so is the count of batches running.
_PAUSES = _Pauses()


def fewer_collections() -> AbstractContextManager[None]:
    """`with fewer_collections():` around a batch; safe to nest and to use from threads."""
    return _PAUSES.pause()
