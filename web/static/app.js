// Contrôle LIC: installs the service worker (app shell cached for opening without network).
"use strict";
if ("serviceWorker" in navigator) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js", { type: "module" }).catch(() => {});
  });
}
