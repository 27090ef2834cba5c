"""Verification and analysis on the tablet without network, in Chromium: time from camera
frame and from code text to verdict and findings, and what the service worker keeps.

    .venv/bin/python -m benchmarks.offline [--runs 40]

The app is served on localhost (SQLite, the demo world). Chromium (Debian's) signs in, opens
the scan page twice so the service worker keeps it, then goes offline. Printed: a camera
frame (each demo QR code drawn in a 1280×720 frame) read by zxing-wasm, verified and its
record analysed; the tablet's read alone of a 1280×720 frame, empty, out of focus and in
focus (median and p95, beside the 300 ms between frames: scan.js reads every frame on the
tablet, online too); the verifier alone and the rules alone on each demo code (median and p95);
the whole page path (code submitted → verdict and findings shown); and the precache: number
of entries and bytes.

Bytes on the wire, as Chromium counts them (`encodedDataLength` of `Network.loadingFinished`,
so compressed, headers included), the page's and its service worker's own fetches alike: the
first visit (sign-in page, signed in, scan page, until the worker has kept the shell and the
agent's pages) and a repeat visit (the scan page opened in a new tab of the same profile),
each beside its goal, with the largest transfers of the first; and a repeat visit of a
browser that runs no service worker, where only the HTTP cache keeps the static files: under
their hashed, immutable URLs (web/assets.py) none is fetched nor revalidated.
"""

from __future__ import annotations

import argparse
import base64
import json
import socket
import statistics
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import Page, sync_playwright

from benchmarks.verdict import PASSWORD, demo_settings
from web.app import create_app

CHROMIUM = "/usr/bin/chromium"

VERIFY_ALL = """async ([codes, runs, base]) => {
  const { loadTrustList } = await import(base + "verify/trustlist.js");
  const { verify } = await import(base + "verify/verifier.js");
  const documentText = await (await fetch("/liste-de-confiance.json")).text();
  const root = await (await fetch("/cle-racine.json")).json();
  const { analyze } = await import(base + "rules/engine.js");
  const table = await (await fetch("/regles.json")).json();
  const trust = await loadTrustList(documentText, root);
  const times = [];
  const rules = [];
  const verdicts = new Set();
  let findings = 0;
  for (let run = 0; run < runs; run++) {
    for (const code of codes) {
      const start = performance.now();
      const result = await verify(code, trust, Date.now() / 1000);
      times.push(performance.now() - start);
      verdicts.add(result.verdict);
      if (result.record) {
        const begin = performance.now();
        findings += analyze(table, result.record, result.iat).findings.length;
        rules.push(performance.now() - begin);
      }
    }
  }
  return { times, rules, findings, verdicts: [...verdicts] };
}"""

FRAME_TO_VERDICT = """async ([pngs, runs, base]) => {
  const { decodeCanvas } = await import(base + "qr-reader.js");
  const { loadTrustList } = await import(base + "verify/trustlist.js");
  const { verify } = await import(base + "verify/verifier.js");
  const { analyze } = await import(base + "rules/engine.js");
  const table = await (await fetch("/regles.json")).json();
  const documentText = await (await fetch("/liste-de-confiance.json")).text();
  const root = await (await fetch("/cle-racine.json")).json();
  const frames = [];
  for (const png of pngs) {
    const bytes = Uint8Array.from(atob(png), (c) => c.charCodeAt(0));
    const image = await createImageBitmap(new Blob([bytes], { type: "image/png" }));
    const canvas = document.createElement("canvas");
    canvas.width = 1280;
    canvas.height = 720;  // a camera frame, the code held up in the middle
    const context = canvas.getContext("2d");
    context.fillStyle = "#787878";
    context.fillRect(0, 0, 1280, 720);
    const side = Math.min(620, image.width);
    context.drawImage(image, (1280 - side) / 2, (720 - side) / 2, side, side);
    frames.push(canvas);
  }
  await decodeCanvas(frames[0]);  // the WebAssembly compiled once, as on the first frame
  const times = [];
  let read = 0;
  for (let run = 0; run < runs; run++) {
    for (const frame of frames) {
      const start = performance.now();
      const texts = await decodeCanvas(frame);
      const code = texts.find((text) => text.startsWith("LIC1:"));
      if (code) {
        const trust = await loadTrustList(documentText, root);
        const result = await verify(code, trust, Date.now() / 1000);
        if (result.record) analyze(table, result.record, result.iat);
        read += 1;
      }
      times.push(performance.now() - start);
    }
  }
  return { times, read };
}"""

STATIC_OF_PAGE = """() => document.querySelector('script[src$="/app.js"]').src
  .slice(0, -"app.js".length)"""

# The tablet's own read of one camera frame (web/static/qr-reader.js, as scan.js runs it
# online and offline): pixels read from the canvas and decoded, the reader prepared first.
# Three 1280×720 scenes: nothing to read (a textured scene, the same pseudo-random one at
# every run), a demo code out of focus, and a demo code in focus.
TABLET_FRAMES = """async ([png, runs, base]) => {
  const { decodeCanvas, prepareReader } = await import(base + "qr-reader.js");
  await prepareReader();
  const bytes = Uint8Array.from(atob(png), (c) => c.charCodeAt(0));
  const code = await createImageBitmap(new Blob([bytes], { type: "image/png" }));
  function frame(draw) {
    const canvas = document.createElement("canvas");
    canvas.width = 1280;
    canvas.height = 720;
    const context = canvas.getContext("2d", { willReadFrequently: true });
    draw(context);
    return canvas;
  }
  let seed = 20250306;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const empty = frame((context) => {
    const image = context.createImageData(1280, 720);
    for (let i = 0; i < image.data.length; i += 4) {
      const value = 70 + 90 * random() + ((i >> 2) % 1280) / 16;
      image.data.fill(value, i, i + 3);
      image.data[i + 3] = 255;
    }
    context.putImageData(image, 0, 0);
    for (let shape = 0; shape < 40; shape++) {
      context.fillStyle = shape % 2 ? "#222" : "#ddd";
      context.fillRect(1200 * random(), 650 * random(), 20 + 150 * random(), 10 + 90 * random());
    }
  });
  const held = (blur) => frame((context) => {
    context.fillStyle = "#787878";
    context.fillRect(0, 0, 1280, 720);
    context.filter = `blur(${blur}px)`;
    const side = Math.min(620, code.width);
    context.drawImage(code, (1280 - side) / 2, (720 - side) / 2, side, side);
  });
  const scenes = { empty, blurred: held(4), readable: held(0) };
  const times = {};
  const read = {};
  for (const [name, canvas] of Object.entries(scenes)) {
    times[name] = [];
    read[name] = 0;
    for (let run = 0; run < runs; run++) {
      const start = performance.now();
      const texts = await decodeCanvas(canvas);
      times[name].push(performance.now() - start);
      if (texts.some((text) => text.startsWith("LIC1:"))) read[name] += 1;
    }
  }
  return { times, read };
}"""

PRECACHE = """async () => {
  let entries = 0, bytes = 0;
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      bytes += (await response.arrayBuffer()).byteLength;
      entries += 1;
    }
  }
  return { entries, bytes };
}"""


FRAME_INTERVAL_MS = 300  # web/static/scan.js: a frame every 300 ms, one in flight at a time
FIRST_VISIT_GOAL = 700_000  # bytes (kB: 1 000 bytes, as the goals are said)
REPEAT_VISIT_GOAL = 10_000

KEPT = """async () => {
  const registration = await navigator.serviceWorker.getRegistration();
  if (registration?.active?.state !== "activated") return false;
  const pages = ["/scan", "/en-attente", "/controles/nouveau?type=paper",
    "/controles/nouveau?type=none", "/controles/nouveau?type=schedule"];
  const hits = await Promise.all(pages.map((path) => caches.match(path)));
  return hits.every(Boolean);
}"""


class WireMeter:
    """What one tab and the workers it attaches to (its service worker) receive from the
    network. A response the worker gave the page is not counted on the page: the worker's
    own fetch, if it went to the network, is."""

    def __init__(self, page: Page, *, workers: bool = True) -> None:
        self.received: dict[str, int] = {}  # URL -> bytes on the wire
        self.revalidated: set[str] = set()  # URLs answered 304: asked again, though kept
        self.urls: dict[tuple[str, str], str] = {}
        self.from_worker: set[tuple[str, str]] = set()
        self.last = time.monotonic()
        self.session = page.context.new_cdp_session(page)
        self.session.on("Network.responseReceived", lambda e: self._response("page", e))
        self.session.on("Network.loadingFinished", lambda e: self._finished("page", e))
        self.session.on("Target.attachedToTarget", self._attached)
        self.session.on("Target.receivedMessageFromTarget", self._from_target)
        self.session.send("Network.enable")
        if workers:
            # the worker waits for us before its first fetch, so none of its precache is missed
            flat = {"autoAttach": True, "waitForDebuggerOnStart": True, "flatten": False}
            self.session.send("Target.setAutoAttach", flat)

    def _attached(self, event: dict[str, str]) -> None:
        for number, method in enumerate(("Network.enable", "Runtime.runIfWaitingForDebugger")):
            message = json.dumps({"id": number + 1, "method": method})
            self.session.send(
                "Target.sendMessageToTarget", {"sessionId": event["sessionId"], "message": message}
            )

    def _from_target(self, event: dict[str, str]) -> None:
        message = json.loads(event["message"])
        if message.get("method") == "Network.responseReceived":
            self._response(event["sessionId"], message["params"])
        elif message.get("method") == "Network.loadingFinished":
            self._finished(event["sessionId"], message["params"])

    def _response(self, target: str, event: dict) -> None:  # type: ignore[type-arg]
        key = (target, event["requestId"])
        self.urls[key] = event["response"]["url"]
        if event["response"].get("status") == 304:
            self.revalidated.add(_path(event["response"]["url"]))
        if event["response"].get("fromServiceWorker"):
            self.from_worker.add(key)

    def _finished(self, target: str, event: dict) -> None:  # type: ignore[type-arg]
        key = (target, event["requestId"])
        self.last = time.monotonic()
        if key in self.from_worker or not self.urls.get(key, "").startswith("http"):
            return
        url = _path(self.urls[key])
        self.received[url] = self.received.get(url, 0) + int(event["encodedDataLength"])

    def settle(self, page: Page, quiet: float = 1.5) -> int:
        """Once nothing has arrived for `quiet` seconds: the bytes received."""
        while time.monotonic() - self.last < quiet:
            page.wait_for_timeout(200)
        return sum(self.received.values())

    def close(self) -> None:
        self.session.detach()


def _path(url: str) -> str:
    return "/" + url.split("//", 1)[-1].split("/", 1)[-1]


def _static(url: str) -> bool:
    return url.startswith(("/static/", "/vendor/"))


def http_cache_visit(page: Page) -> tuple[dict[str, int], set[str]]:
    """A repeat visit of a browser that runs no service worker (`page`'s context blocks
    them): only the HTTP cache keeps the static files. URL -> bytes, and the URLs asked
    again (304)."""
    sign_in(page)
    page.wait_for_load_state("load")
    again = page.context.new_page()
    meter = WireMeter(again, workers=False)
    again.goto("/scan")
    again.wait_for_load_state("load")
    meter.settle(again)
    meter.close()
    again.close()
    return meter.received, meter.revalidated


def sign_in(page: Page) -> None:
    page.goto("/connexion")
    page.fill("#login", "agent")
    page.fill("#password", PASSWORD)
    page.click("#form-connexion button[type=submit]")
    page.wait_for_url("**/scan")


def wire_visits(page: Page) -> tuple[dict[str, int], dict[str, int]]:
    """The first visit of a new profile, then a repeat visit in a new tab: URL -> bytes."""
    first = WireMeter(page)
    sign_in(page)
    deadline = time.monotonic() + 60
    while not page.evaluate(KEPT):
        if time.monotonic() > deadline:
            raise SystemExit("le service worker n'a pas gardé ses pages en 60 s")
        page.wait_for_timeout(200)
    first.settle(page)
    before = dict(first.received)
    # A running worker is attached to a new tab only once its navigation has committed, after
    # the worker fetched the page: the first tab's meter, attached to it all along, counts the
    # worker's fetches; the new tab's, the page's own.
    again = page.context.new_page()
    repeat = WireMeter(again, workers=False)
    again.goto("/scan")
    repeat.settle(again)
    first.settle(again)
    worker = {url: size - before.get(url, 0) for url, size in first.received.items()}
    seen = {url: size for url, size in worker.items() if size}
    for url, size in repeat.received.items():
        seen[url] = seen.get(url, 0) + size
    repeat.close()
    again.close()
    first.close()
    return dict(before), seen


def kilobytes(size: int) -> str:
    return f"{size / 1000:.0f} kB" if size >= 10_000 else f"{size / 1000:.1f} kB"


def print_http_cache(received: dict[str, int], revalidated: set[str]) -> None:
    received = {url: size for url, size in received.items() if size}  # not from a cache
    static = sum(size for url, size in received.items() if _static(url))
    asked = sorted({url for url in [*revalidated, *received] if _static(url)})
    verdict = "ok" if not static and not asked else "OVER"
    total = kilobytes(sum(received.values()))
    print(
        f"repeat visit without service worker (HTTP cache only): {total}"
        f" in {len(received)} URLs, static files {kilobytes(static)}, {len(asked)} asked for "
        f"(goal: no static bytes, none asked for: {verdict})"
        + (f"; asked: {', '.join(asked[:5])}" if asked else "")
    )


def print_wire(first: dict[str, int], repeat: dict[str, int]) -> None:
    for name, meter, goal in (
        ("first visit (sign-in → scan page, shell kept)", first, FIRST_VISIT_GOAL),
        ("repeat visit (scan page, new tab)", repeat, REPEAT_VISIT_GOAL),
    ):
        total = sum(meter.values())
        verdict = "ok" if total <= goal else "OVER"
        print(
            f"bytes on the wire, {name}: {kilobytes(total)} ({total:,} bytes) in {len(meter)} URLs "
            f"(goal ≤ {kilobytes(goal)}: {verdict})"
        )
    groups: dict[str, int] = {}
    for url, size in first.items():
        groups[_group(url)] = groups.get(_group(url), 0) + size
    print(
        "  first visit by kind: "
        + ", ".join(
            f"{group} {kilobytes(size)}"
            for group, size in sorted(groups.items(), key=lambda g: -g[1])
        )
    )
    largest = sorted(first.items(), key=lambda item: -item[1])[:8]
    print("  largest: " + ", ".join(f"{url} {kilobytes(size)}" for url, size in largest))
    print(
        "  repeat visit: "
        + ", ".join(
            f"{url} {kilobytes(size)}" for url, size in sorted(repeat.items(), key=lambda i: -i[1])
        )
    )


def _group(url: str) -> str:
    path = url.split("?")[0]
    if path.startswith("/vendor/zxing/"):
        return "zxing (QR reader)"
    if path.endswith(".woff2"):
        return "fonts"
    if path.startswith("/vendor/dsfr/") and path.endswith(".css"):
        return "DSFR styles"
    if path.startswith("/vendor/dsfr/") and path.endswith(".js"):
        return "DSFR scripts"
    if path.endswith(".svg") or path.endswith(".png"):
        return "icons"
    if path.endswith(".js"):
        return "app and module scripts"
    if path.endswith(".css"):
        return "app styles"
    if path.endswith(".json") or path.endswith(".webmanifest"):
        return "JSON"
    return "pages"


def serve(folder: Path) -> tuple[str, list[str], list[str], uvicorn.Server]:
    settings = demo_settings(folder, "agent")
    world = folder / "demo"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    codes = [path.read_text().strip() for path in sorted((world / "codes").glob("*.txt"))]
    pngs = [
        base64.b64encode(path.read_bytes()).decode()
        for path in sorted((world / "codes").glob("*.png"))
    ]
    return f"http://localhost:{port}", codes, pngs, server


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url, codes, pngs, server = serve(Path(folder))
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            context = browser.new_context(base_url=url, locale="fr-FR")
            page = context.new_page()
            first, repeat = wire_visits(page)
            bare = browser.new_context(base_url=url, locale="fr-FR", service_workers="block")
            cached = http_cache_visit(bare.new_page())
            bare.close()
            page.goto("/scan")
            page.evaluate("async () => { await navigator.serviceWorker.ready; }")
            page.reload()  # now under the worker, which keeps what the page loads
            page.reload()
            page.wait_for_selector("text=à jour depuis le serveur")
            kept = page.evaluate(PRECACHE)
            context.set_offline(True)
            page.reload()
            # the modules under the hashed URLs the page loads, which the worker keeps
            base = page.evaluate(STATIC_OF_PAGE)
            measured = page.evaluate(VERIFY_ALL, [codes, args.runs, base])
            frames = page.evaluate(FRAME_TO_VERDICT, [pngs, max(1, args.runs // 10), base])
            tablet = page.evaluate(TABLET_FRAMES, [pngs[0], args.runs, base])
            times = measured["times"]
            whole = []
            for code in codes * 3:
                page.fill("#code", code)
                start = time.perf_counter()
                page.click("#form-code button[type=submit]")
                page.wait_for_selector("#verdict-hors-ligne")
                whole.append((time.perf_counter() - start) * 1000)
                page.evaluate("document.getElementById('resultat').replaceChildren()")
            browser.close()
        server.should_exit = True
    print(f"{len(codes)} demo codes (verdicts: {', '.join(sorted(measured['verdicts']))})")
    print(
        f"verifier alone, offline: median {statistics.median(times):.1f} ms, "
        f"p95 {percentile(times, 0.95):.1f} ms over {len(times)} verifications"
    )
    rules = measured["rules"]
    print(
        f"rules alone, offline (web/static/rules/): median {statistics.median(rules):.1f} ms, "
        f"p95 {percentile(rules, 0.95):.1f} ms over {len(rules)} records "
        f"({measured['findings']} findings)"
    )
    print(
        f"page, code submitted to verdict and findings shown (trust list read from the cache): "
        f"median {statistics.median(whole):.0f} ms, p95 {percentile(whole, 0.95):.0f} ms"
    )
    frame_times = frames["times"]
    print(
        f"camera frame (1280×720) to verdict and findings, offline (zxing-wasm, trust list "
        f"checked, rules run): median "
        f"{statistics.median(frame_times):.0f} ms, p95 {percentile(frame_times, 0.95):.0f} ms; "
        f"{frames['read']} of {len(frame_times)} frames read"
    )
    for scene in ("empty", "blurred", "readable"):
        spent = tablet["times"][scene]
        p95 = percentile(spent, 0.95)
        within = "ok" if p95 < FRAME_INTERVAL_MS else "OVER"
        print(
            f"tablet's read of a camera frame (1280×720, {scene}, zxing-wasm): median "
            f"{statistics.median(spent):.0f} ms, p95 {p95:.0f} ms (goal: under the "
            f"{FRAME_INTERVAL_MS} ms between frames: {within}); "
            f"{tablet['read'][scene]} of {len(spent)} read"
        )
    print(f"precache: {kept['entries']} entries, {kept['bytes'] / 1024:.0f} KiB")
    print_wire(first, repeat)
    print_http_cache(*cached)


if __name__ == "__main__":
    main()
