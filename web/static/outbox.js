// The outbox: controls recorded on the tablet without network wait in IndexedDB with their
// photos, each with its own idempotency key, and are sent when the network is back (at every
// page opened online and on the browser's "online" event). The server keeps a key once, so
// a sync repeated or cut off halfway never records a control or a photo twice; nothing
// leaves the outbox before the server has answered for all of it.
import { openDB } from "/vendor/idb/index.js";

const database = openDB("controle-lic", 1, {
  upgrade(db) {
    db.createObjectStore("outbox", { keyPath: "key" });
  },
});

function csrfToken() {
  try {
    return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRF-Token"] || "";
  } catch {
    return "";
  }
}

export async function enqueue(body, photos = []) {
  const item = {
    key: crypto.randomUUID(),
    body,
    photos: photos.map((file) => ({ name: file.name, blob: file })),
    sent: 0, // photos the server has answered for
    recordedAt: new Date().toISOString(),
    problem: "",
  };
  await (await database).put("outbox", item);
  await showCount();
  return item.key;
}

export async function waiting() {
  return (await database).getAll("outbox");
}

async function showCount() {
  const counter = document.getElementById("en-attente");
  if (!counter) return;
  const items = await waiting();
  counter.hidden = items.length === 0;
  const stuck = items.filter((item) => item.problem).length;
  counter.textContent = `${items.length} en attente${stuck ? ` (${stuck} à revoir)` : ""}`;
  counter.title = items.map((item) => item.problem).filter(Boolean).join("\n");
}

let running = null;

async function sendAll() {
  for (const item of await waiting()) {
    let response;
    try {
      response = await fetch("/api/controls", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken(), "Idempotency-Key": item.key },
        body: JSON.stringify(item.body),
      });
    } catch {
      return; // still no network: the next chance will try again
    }
    if (response.ok) {
      const control = await response.json();
      const photos = await sendPhotos(item, control.id);
      if (photos === "offline") return;
      if (photos === "sent") await (await database).delete("outbox", item.key);
    } else if (response.status === 401 || response.status === 403) {
      return; // signed out meanwhile: kept until the agent signs in again
    } else {
      // refused (a conflict, a field the server rejects): kept, and said, never dropped
      const answer = await response.json().catch(() => ({}));
      await (await database).put("outbox", { ...item, problem: answer.error || `refus ${response.status}` });
    }
  }
}

// Each photo with its own key: "sent", "offline" (the rest waits for the next sync) or
// "refused" (a photo the server cannot read: the item stays, said, never dropped).
async function sendPhotos(item, controlId) {
  const photos = item.photos || [];
  for (let n = item.sent || 0; n < photos.length; n++) {
    const body = new FormData();
    body.append("photos", photos[n].blob, photos[n].name);
    let response;
    try {
      response = await fetch(`/controles/${controlId}/photos`, {
        method: "POST",
        body,
        headers: { "X-CSRF-Token": csrfToken(), "HX-Request": "true", "Idempotency-Key": `${item.key}-p${n}` },
      });
    } catch {
      return "offline";
    }
    if (!response.ok && response.status !== 422) return "offline";
    item = { ...item, sent: n + 1, problem: response.ok ? item.problem : `photo ${photos[n].name} refusée` };
    await (await database).put("outbox", item);
  }
  return item.problem ? "refused" : "sent";
}

export function sync() {
  if (!navigator.onLine) return Promise.resolve();
  running ||= sendAll().finally(() => {
    running = null;
  });
  return running.then(showCount);
}

window.addEventListener("online", () => sync());
showCount().then(() => sync());
window.licOutbox = { sync, waiting };
