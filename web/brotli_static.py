"""Static files in brotli at its best level, compressed once per version.

Static files and npm packages (/static, /vendor) are most of a tablet's first visit, the
offline precache included: the QR reader's WebAssembly alone is 931 KiB. Brotli at quality 11
makes them a fifth to a third smaller than gzip, but costs about a second per megabyte, so
each file is compressed once per version (its ETag) and kept in memory; the compression runs
in a worker thread, off the event loop. A browser that does not accept brotli, and every other
response, get starlette-compress's brotli or gzip (web/app.py), which leaves alone a response
that carries its Content-Encoding already: nothing is compressed twice. Under their hashed
URLs (web/assets.py) the files' ETag is the key of the copy kept.
"""

from __future__ import annotations

import posixpath
from collections import OrderedDict

import anyio
import brotli
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PREFIXES = ("/static/", "/vendor/")
KEPT = 512  # compressed files kept in memory: far more than the app serves (about 150)


def accepts_brotli(headers: Headers) -> bool:
    for token in headers.get("accept-encoding", "").split(","):
        name, _, params = token.strip().partition(";")
        if name.strip().lower() == "br" and params.replace(" ", "") not in ("q=0", "q=0.0"):
            return True
    return False


class BrotliStatic:
    def __init__(self, app: ASGIApp, *, excluded_types: tuple[str, ...]) -> None:
        self.app = app
        self.excluded_types = excluded_types
        self.kept: OrderedDict[tuple[str, str], bytes] = OrderedDict()
        # One compression per file at a time: a brigade's tablets opening the app together
        # after a release would otherwise each spend a second of CPU on the same 931 KiB.
        # A lock per file version: as few as the files served.
        self.compressing: dict[tuple[str, str], anyio.Lock] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # lifespan and websocket scopes carry no headers
            await self.app(scope, receive, send)
            return
        request_headers = Headers(scope=scope)
        if (
            scope["method"] != "GET"
            or not scope["path"].startswith(PREFIXES)
            or "range" in request_headers
            or not accepts_brotli(request_headers)
        ):
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []

        async def collect(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, collect)
        assert start is not None
        body = b"".join(chunks)
        headers = MutableHeaders(scope=start)
        kind = headers.get("content-type", "").split(";")[0]
        if (
            start["status"] != 200
            or "content-encoding" in headers
            or kind.startswith(("image/", "font/"))
            or kind in self.excluded_types
        ):
            await send(start)
            await send({"type": "http.response.body", "body": body})
            return
        compressed = await self._compressed(scope["path"], headers.get("etag", ""), body)
        headers["Content-Encoding"] = "br"
        headers["Content-Length"] = str(len(compressed))
        headers.add_vary_header("Accept-Encoding")
        await send(start)
        await send({"type": "http.response.body", "body": compressed})

    async def _compressed(self, path: str, etag: str, body: bytes) -> bytes:
        # the file's path, not the request's spelling of it: `./`, `x/../` and `//` reach the
        # same file, and a copy per spelling would cost seconds of CPU per request
        key = (posixpath.normpath(path), etag or str(hash(body)))
        lock = self.compressing.setdefault(key, anyio.Lock())
        async with lock:
            if key in self.kept:
                self.kept.move_to_end(key)
                return self.kept[key]
            found: bytes = await anyio.to_thread.run_sync(lambda: brotli.compress(body, quality=11))
            self.kept[key] = found
            if len(self.kept) > KEPT:
                self.kept.popitem(last=False)
        return found
