// The outbox on the pages: the menu's "n en attente" counter, and the sync started at every
// page opened online and on the browser's "online" event. Where the browser has Background
// Sync, the service worker is also asked to send the outbox when the network comes back,
// even with the app closed (sw.js). Storage and sending: outbox-store.js.
//
// The page's agent (the signed-in user's id, on the body) sees, counts and sends only its own
// items; another agent's wait on the tablet for that agent's sign-in, and are only counted.
import * as store from "/static/outbox-store.js";

const agent = document.body.dataset.agent || "";

export const waiting = () => store.waiting(agent);

// "1 contrôle d'un autre agent attend sa connexion", or "" when there is none.
export function othersSaid({ items, agents }) {
  if (!items) return "";
  const whose = agents > 1 ? "d'autres agents" : "d'un autre agent";
  const verb = items > 1 ? "attendent" : "attend";
  return `${items} contrôle${items > 1 ? "s" : ""} ${whose} ${verb} ${agents > 1 ? "leur" : "sa"} connexion`;
}

export const othersWaiting = () => store.othersWaiting(agent);

function csrfToken() {
  try {
    return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRF-Token"] || "";
  } catch {
    return "";
  }
}

// "2 en attente (1 à revoir)", and the other agents' items counted apart, never listed.
async function showCount() {
  const counter = document.getElementById("en-attente");
  if (!counter) return;
  const items = await waiting();
  const others = await othersWaiting();
  const stuck = items.filter((item) => item.problem).length;
  const parts = [];
  if (items.length) parts.push(`${items.length} en attente${stuck ? ` (${stuck} à revoir)` : ""}`);
  const whose = others.agents > 1 ? "d'autres agents" : "d'un autre agent";
  if (others.items) parts.push(`${others.items}${items.length ? "" : " en attente"} ${whose}`);
  counter.hidden = parts.length === 0;
  counter.textContent = parts.join(" · ");
  const narrow = document.getElementById("en-attente-etroit"); // base.html: under the header
  if (narrow) {
    narrow.hidden = counter.hidden;
    narrow.firstElementChild.textContent = counter.textContent;
  }
  const notes = [...items.map((item) => item.problem).filter(Boolean), othersSaid(others)].filter(
    Boolean,
  );
  if (notes.length) counter.title = notes.join("\n");
  else counter.removeAttribute("title");
}

// Background Sync where the browser has it; else the page's own events do the work. Not
// awaited: the control is kept once it is in IndexedDB, and `ready` never settles where no
// service worker becomes active (blocked by the browser, or its install failed).
function askTheWorker() {
  navigator.serviceWorker?.ready
    .then((registration) => registration.sync?.register("outbox"))
    .catch(() => {}); // not offered (or refused): the "online" event and the next page opened will sync
}

export async function enqueue(body, photos = []) {
  const key = await store.enqueue(agent, body, photos);
  await showCount();
  askTheWorker();
  return key;
}

export async function attachBulletin(key, fields) {
  const kept = await store.attachBulletin(key, fields);
  await showCount();
  return kept;
}

// "correction" or "another": see outbox-store.js
export async function resolveConflict(key, choice) {
  await store.resolveConflict(key, choice);
  await sync();
}

export async function remove(key) {
  await store.remove(key);
  await showCount();
}

let running = null; // the pass in flight
let queued = null; // one more pass after it, shared by every caller meanwhile

// Pages that list the outbox listen for this: after a sync, by the page or the worker.
const changed = () => document.dispatchEvent(new Event("lic:outbox-changed"));

function pass() {
  running = store.sendAll(agent, csrfToken()).finally(() => {
    running = null;
  });
  return running;
}

// A pass reads the outbox when it begins: an item resolved or added while one is in flight
// goes in the pass queued after it (joining the pass in flight would leave it unsent).
export function sync() {
  if (!navigator.onLine) return Promise.resolve();
  if (running) {
    queued ||= running
      .catch(() => {})
      .then(() => {
        queued = null;
        return pass();
      });
  }
  return (queued ?? pass()).then(showCount).then(changed);
}

navigator.serviceWorker?.addEventListener("message", (event) => {
  if (event.data?.outboxChanged) showCount().then(changed);
});

// Kept for the worker under this agent's id, and the items of an older script taken; then the
// first pass (the store's lock orders it after the adoption).
const ready = agent
  ? Promise.all([store.rememberToken(agent, csrfToken()), store.adopt(agent)]).catch(() => {})
  : Promise.resolve();
window.addEventListener("online", () => sync());
ready.then(showCount).then(() => sync());
window.licOutbox = { sync, waiting };
