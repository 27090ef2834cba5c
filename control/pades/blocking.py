"""pyHanko's work is asynchronous; the service's PDF functions are plain blocking ones (a
worker pool may wrap them), and must work when called from inside a running event loop too
(FastAPI's `async def` routes), where `asyncio.run` is refused."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as executor:  # an event loop of its own
        return executor.submit(asyncio.run, coroutine).result()
