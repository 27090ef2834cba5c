"""Running one action in several threads released together, as syncs arriving at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def at_once(action: Callable[[], T], threads: int = 4) -> tuple[list[T], list[str]]:
    """What each thread returned, and what each raised (a thread's exception is otherwise
    lost, and a test would only see a result missing)."""
    start = threading.Barrier(threads)
    results: list[T] = []
    errors: list[str] = []

    def run() -> None:
        start.wait()
        try:
            results.append(action())
        except Exception as error:
            errors.append(repr(error))

    running = [threading.Thread(target=run) for _ in range(threads)]
    for thread in running:
        thread.start()
    for thread in running:
        thread.join(30)
    return results, errors
