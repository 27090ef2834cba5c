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
        // the session's token: a copy kept in an earlier session must not bring its stale one back
        const session = JSON.parse(document.body.getAttribute("hx-headers") || "{}")[
          "X-CSRF-Token"
        ];
        registration.active?.postMessage({ keepAll: true, agent, session });
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

// A file field drawn as a French button (_fields.html photo): the chosen files are named under
// it in French, whatever the browser's language.
document.addEventListener("change", (event) => {
  const field = event.target;
  if (!field.matches?.("input.fichier-champ")) return;
  const shown = document.getElementById(`${field.id}-choix`);
  if (!shown) return;
  const names = [...field.files].map((file) => file.name);
  shown.textContent =
    names.length === 0
      ? shown.dataset.aucun
      : names.length === 1
        ? `Choisi : ${names[0]}`
        : `${names.length} fichiers choisis : ${names.join(", ")}`;
});

// French validation messages, whatever the browser's language: the browser's own bubble is
// replaced by the DSFR error under the field (its "-messages" group, see _fields.html), and
// the first invalid field of the form takes the focus.
function frenchProblem(field) {
  const v = field.validity;
  if (v.valueMissing) {
    if (field.type === "checkbox") return "Cochez cette case pour continuer.";
    if (field.type === "file") return "Choisissez un fichier.";
    if (field.type === "radio" || field.tagName === "SELECT") return "Choisissez une réponse.";
    return "Ce champ est obligatoire.";
  }
  if (v.patternMismatch || v.badInput) {
    return field.dataset.format ? `Format attendu : ${field.dataset.format}` : "Valeur invalide.";
  }
  if (v.tooShort) return `Au moins ${field.minLength} caractères (${field.value.length} saisis).`;
  if (v.tooLong) return `Au plus ${field.maxLength} caractères (${field.value.length} saisis).`;
  if (v.typeMismatch)
    return field.type === "email" ? "Adresse électronique invalide." : "Valeur invalide.";
  if (v.rangeUnderflow) return `Au moins ${field.min}.`;
  if (v.rangeOverflow) return `Au plus ${field.max}.`;
  if (v.stepMismatch) return "Valeur invalide (pas autorisé).";
  return field.validationMessage ? "Valeur invalide." : "";
}

function showProblem(field, message) {
  const group = field.closest(
    ".fr-input-group, .fr-select-group, .fr-checkbox-group, .fr-fieldset",
  );
  const messages = field.id ? document.getElementById(`${field.id}-messages`) : null;
  if (messages) {
    messages.replaceChildren();
    if (message) {
      const line = document.createElement("p");
      line.className = "fr-message fr-message--error";
      line.textContent = message;
      messages.append(line);
    }
  }
  if (group) {
    const kind = [...group.classList].find((name) =>
      /^fr-(input|select|checkbox)-group$/.test(name),
    );
    if (kind) group.classList.toggle(`${kind}--error`, Boolean(message));
  }
  for (const name of ["fr-input", "fr-select"]) {
    if (field.classList.contains(name)) field.classList.toggle(`${name}--error`, Boolean(message));
  }
}

document.addEventListener(
  "invalid",
  (event) => {
    const field = event.target;
    event.preventDefault(); // no bubble in the browser's language
    showProblem(field, frenchProblem(field));
    const form = field.form;
    const first = form
      ? [...form.elements].find((el) => el.willValidate && !el.validity.valid)
      : null;
    if (first === field) field.focus();
  },
  true,
);

document.addEventListener("input", (event) => {
  const field = event.target;
  if (field.willValidate && field.validity?.valid && field.getAttribute("aria-describedby")) {
    showProblem(field, "");
  }
});
