"""Verification and analysis on the tablet without network, in Chromium: time from camera
frame and from code text to verdict and findings, and what the service worker keeps.

    .venv/bin/python -m benchmarks.offline [--runs 40]

The app is served on localhost (SQLite, the demo world). Chromium (Debian's) signs in, opens
the scan page twice so the service worker keeps it, then goes offline. Printed: a camera
frame (each demo QR code drawn in a 1280×720 frame) read by zxing-wasm, verified and its
record analysed; the verifier alone and the rules alone on each demo code (median and p95);
the whole page path (code submitted → verdict and findings shown); and the precache: number
of entries and bytes.
"""

from __future__ import annotations

import argparse
import base64
import socket
import statistics
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

from benchmarks.verdict import PASSWORD, demo_settings
from web.app import create_app

CHROMIUM = "/usr/bin/chromium"

VERIFY_ALL = """async ([codes, runs]) => {
  const { loadTrustList } = await import("/static/verify/trustlist.js");
  const { verify } = await import("/static/verify/verifier.js");
  const documentText = await (await fetch("/liste-de-confiance.json")).text();
  const root = await (await fetch("/cle-racine.json")).json();
  const { analyze } = await import("/static/rules/engine.js");
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

FRAME_TO_VERDICT = """async ([pngs, runs]) => {
  const { decodeCanvas } = await import("/static/decode-offline.js");
  const { loadTrustList } = await import("/static/verify/trustlist.js");
  const { verify } = await import("/static/verify/verifier.js");
  const { analyze } = await import("/static/rules/engine.js");
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
            page.goto("/connexion")
            page.fill("#login", "agent")
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            page.goto("/scan")
            page.evaluate("async () => { await navigator.serviceWorker.ready; }")
            page.reload()  # now under the worker, which keeps what the page loads
            page.reload()
            page.wait_for_selector("text=à jour depuis le serveur")
            kept = page.evaluate(PRECACHE)
            context.set_offline(True)
            page.reload()
            measured = page.evaluate(VERIFY_ALL, [codes, args.runs])
            frames = page.evaluate(FRAME_TO_VERDICT, [pngs, max(1, args.runs // 10)])
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
    print(f"precache: {kept['entries']} entries, {kept['bytes'] / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
