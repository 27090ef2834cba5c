// Contrôle LIC: installs the service worker (app shell cached for opening without network).
"use strict";
if ("serviceWorker" in navigator) {
  // Read now: a clients.claim() may give the page a worker later, once it has loaded.
  const cameThroughTheWorker = Boolean(navigator.serviceWorker.controller);
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js", { type: "module" }).catch(() => {});
    // An agent's pages for use without network (sw.js) are kept from the first sign-in,
    // before any was visited: the worker fetches them once per session of the browser.
    const agent = document.getElementById("en-attente") !== null;
    if (agent && navigator.onLine && (!cameThroughTheWorker || !sessionStorage.getItem("lic-pages-gardees"))) {
      navigator.serviceWorker.ready.then((registration) => {
        registration.active?.postMessage({ keepAll: true });
        sessionStorage.setItem("lic-pages-gardees", "1");
      });
    }
  });
}

// A destructive action asks first: a form carrying data-confirmer is sent only once the agent
// confirms (before htmx or the browser sends it).
document.addEventListener(
  "submit",
  (event) => {
    const question = event.target.dataset?.confirmer;
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  },
  true,
);
