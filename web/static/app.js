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
    if (
      agent &&
      navigator.onLine &&
      (!cameThroughTheWorker || sessionStorage.getItem("lic-pages-gardees") !== agent)
    ) {
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
// deleted (session-end.js); then the sign-in page. Without network, the kept pages are deleted
// all the same and the sign-out waits in localStorage (with its form's token) until the
// network is back: the next page opened online sends it, so the next person never finds the
// session open. The sign-in page, which only the server gives, does the same deletion for a
// session that ended otherwise (expired, or signed out elsewhere).
const PENDING_SIGN_OUT = "lic-deconnexion-en-attente";

function forgetAgent() {
  const moment = new Promise((resolve) => setTimeout(resolve, 3000));
  const forgotten = import("/static/session-end.js").then((module) => module.forgetAgent());
  return Promise.race([forgotten, moment]).catch(() => {});
}

function endSession(body, keepalive) {
  return fetch("/deconnexion", { method: "POST", body, keepalive, redirect: "manual" }).then(
    (response) =>
      response.type === "opaqueredirect" || response.ok
        ? "ended"
        : response.status < 500
          ? "refused"
          : "failed",
    () => "failed",
  );
}

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.matches?.("form.deconnexion") || event.defaultPrevented) return;
  event.preventDefault();
  const body = new FormData(form);
  Promise.all([endSession(body, true), forgetAgent()]).then(([answer]) => {
    if (answer === "failed") localStorage.setItem(PENDING_SIGN_OUT, body.get("csrf") || "");
    window.location.assign("/connexion"); // without network, the worker's "hors ligne" page
  });
});

// A sign-out made without network, sent once it is back. Refused (403): the session had
// ended meanwhile, or another agent has signed in since (whose sign-in ended it).
function sendPendingSignOut() {
  const token = localStorage.getItem(PENDING_SIGN_OUT);
  if (token === null || !navigator.onLine) return;
  const body = new FormData();
  body.append("csrf", token);
  endSession(body, false).then((answer) => {
    if (answer === "failed") return;
    localStorage.removeItem(PENDING_SIGN_OUT);
    if (answer === "ended" && document.body.dataset.agent) window.location.assign("/connexion");
  });
}
sendPendingSignOut();
window.addEventListener("online", sendPendingSignOut);

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
