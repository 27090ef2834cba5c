"""Bytes on the wire: what is sent in brotli or gzip (pages, styles, scripts, the QR reader's
WebAssembly, exports), what is not (already compressed: PDFs, images, fonts), and that
compressing changes neither the headers that protect nor the bytes received."""

from __future__ import annotations

import asyncio
import gzip
from pathlib import Path

import brotli
import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send

from tests.own_loop import run
from tests.web.conftest import demo_code, sign_in
from tests.web.test_bulletins import electronic_control, issue_bulletin
from tests.web.test_search import recorded
from web.brotli_static import BrotliStatic
from web.vendor import DSFR, ZXING

GZIP = {"Accept-Encoding": "gzip"}
HTMX = {"HX-Request": "true"}


def test_static_files_travel_gzipped_and_arrive_whole(client: TestClient) -> None:
    for url, source in (
        ("/vendor/dsfr/core/core.main.min.css", DSFR / "core" / "core.main.min.css"),
        ("/vendor/zxing/reader/zxing_reader.wasm", ZXING / "reader" / "zxing_reader.wasm"),
    ):
        with client.stream("GET", url, headers=GZIP) as response:
            wire = b"".join(response.iter_raw())  # as sent, not inflated by the client
        assert response.headers["content-encoding"] == "gzip", url
        assert "Accept-Encoding" in response.headers["vary"]
        assert gzip.decompress(wire) == source.read_bytes(), url
        assert len(wire) < 0.6 * source.stat().st_size, (url, len(wire))


def test_pages_and_verdicts_travel_in_brotli_else_gzip_else_as_they_are(
    agent: tuple[TestClient, str], demo_world: Path
) -> None:
    """What the verdict costs on the wire at the roadside: its fragment is 34 kB as text."""
    client, token = agent
    code = demo_code(demo_world, "06-nuit")
    for accepted, encoding in (
        ("gzip, deflate, br, zstd", "br"),  # Chromium's: brotli, not zstd
        ("gzip, br;q=0", "gzip"),
        ("", None),
    ):
        headers = {"Accept-Encoding": accepted}
        verdict = client.post(
            "/verifier", data={"code": code, "csrf": token}, headers={**HTMX, **headers}
        )
        page = client.get("/scan", headers=headers)
        for response in (verdict, page):
            assert response.headers.get("content-encoding") == encoding, accepted
            assert "Accept-Encoding" in response.headers.get("vary", "") or not encoding
        assert "Code authentique" in verdict.text
        assert "<html" not in verdict.text
        assert "<html" in page.text


def test_a_gzipped_page_keeps_its_security_headers_and_is_never_stored(
    client: TestClient,
) -> None:
    sign_in(client, "agent")
    page = client.get("/scan", headers=GZIP)
    assert page.headers["content-encoding"] == "gzip"
    assert page.headers["cache-control"] == "no-store"
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    assert "<html" in page.text


def test_the_service_worker_travels_gzipped_and_still_revalidated(client: TestClient) -> None:
    worker = client.get("/sw.js", headers=GZIP)
    assert worker.headers["content-encoding"] == "gzip"
    assert worker.headers["cache-control"] == "no-cache"
    assert worker.headers["content-type"].startswith("text/javascript")
    assert "const CACHE = " in worker.text


def test_the_csv_export_streams_compressed_and_reads_the_same(
    client: TestClient, demo_world: Path
) -> None:
    recorded(client, demo_world, "06-nuit", "AB-123-CD")
    sign_in(client, "inspector")
    for accepted, encoding in (("gzip", "gzip"), ("gzip, br", "br")):
        export = client.get(
            "/recherche.csv", params={"plaque": "AB-123-CD"}, headers={"Accept-Encoding": accepted}
        )
        assert export.headers["content-encoding"] == encoding
        assert export.headers["content-disposition"].startswith("attachment")
        assert export.content.startswith(b"\xef\xbb\xbf")
        assert "AB-123-CD" in export.content.decode("utf-8-sig")


def test_a_bulletin_pdf_is_sent_as_it_was_signed(
    agent: tuple[TestClient, str], demo_world: Path
) -> None:
    """A PDF compresses its own streams: gzip would cost the server for nothing, and the
    PDF viewer's range requests want the file's own length."""
    client, token = agent
    control_id = electronic_control(client, token, demo_code(demo_world, "06-nuit"))
    pdf = client.get(f"{issue_bulletin(client, token, control_id)}/pdf", headers=GZIP)
    assert pdf.headers["content-type"] == "application/pdf"
    assert "content-encoding" not in pdf.headers
    assert int(pdf.headers["content-length"]) == len(pdf.content)
    assert pdf.content.startswith(b"%PDF")


def test_what_is_compressed_already_is_not_compressed_again(client: TestClient) -> None:
    font = client.get("/vendor/dsfr/fonts/Marianne-Regular.woff2", headers=GZIP)
    assert font.status_code == 200
    assert "content-encoding" not in font.headers
    icon = client.get("/static/icons/icon-512.png", headers=GZIP)
    assert "content-encoding" not in icon.headers


BROTLI = {"Accept-Encoding": "gzip, deflate, br, zstd"}  # what Chromium asks for


def test_static_files_travel_in_brotli_to_a_browser_that_takes_it(client: TestClient) -> None:
    """Brotli at its best level for the static files: the first visit's bulk."""
    for url, source in (
        ("/vendor/dsfr/core/core.main.min.css", DSFR / "core" / "core.main.min.css"),
        ("/vendor/zxing/reader/zxing_reader.wasm", ZXING / "reader" / "zxing_reader.wasm"),
    ):
        for _ in range(2):  # compressed once, then served from memory: the same bytes
            with client.stream("GET", url, headers=BROTLI) as response:
                wire = b"".join(response.iter_raw())
            assert response.headers["content-encoding"] == "br", url
            assert "Accept-Encoding" in response.headers["vary"]
            assert int(response.headers["content-length"]) == len(wire)
            assert brotli.decompress(wire) == source.read_bytes(), url
            assert len(wire) < len(gzip.compress(source.read_bytes(), 6)), url


def test_images_and_refusals_of_brotli_keep_gzip_or_nothing(client: TestClient) -> None:
    icon = client.get("/static/icons/icon-192.png", headers=BROTLI)
    assert "content-encoding" not in icon.headers
    font = client.get(
        client.app.state.assets.url("/vendor/dsfr/fonts/Marianne-Bold.woff2"),  # type: ignore[attr-defined]
        headers=BROTLI,
    )
    assert font.status_code == 200
    assert "content-encoding" not in font.headers
    refused = client.get(
        "/vendor/dsfr/core/core.main.min.css", headers={"Accept-Encoding": "gzip, br;q=0"}
    )
    assert refused.headers["content-encoding"] == "gzip"


def test_the_app_starts_and_stops_through_its_lifespan(app: FastAPI) -> None:
    """A server that speaks ASGI lifespan (uvicorn, TestClient as a context manager) starts
    the app: the static compression lets the lifespan scope, which has no headers, through."""
    with TestClient(app) as client:
        assert client.get("/static/app.js", headers={"Accept-Encoding": "br"}).status_code == 200


@pytest.fixture
def compressions(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The sizes of the bodies compressed in brotli from now on."""
    made: list[int] = []
    compress = brotli.compress

    def counted(body: bytes, quality: int = 11) -> bytes:
        made.append(len(body))
        return compress(body, quality=quality)

    monkeypatch.setattr(brotli, "compress", counted)
    return made


def test_a_brigade_opening_the_app_together_compresses_the_reader_once(
    client: TestClient, compressions: list[int]
) -> None:
    """Brotli at its best level costs about a second per megabyte: tablets asking for the
    931 KiB WebAssembly at the same moment wait for one compression, not one each."""
    url = client.app.state.assets.url("/vendor/zxing/reader/zxing_reader.wasm")  # type: ignore[attr-defined]

    async def six_tablets() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=client.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as tablet:
            asks = [tablet.get(url, headers={"Accept-Encoding": "br"}) for _ in range(6)]
            return await asyncio.gather(*asks)

    answers = run(six_tablets())
    wasm = (ZXING / "reader" / "zxing_reader.wasm").read_bytes()
    assert [answer.headers["content-encoding"] for answer in answers] == ["br"] * 6
    assert all(answer.content == wasm for answer in answers)  # httpx inflates brotli
    # only the reader's compressions count: browser tests' servers, threads of this process,
    # may be compressing their own pages meanwhile
    assert compressions.count(len(wasm)) == 1


def test_a_file_asked_for_under_other_spellings_of_its_path_is_compressed_once(
    compressions: list[int],
) -> None:
    """`./`, `x/../` and `//` reach the same file: were each spelling compressed at brotli's
    best level, a client could keep the server's CPU busy for seconds per request."""
    body = b"body { color: black }\n" * 200

    async def same_file(scope: Scope, receive: Receive, send: Send) -> None:
        headers = [(b"content-type", b"text/css"), (b"etag", b'"one-version"')]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    static = BrotliStatic(same_file, excluded_types=())

    async def ask(path: str) -> bytes:
        sent: list[Message] = []

        async def send(message: Message) -> None:
            sent.append(message)

        async def receive() -> Message:
            return {"type": "http.request", "body": b"", "more_body": False}

        headers = [(b"accept-encoding", b"br")]
        await static({"type": "http", "method": "GET", "path": path, "headers": headers},
                     receive, send)  # fmt: skip
        return bytes(sent[-1]["body"])

    for path in (
        "/static/app.css",
        "/static/./app.css",
        "/static/x/../app.css",
        "/static//app.css",
    ):
        assert brotli.decompress(run(ask(path))) == body, path
    assert compressions.count(len(body)) == 1
