"""Running a coroutine from a synchronous test, whatever this thread already runs.

In the whole suite, Playwright's sync API (tests/browser) keeps an event loop running in the
main thread, where `asyncio.run` is refused: the coroutine gets a thread and a loop of its own.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
