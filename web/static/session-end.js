// Signing out of a shared tablet: what carries the agent's name or session goes with it, so
// the next agent finds none of it. The pages kept for use without network (the scan page, the
// outbox page and the forms: each with the agent's name in its menu and the session's CSRF
// token) and the tokens saved for the service worker are deleted. The outbox's items stay:
// each waits for its own agent's next sign-in (outbox-store.js). The static files, the trust
// list and the impersonal "hors ligne" page stay too, so the app still opens offline.
import { forgetTokens } from "/static/outbox-store.js";

const IMPERSONAL = ["/hors-ligne"];

export async function forgetAgent() {
  sessionStorage.removeItem("lic-pages-gardees");
  await Promise.all([forgetTokens(), forgetPages()]);
}

// Every page kept in Cache Storage but the impersonal ones, in every cache of the app (an
// older worker's cache may still be there until the new one activates).
async function forgetPages() {
  if (!("caches" in self)) return;
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      const page = response?.headers.get("Content-Type")?.startsWith("text/html");
      if (page && !IMPERSONAL.includes(new URL(request.url).pathname)) await cache.delete(request);
    }
  }
}
