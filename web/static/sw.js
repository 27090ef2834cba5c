// Contrôle LIC service worker: the app shell is cached so the app opens without network.
// Pages are fetched from the network first; without network the cached copy is shown, or
// the "hors ligne" page. API calls are never cached. The signed trust list is kept too,
// refreshed at every chance: a copy served without network says so in a header.
import { savedSession, sendAll, waiting } from "/static/outbox-store.js";

const CACHE = "lic-shell-v1"; // the server puts a digest of the static files here
const TRUST = "/liste-de-confiance.json";
const ROOT = "/cle-racine.json";
// The pages an agent needs at the roadside without network, kept from the first sign-in: the
// scan page, the outbox, and the forms of a control without a QR code (paper LIC, no LIC,
// service schedule), which then go through the outbox too.
const KEPT_PAGES = [
  "/scan",
  "/en-attente",
  "/controles/nouveau?type=paper",
  "/controles/nouveau?type=none",
  "/controles/nouveau?type=schedule",
];
// "/" sends each role to its start page; without network, an agent's is the kept scan page
const HOME_OFFLINE = "/scan";
const MODULES = []; // the browser's verifier and rules, and npm modules: listed by the server

const SHELL = [
  "/static/app.css",
  "/static/icons.css",
  "/static/app.js",
  "/static/scan.js",
  "/static/export.js",
  "/static/icon.svg",
  "/static/trust.js",
  "/static/offline-scan.js",
  "/static/outbox.js",
  "/static/outbox-store.js",
  "/static/outbox-page.js",
  "/static/session-end.js",
  "/static/offline-form.js",
  "/static/dom.js",
  "/static/qr-reader.js",
  "/vendor/htmx/htmx.min.js",
  "/manifest.webmanifest",
  "/hors-ligne",
  "/libelles-hors-ligne.json",
  "/regles.json",
  ...MODULES,
];

self.addEventListener("install", (event) => {
  // The trust list is added on its own: a server without one must not stop the shell.
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) =>
        cache
          .addAll(SHELL)
          .then(() => Promise.all([TRUST, ROOT].map((url) => cache.add(url).catch(() => {})))),
      )
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (
    request.method !== "GET" ||
    url.origin !== location.origin ||
    url.pathname.startsWith("/api/")
  )
    return;
  if (url.pathname === TRUST || url.pathname === ROOT) {
    event.respondWith(
      fetch(request)
        .then((response) => {
          keepCopy(url.pathname, response.clone());
          return response;
        })
        .catch(() =>
          caches.match(url.pathname).then((hit) => {
            if (!hit) return Response.error();
            const headers = new Headers(hit.headers);
            headers.set("X-Copie-Locale", "1");
            return hit.blob().then((body) => new Response(body, { status: 200, headers }));
          }),
        ),
    );
    return;
  }
  if (request.mode === "navigate") {
    // The scan page is the app's shell and the outbox page lists what the tablet holds (from
    // IndexedDB): both kept for opening without network. Other pages may hold personal data
    // and are not stored on the device.
    const path = url.pathname + url.search;
    const kept = KEPT_PAGES.includes(path);
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (kept) keepCopy(path, response.clone());
          return response;
        })
        .catch(() =>
          caches
            .match(kept ? path : url.pathname === "/" ? HOME_OFFLINE : request)
            .then((hit) => hit || caches.match("/hors-ligne")),
        ),
    );
    return;
  }
  event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
});

// The kept pages, asked for by a signed-in agent's page (app.js): fetched now, so that each
// is there without network from the first sign-in, not only once visited. A copy kept in the
// same session (its page holds the agent's id and the session's token) within the last hours
// is not fetched again: every new tab asks, and a repeat visit should cost next to nothing.
const KEPT_FRESH_MS = 6 * 3600 * 1000;
self.addEventListener("message", (event) => {
  if (!event.data?.keepAll) return;
  event.waitUntil(
    Promise.all(
      KEPT_PAGES.map((path) =>
        keptFor(path, event.data.agent, event.data.session)
          .then((fresh) => fresh || fetch(path).then((response) => keepCopy(path, response)))
          .catch(() => {}),
      ),
    ),
  );
});

// Whether the copy kept under `path` is recent and of this agent's current session.
function keptFor(path, agent, session) {
  if (!agent || !session) return Promise.resolve(false);
  return caches.match(path).then((hit) => {
    if (!hit) return false;
    const age = Date.now() - Date.parse(hit.headers.get("Date") ?? "");
    if (!(age >= 0 && age < KEPT_FRESH_MS)) return false;
    return hit
      .text()
      .then((page) => page.includes(` data-agent="${agent}"`) && page.includes(`"${session}"`));
  });
}

// Kept under its path, unless it failed or was redirected: signed out, a kept page answers
// with the sign-in page, which must not be kept in its place.
function keepCopy(path, response) {
  if (!response.ok || response.redirected) return Promise.resolve();
  return caches.open(CACHE).then((cache) => cache.put(path, response));
}

// Background Sync: the network is back, the app may be closed. The outbox is sent from here
// with the session's token the pages left, and only the items of that token's agent; what is
// left of them (no network after all, signed out meanwhile) makes the browser try again
// later. Signed out, nothing is sent: each item waits for its agent's page. Pages send it
// too: the keys make that harmless.
self.addEventListener("sync", (event) => {
  if (event.tag !== "outbox") return;
  event.waitUntil(
    (async () => {
      const session = await savedSession();
      if (!session) return;
      await sendAll(session.agent, session.token);
      for (const client of await self.clients.matchAll())
        client.postMessage({ outboxChanged: true });
      if ((await waiting(session.agent)).some((item) => !item.problem))
        throw new Error("outbox not empty yet");
    })(),
  );
});
