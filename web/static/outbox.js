// The outbox: controls recorded on the tablet without network wait in IndexedDB with their
// photos and bulletin, each with its own idempotency key, and are sent when the network is
// back (at every page opened online and on the browser's "online" event). The server keeps
// a key once, so a sync repeated or cut off halfway never records a control, a photo or a
// bulletin twice; nothing leaves the outbox before the server has answered for all of it,
// and what the server refuses stays until the agent decides (/en-attente).
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

// The bulletin filled for a control still on the tablet: issued by the server on sync.
// False when the control has left the outbox meanwhile (it is then on the server).
export async function attachBulletin(key, fields) {
  const db = await database;
  const item = await db.get("outbox", key);
  if (!item) return false;
  await db.put("outbox", { ...item, bulletin: fields });
  await showCount();
  return true;
}

// The agent's decision on a bulletin the server refused as a conflict: send the tablet's
// fields again as a correction of the bulletin already issued.
export async function sendAsCorrection(key) {
  const db = await database;
  const item = await db.get("outbox", key);
  if (!item?.conflict) return;
  await db.put("outbox", { ...item, bulletin: { ...item.bulletin, corrects: item.conflict.id }, suffix: "c", conflict: null, problem: "" });
  await sync();
}

// The agent's decision to drop an item the server refused (the page asks first).
export async function remove(key) {
  await (await database).delete("outbox", key);
  await showCount();
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
      if (photos !== "sent") continue;
      const bulletin = await sendBulletin(item.key, control.id);
      if (bulletin === "offline") return;
      if (bulletin === "issued") await (await database).delete("outbox", item.key);
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
    item = { ...item, sent: n + 1, ...(response.ok ? {} : { photoRefused: true, problem: `photo ${photos[n].name} refusée` }) };
    await (await database).put("outbox", item);
  }
  return item.photoRefused ? "refused" : "sent";
}

// "issued" (or none to issue), "offline", or "refused": a conflict with a bulletin issued
// meanwhile, or fields to finish on the form; kept and said, for the agent to decide.
async function sendBulletin(key, controlId) {
  const db = await database;
  const item = await db.get("outbox", key);
  if (!item?.bulletin) return "issued";
  let response;
  try {
    response = await fetch(`/api/controls/${controlId}/bulletin`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken(), "Idempotency-Key": `${item.key}-b${item.suffix || ""}` },
      body: JSON.stringify(item.bulletin),
    });
  } catch {
    return "offline";
  }
  if (response.ok) return "issued";
  if (response.status === 401 || response.status === 403) return "offline";
  const answer = await response.json().catch(() => ({}));
  const conflict = response.status === 409 ? answer.bulletin || null : null;
  const problem = conflict ? `conflit : ${answer.error}` : `bulletin à compléter en ligne : ${answer.error || `refus ${response.status}`}`;
  await db.put("outbox", { ...item, controlId, conflict, problem });
  return "refused";
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
