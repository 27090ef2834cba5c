// Contrôle LIC: installs the service worker (app shell cached for opening without network).
"use strict";
if ("serviceWorker" in navigator) {
  // Read now: a clients.claim() may give the page a worker later, once it has loaded.
  const cameThroughTheWorker = Boolean(navigator.serviceWorker.controller);
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js", { type: "module" }).catch(() => {});
    // An agent's pages for use without network (sw.js) are kept from the first sign-in,
    // before any was visited: the worker fetches them once per session of the browser.
    // Kept again when another agent signs in: the kept copies carry the agent's name.
    const agent = document.getElementById("en-attente") !== null ? document.body.dataset.agent : "";
    if (agent && navigator.onLine && (!cameThroughTheWorker || sessionStorage.getItem("lic-pages-gardees") !== agent)) {
      navigator.serviceWorker.ready.then((registration) => {
        registration.active?.postMessage({ keepAll: true });
        sessionStorage.setItem("lic-pages-gardees", agent);
      });
    }
  });
}

// Signing out of a shared tablet: the session is ended on the server at once (keepalive: the
// request goes even if the page is left before its answer, as when the tablet is handed over
// at once), while the pages kept with the agent's name and the saved session token are
// deleted (session-end.js); then the sign-in page. Without network, the kept pages are still
// deleted and the form is sent as usual. The sign-in page, which only the server gives, does
// the same deletion for a session that ended otherwise (expired, or signed out elsewhere).
function forgetAgent() {
  const moment = new Promise((resolve) => setTimeout(resolve, 3000));
  const forgotten = import("/static/session-end.js").then((module) => module.forgetAgent());
  return Promise.race([forgotten, moment]).catch(() => {});
}

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.matches?.("form.deconnexion") || event.defaultPrevented) return;
  event.preventDefault();
  const ended = fetch(form.action, { method: "POST", body: new FormData(form), keepalive: true, redirect: "manual" }).then(
    (response) => response.type === "opaqueredirect" || response.ok,
    () => false,
  );
  Promise.all([ended, forgetAgent()]).then(([done]) => {
    if (done) window.location.assign("/connexion");
    else form.submit(); // submit() fires no second "submit" event
  });
});

if (document.getElementById("form-connexion") && !document.body.dataset.agent) forgetAgent();

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
