// Contrôle LIC: installs the service worker (app shell cached for opening without network).
"use strict";
if ("serviceWorker" in navigator) {
  // Read now: a clients.claim() may give the page a worker later, once it has loaded.
  const cameThroughTheWorker = Boolean(navigator.serviceWorker.controller);
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js", { type: "module" }).catch(() => {});
    // On the first visit the page was fetched before the worker was active: the worker is
    // asked to keep it now (sw.js keeps only the pages meant for use without network).
    if (!cameThroughTheWorker) {
      navigator.serviceWorker.ready.then((registration) => registration.active?.postMessage({ keep: location.pathname }));
    }
  });
}
