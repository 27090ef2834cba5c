// Without network, the forms of a control without a QR code (paper LIC, no LIC, service
// schedule) keep the control on the tablet: it waits in the outbox like a QR control and is
// sent, with the server's own checks, when the network is back. Online, the form posts, with
// its key (`cle`): sent twice, it records one control.
import { beingSaved, element, saveOnce } from "/static/dom.js";
import { enqueue } from "/static/outbox.js";

const LISTS = new Set(["manual_natinf"]);
const PHOTOS = "hl-photos";

// "06/12/2026 14h30" as typed, kept in ISO ("2026-12-06T14:30") as the outbox always held it
// (its list reads the day and time from it); anything else is kept as typed, for the server
// to refuse in French when it is sent.
const FRENCH_MOMENT =
  /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s+(?:à\s+)?(\d{1,2})\s*[:hH]\s*(\d{2})?\s*$/;

export function isoMoment(text) {
  const found = FRENCH_MOMENT.exec(text);
  if (!found) return text;
  const [, day, month, year, hour, minute] = found;
  const two = (part) => String(part ?? "0").padStart(2, "0");
  return `${year}-${two(month)}-${two(day)}T${two(hour)}:${two(minute)}`;
}

function body(form) {
  const data = new FormData(form);
  const fields = {};
  for (const [name, value] of data) {
    if (name === "csrf" || name === "cle" || name === "photos") continue; // the outbox has its own key
    if (LISTS.has(name)) fields[name] = [...(fields[name] ?? []), value];
    else fields[name] = value;
  }
  fields.passengers = data.get("passengers") === "on";
  if (typeof fields.occurred_at === "string") fields.occurred_at = isoMoment(fields.occurred_at);
  return fields;
}

// Online, photos are added on the control's page once it is recorded. Without network there
// is no such page yet: the form takes them, and they wait in the outbox with the control.
function offerPhotos() {
  const form = document.getElementById("form-controle");
  if (!form || navigator.onLine || document.getElementById(PHOTOS)) return;
  // drawn as the pages' photo fields (_fields.html photo): a French button, whatever the
  // browser's language; app.js names the chosen files under it
  const input = element("input", {
    id: PHOTOS,
    name: "photos",
    type: "file",
    class: "fr-sr-only fichier-champ",
    accept: "image/*",
    capture: "environment",
    multiple: "",
    "aria-describedby": `${PHOTOS}-choix`,
  });
  const none = "Aucune photo choisie";
  form
    .querySelector("button[type=submit]")
    .parentElement.before(
      element(
        "div",
        { class: "large fr-input-group fichier" },
        element(
          "p",
          { class: "fr-label" },
          "Photos des pages (hors ligne : envoyées avec le contrôle)",
        ),
        input,
        element(
          "label",
          { for: PHOTOS, class: "fr-btn fr-btn--secondary fr-btn--icon-left fr-icon-camera-line" },
          "Prendre une photo",
        ),
        element(
          "p",
          { class: "fr-hint-text fichier-choix", id: `${PHOTOS}-choix`, "data-aucun": none },
          none,
        ),
      ),
    );
}
offerPhotos();
window.addEventListener("offline", offerPhotos);

// At the document, in the capture phase: before the browser posts to a server it cannot reach.
document.addEventListener(
  "submit",
  async (event) => {
    const form = event.target;
    if (form.id !== "form-controle") return;
    if (beingSaved(form)) {
      event.preventDefault(); // kept on the tablet already, even if the network is back
      return;
    }
    if (navigator.onLine) return;
    event.preventDefault();
    if (!form.reportValidity()) return;
    await saveOnce(form, async () => {
      const photos = [...(document.getElementById(PHOTOS)?.files ?? [])];
      await enqueue(body(form), photos);
      form.replaceWith(
        // an information, as after a QR control offline (offline-scan.js): nothing went wrong
        element(
          "div",
          {
            class: "fr-alert fr-alert--info fr-alert--sm",
            id: "enregistre-hors-ligne",
            role: "status",
          },
          element(
            "p",
            {},
            "Contrôle enregistré sur la tablette : il sera envoyé au serveur dès le retour du réseau. ",
            element("a", { href: "/en-attente" }, "Voir les contrôles en attente"),
          ),
        ),
      );
    });
  },
  true,
);

// Back on a sent form, the page is served anew (no-store) with a new key, yet the browser puts
// back what was typed: sent again, it would record a second control. The key sent is kept
// with the page's history entry and given back once the browser has restored the fields (a
// form opened anew has none: its own key stands).
function typedBack(form) {
  return [...form.elements].some((field) =>
    field.type === "checkbox" || field.type === "radio"
      ? field.checked !== field.defaultChecked
      : (field.type === "text" || field.tagName === "TEXTAREA") &&
        field.value !== field.defaultValue,
  );
}

export function keepSentKey(form) {
  const key = form.querySelector('input[name="cle"]');
  if (!key) return;
  window.addEventListener("pageshow", () => {
    const sent = history.state?.cle;
    if (sent && typedBack(form)) key.value = sent;
  });
  form.addEventListener("submit", () =>
    history.replaceState({ ...history.state, cle: key.value }, ""),
  );
}

const controlForm = document.getElementById("form-controle");
if (controlForm) keepSentKey(controlForm);
