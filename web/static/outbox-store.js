// The outbox's storage and sending, without the page: the pages (outbox.js) and the service
// worker's Background Sync (sw.js) both send from here. Controls recorded on the tablet
// without network wait in IndexedDB with their photos and bulletin, each part with its own
// idempotency key. The server keeps a key once, so a sync repeated, cut off halfway or run
// by the page and the worker at once never records a control, a photo or a bulletin twice;
// nothing leaves the outbox before the server has answered for all of it, and what the
// server refuses stays until the agent decides (/en-attente).
//
// Each item is its agent's (the signed-in user's id, `data-agent` on the page's body): it is
// sent only with that agent's session, and says so to the server (`X-LIC-Agent`, refused
// with a 409 if the session is another's). On a tablet shared by several agents, the items
// of an agent who signed out wait for that agent's next sign-in; the session's CSRF token is
// kept under its agent's id, so the service worker knows whose items it may send.
//
// A pass and the agent's decisions take the outbox's lock (Web Locks, shared by the pages and
// the worker): a decision taken while a pass is in flight waits for it, so a pass never
// writes back a stale copy over it, and two passes never interleave.
import { openDB } from "/vendor/idb/index.js";

const database = openDB("controle-lic", 2, {
  upgrade(db, oldVersion) {
    if (oldVersion < 1) db.createObjectStore("outbox", { keyPath: "key" });
    if (oldVersion < 2) db.createObjectStore("meta");
  },
});

function exclusively(work) {
  return navigator.locks ? navigator.locks.request("controle-lic-outbox", work) : work();
}

export async function enqueue(agent, body, photos = []) {
  if (!agent) throw new Error("an outbox item needs its agent");
  const item = {
    key: crypto.randomUUID(),
    agent,
    body,
    photos: photos.map((file) => ({ name: file.name, blob: file })),
    sent: 0, // photos the server has answered for
    recordedAt: new Date().toISOString(),
    problem: "",
  };
  await (await database).put("outbox", item);
  return item.key;
}

// The items of `agent` (all of them without one: the worker's and the tests' view).
export async function waiting(agent = "") {
  const items = await (await database).getAll("outbox");
  return agent ? items.filter((item) => item.agent === agent) : items;
}

// How many items other agents left on this tablet, and from how many agents: said to the
// one signed in, never shown (their content is theirs).
export async function othersWaiting(agent) {
  const others = (await waiting()).filter((item) => item.agent !== agent);
  return { items: others.length, agents: new Set(others.map((item) => item.agent)).size };
}

// Items kept before they carried their agent (a script older than this one): the agent
// whose page first opens this one takes them, as the old script would have sent them.
export function adopt(agent) {
  return exclusively(async () => {
    const db = await database;
    for (const item of await db.getAll("outbox"))
      if (!item.agent) await db.put("outbox", { ...item, agent });
  });
}

// The bulletin filled for a control still on the tablet: issued by the server on sync.
// If a sync took the control while the agent typed (the network came back), the control
// goes again with it: the server answers its replay with the control, then issues the
// bulletin. False only when the control is neither waiting nor the last one sent.
export function attachBulletin(key, fields) {
  return exclusively(async () => {
    const db = await database;
    const item = (await db.get("outbox", key)) ?? (await lastSent(db, key));
    if (!item) return false;
    await db.put("outbox", { ...item, bulletin: fields });
    return true;
  });
}

// The last item sent, without its photos (the server has them) nor bulletin: what
// `attachBulletin` sends again. One only, deleted at sign-out with the tokens.
const LAST_SENT = "sent:last";

async function lastSent(db, key) {
  const item = await db.get("meta", LAST_SENT);
  return item?.key === key ? item : undefined;
}

async function done(item) {
  const db = await database;
  const sent = { ...item, photos: [], sent: 0, bulletin: null, suffix: "", problem: "" };
  await db.put("meta", sent, LAST_SENT);
  await db.delete("outbox", item.key);
}

// The agent's decision on a bulletin the server refused as a conflict: its fields go again,
// under a key of their own, as a correction of the bulletin issued meanwhile ("correction")
// or as another bulletin of the control ("another").
export function resolveConflict(key, choice) {
  return exclusively(async () => {
    const db = await database;
    const item = await db.get("outbox", key);
    if (!item?.conflict) return;
    const bulletin =
      choice === "correction"
        ? { ...item.bulletin, corrects: item.conflict.id }
        : { ...item.bulletin, another: true };
    await db.put("outbox", {
      ...item,
      bulletin,
      suffix: choice === "correction" ? "c" : "a",
      conflict: null,
      problem: "",
    });
  });
}

// The agent's decision to drop an item the server refused (the page asks first).
export function remove(key) {
  return exclusively(async () => (await database).delete("outbox", key));
}

// The session's CSRF token, kept for the service worker, which has no page to read it from,
// under its agent's id ("csrf:<id>"). One session per browser: a token of another agent is
// stale, and goes.
const TOKEN = "csrf:";

export async function rememberToken(agent, token) {
  if (!agent || !token) return;
  const db = await database;
  const kept = db.transaction("meta", "readwrite");
  for (const key of await kept.store.getAllKeys())
    if (isToken(key) && key !== TOKEN + agent) kept.store.delete(key);
  kept.store.put(token, TOKEN + agent);
  await kept.done;
}

// The saved session: { agent, token }, or null once signed out.
export async function savedSession() {
  const db = await database;
  const key = (await db.getAllKeys("meta")).find((name) => String(name).startsWith(TOKEN));
  return key ? { agent: key.slice(TOKEN.length), token: await db.get("meta", key) } : null;
}

// At sign-out: no token stays on the tablet, nor the last control sent (the items stay,
// for their agents).
export async function forgetTokens() {
  const db = await database;
  const kept = db.transaction("meta", "readwrite");
  for (const key of await kept.store.getAllKeys())
    if (isToken(key) || key === LAST_SENT) kept.store.delete(key);
  await kept.done;
}

function isToken(key) {
  return String(key).startsWith("csrf"); // "csrf" alone: the token of an older script, agent unknown
}

// Sends every item of `agent`, each part once, with that agent's session; what is left waits
// for the next chance, and other agents' items for their own sessions.
export function sendAll(agent, token) {
  if (!agent || !token) return Promise.resolve();
  return exclusively(() => sendEach({ agent, token }));
}

async function sendEach(session) {
  const db = await database;
  for (const key of await db.getAllKeys("outbox")) {
    const item = await db.get("outbox", key); // as it is now, not as the pass began
    if (!item || item.agent !== session.agent) continue;
    let response;
    try {
      response = await fetch("/api/controls", {
        method: "POST",
        headers: {
          ...sentBy(session),
          "Content-Type": "application/json",
          "Idempotency-Key": item.key,
        },
        body: JSON.stringify(item.body),
      });
    } catch {
      return; // still no network: the next chance will try again
    }
    if (response.ok) {
      const control = await response.json();
      const photos = await sendPhotos(item, control.id, session);
      if (photos === "offline") return;
      if (photos !== "sent") continue;
      const bulletin = await sendBulletin(item.key, control.id, session);
      if (bulletin === "offline") return;
      if (bulletin === "issued") await done(item);
    } else if (response.status === 401 || response.status === 403) {
      return; // signed out meanwhile: kept until the agent signs in again
    } else {
      // refused (a conflict, a field the server rejects): kept, and said, never dropped
      const answer = await response.json().catch(() => ({}));
      await (
        await database
      ).put("outbox", { ...item, problem: answer.error || `refus ${response.status}` });
    }
  }
}

// The session's token, and the agent the item is from: the server refuses it under another's.
function sentBy(session) {
  return { "X-CSRF-Token": session.token, "X-LIC-Agent": session.agent };
}

// Each photo with its own key: "sent", "offline" (the rest waits for the next sync) or
// "refused" (a photo the server cannot read: the item stays, said, never dropped).
async function sendPhotos(item, controlId, session) {
  const photos = item.photos || [];
  for (let n = item.sent || 0; n < photos.length; n++) {
    const body = new FormData();
    body.append("photos", photos[n].blob, photos[n].name);
    let response;
    try {
      response = await fetch(`/controles/${controlId}/photos`, {
        method: "POST",
        body,
        headers: {
          ...sentBy(session),
          "HX-Request": "true",
          "Idempotency-Key": `${item.key}-p${n}`,
        },
      });
    } catch {
      return "offline";
    }
    if (!response.ok && response.status !== 422) return "offline";
    item = {
      ...item,
      sent: n + 1,
      ...(response.ok ? {} : { photoRefused: true, problem: `photo ${photos[n].name} refusée` }),
    };
    await (await database).put("outbox", item);
  }
  return item.photoRefused ? "refused" : "sent";
}

// "issued" (or none to issue), "offline", or "refused": a conflict with a bulletin issued
// meanwhile, or fields to finish on the form; kept and said, for the agent to decide.
async function sendBulletin(key, controlId, session) {
  const db = await database;
  const item = await db.get("outbox", key);
  if (!item?.bulletin) return "issued";
  let response;
  try {
    response = await fetch(`/api/controls/${controlId}/bulletin`, {
      method: "POST",
      headers: {
        ...sentBy(session),
        "Content-Type": "application/json",
        "Idempotency-Key": `${item.key}-b${item.suffix || ""}`,
      },
      body: JSON.stringify(item.bulletin),
    });
  } catch {
    return "offline";
  }
  if (response.ok) return "issued";
  if (response.status === 401 || response.status === 403) return "offline";
  const answer = await response.json().catch(() => ({}));
  const conflict = response.status === 409 ? answer.bulletin || null : null;
  const problem = conflict
    ? `conflit : ${answer.error}`
    : `bulletin à compléter en ligne : ${answer.error || `refus ${response.status}`}`;
  await db.put("outbox", { ...item, controlId, conflict, problem });
  return "refused";
}
