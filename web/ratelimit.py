"""Failed sign-ins per client address: a sliding window kept in memory.

Only failures count, so the agents of a station behind one address can all sign in.

The account lockout (control.storage.users) stops guessing one password; this stops one
machine from trying many accounts. Behind a reverse proxy every client has the proxy's address:
the limit then applies to all agents together, which errs on the safe side.
"""

from __future__ import annotations

import time
from collections import defaultdict, deque
from collections.abc import Callable
from threading import Lock


class SlidingWindow:
    def __init__(
        self, limit: int, seconds: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.seconds = seconds
        self.clock = clock
        self._hits: defaultdict[str, deque[float]] = defaultdict(deque)
        self._lock = Lock()

    def retry_after(self, key: str) -> int:
        """0 if `key` may try now, else the seconds until it may."""
        now = self.clock()
        with self._lock:
            hits = self._forget_old(key, now)
            if len(hits) >= self.limit:
                return max(1, int(hits[0] + self.seconds - now + 0.999))
            return 0

    def record(self, key: str) -> None:
        """Count one failure of `key`."""
        now = self.clock()
        with self._lock:
            self._forget_old(key, now).append(now)
            if len(self._hits) > 10_000:  # forget idle addresses; memory stays bounded
                for idle in [k for k, v in self._hits.items() if not v]:
                    del self._hits[idle]

    def _forget_old(self, key: str, now: float) -> deque[float]:
        hits = self._hits[key]
        while hits and hits[0] <= now - self.seconds:
            hits.popleft()
        return hits
