// Without network, the forms of a control without a QR code (paper LIC, no LIC, service
// schedule) keep the control on the tablet: it waits in the outbox like a QR control and is
// sent, with the server's own checks, when the network is back. Online, the form posts.
import { element } from "/static/dom.js";
import { enqueue } from "/static/outbox.js";

const LISTS = new Set(["manual_natinf"]);
const PHOTOS = "hl-photos";

function body(form) {
  const data = new FormData(form);
  const fields = {};
  for (const [name, value] of data) {
    if (name === "csrf" || name === "photos") continue;
    if (LISTS.has(name)) fields[name] = [...(fields[name] ?? []), value];
    else fields[name] = value;
  }
  fields.passengers = data.get("passengers") === "on";
  return fields;
}

// Online, photos are added on the control's page once it is recorded. Without network there
// is no such page yet: the form takes them, and they wait in the outbox with the control.
function offerPhotos() {
  const form = document.getElementById("form-controle");
  if (!form || navigator.onLine || document.getElementById(PHOTOS)) return;
  const input = element("input", {
    id: PHOTOS,
    name: "photos",
    type: "file",
    accept: "image/*",
    capture: "environment",
    multiple: "",
  });
  const label = element(
    "label",
    { for: PHOTOS },
    "Photos des pages (hors ligne : envoyées avec le contrôle)",
  );
  form
    .querySelector("button[type=submit]")
    .parentElement.before(element("div", { class: "large" }, label, input));
}
offerPhotos();
window.addEventListener("offline", offerPhotos);

// At the document, in the capture phase: before the browser posts to a server it cannot reach.
document.addEventListener(
  "submit",
  async (event) => {
    const form = event.target;
    if (navigator.onLine || form.id !== "form-controle") return;
    event.preventDefault();
    if (!form.reportValidity()) return;
    const photos = [...(document.getElementById(PHOTOS)?.files ?? [])];
    await enqueue(body(form), photos);
    form.replaceWith(
      element(
        "p",
        { class: "alerte attention", id: "enregistre-hors-ligne", role: "status" },
        "Contrôle enregistré sur la tablette : il sera envoyé au serveur dès le retour du réseau. ",
        element("a", { href: "/en-attente" }, "Voir les contrôles en attente"),
      ),
    );
  },
  true,
);
