// Without network, the forms of a control without a QR code (paper LIC, no LIC, service
// schedule) keep the control on the tablet: it waits in the outbox like a QR control and is
// sent, with the server's own checks, when the network is back. Online, the form posts.
import { element } from "/static/dom.js";
import { enqueue } from "/static/outbox.js";

const LISTS = new Set(["manual_natinf"]);

function body(form) {
  const data = new FormData(form);
  const fields = {};
  for (const [name, value] of data) {
    if (name === "csrf") continue;
    if (LISTS.has(name)) fields[name] = [...(fields[name] ?? []), value];
    else fields[name] = value;
  }
  fields.passengers = data.get("passengers") === "on";
  return fields;
}

// At the document, in the capture phase: before the browser posts to a server it cannot reach.
document.addEventListener(
  "submit",
  async (event) => {
    const form = event.target;
    if (navigator.onLine || form.id !== "form-controle") return;
    event.preventDefault();
    if (!form.reportValidity()) return;
    await enqueue(body(form));
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
