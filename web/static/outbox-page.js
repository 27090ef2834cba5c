// The outbox page: what the tablet holds, what is pending (a bulletin has no number before
// the server issues it) and what the server refused, with the agent's choices. Nothing is
// dropped without the agent's decision. Only the signed-in agent's items are listed; another
// agent's are counted, never shown.
import { element } from "/static/dom.js";
import {
  othersSaid,
  othersWaiting,
  remove,
  resolveConflict,
  sync,
  waiting,
} from "/static/outbox.js";

function button(label, action, kind = "fr-btn fr-btn--secondary") {
  const node = element("button", { type: "button", class: kind }, label);
  node.addEventListener("click", action);
  return node;
}

function describe(item) {
  const body = item.body;
  const [day, time] = body.occurred_at.split("T");
  const [year, month, date] = day.split("-");
  const when = `${date}/${month}/${year} à ${(time ?? "").slice(0, 5).replace(":", " h ")}`;
  const photos = item.photos?.length
    ? ` — ${item.photos.length} photo${item.photos.length > 1 ? "s" : ""}`
    : "";
  return `Contrôle du ${when} — ${body.commune} (${body.departement})${body.plate ? ` — ${body.plate}` : ""}${photos}`;
}

function row(item) {
  const parts = [element("p", {}, element("strong", {}, describe(item)))];
  if (item.bulletin)
    parts.push(
      element(
        "p",
        { class: "bulletin-attente" },
        "Bulletin en attente d'émission (pas encore de numéro).",
      ),
    );
  if (item.problem) {
    parts.push(
      element(
        "div",
        { class: "fr-alert fr-alert--error fr-alert--sm" },
        element("p", {}, item.problem),
      ),
    );
    const actions = element("p", { class: "actions" });
    if (item.controlId)
      actions.append(
        element(
          "a",
          { class: "fr-btn fr-btn--secondary", href: `/controles/${item.controlId}` },
          "Voir le contrôle",
        ),
      );
    if (item.conflict) {
      actions.append(
        button(`Émettre comme correction du bulletin n° ${item.conflict.number}`, async () => {
          await resolveConflict(item.key, "correction");
          await show();
        }),
      );
      actions.append(
        button("Émettre comme un autre bulletin du contrôle", async () => {
          await resolveConflict(item.key, "another");
          await show();
        }),
      );
    }
    const what = item.controlId
      ? "Ce qui a été refusé sera perdu (le contrôle, lui, est sur le serveur)."
      : "Le contrôle et ses photos seront perdus.";
    const withdraw = button("Retirer de la tablette", async () => {
      await remove(item.key);
      await show();
    });
    // asked first in the confirmation modal (app.js)
    withdraw.dataset.confirmer = `Retirer de la tablette ? ${what}`;
    actions.append(withdraw);
    parts.push(actions);
  }
  return element("li", { "data-key": item.key }, ...parts);
}

async function show() {
  const items = await waiting();
  document.getElementById("file-attente").replaceChildren(...items.map(row));
  const others = othersSaid(await othersWaiting());
  const empty = document.getElementById("file-vide");
  empty.hidden = items.length > 0;
  // the tablet is not empty while another agent's controls wait on it
  empty.replaceChildren(
    element(
      "p",
      {},
      others
        ? "Rien de votre part en attente : vos contrôles sont sur le serveur."
        : "Rien en attente : tout est sur le serveur.",
    ),
  );
  const notice = document.getElementById("autres-agents");
  notice.replaceChildren(
    others
      ? element(
          "p",
          {},
          `${others}. Ce qu'un agent a saisi n'est envoyé qu'à son nom, à sa prochaine connexion sur cette tablette.`,
        )
      : "",
  );
  notice.hidden = !others;
}

document.getElementById("synchroniser").addEventListener("click", async () => {
  await sync();
  await show();
});
document.addEventListener("lic:outbox-changed", show);
await show();
