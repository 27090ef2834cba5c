// The signed trust list (flattened JWS), checked against the root key as
// control/verify/trustlist.py does, then looked up by kid.
import { sha256, verifyEd25519 } from "./ed25519.js";

export class TrustListError extends Error {}

export function fromB64url(text) {
  if (
    typeof text !== "string" ||
    text.includes("=") ||
    !/^[A-Za-z0-9_-]*$/.test(text) ||
    text.length % 4 === 1
  ) {
    throw new TrustListError("invalid base64url");
  }
  const base64 =
    text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4);
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  if (b64url(bytes) !== text) throw new TrustListError("invalid base64url");
  return bytes;
}

export function b64url(bytes) {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

async function kidOf(x) {
  return (await sha256(x)).slice(0, 8);
}

// `root`: the authority's public key as its JWK ({kty: "OKP", crv: "Ed25519", x}).
export async function loadTrustList(documentText, rootJwk) {
  let outer, header, payload, signature;
  try {
    outer = JSON.parse(documentText);
    header = JSON.parse(
      new TextDecoder("utf-8", { fatal: true }).decode(fromB64url(outer.protected)),
    );
    payload = fromB64url(outer.payload);
    signature = fromB64url(outer.signature);
  } catch (error) {
    throw new TrustListError(`not a signed trust list document (${error.message})`);
  }
  const root = fromB64url(rootJwk.x);
  const rootKid = b64url(await kidOf(root));
  if (!header || header.alg !== "EdDSA")
    throw new TrustListError("the trust list must be signed with EdDSA (Ed25519)");
  if (header.kid !== rootKid)
    throw new TrustListError(`signed by key ${header.kid}, not by the configured root ${rootKid}`);
  const signed = new TextEncoder().encode(`${outer.protected}.${outer.payload}`);
  if (!(await verifyEd25519(root, signed, signature)))
    throw new TrustListError("the root signature of the trust list is not valid");
  const content = JSON.parse(new TextDecoder().decode(payload));
  if (content.format !== "lic-trust-list/1")
    throw new TrustListError("not a lic-trust-list/1 document");
  const byKid = new Map();
  const issuers = new Map();
  for (const issuer of content.issuers) {
    issuers.set(issuer.id, issuer);
    for (const key of issuer.keys) {
      const x = fromB64url(key.x);
      const kid = b64url(await kidOf(x));
      if (x.length !== 32 || kid !== key.kid)
        throw new TrustListError(`issuer ${issuer.id}: kid ${key.kid} does not match its key`);
      if (byKid.has(kid)) throw new TrustListError(`key ${key.kid} listed twice`);
      byKid.set(kid, {
        kid,
        x,
        issuer: issuer.id,
        notBefore: Date.parse(key.not_before) / 1000,
        notAfter: Date.parse(key.not_after) / 1000,
        status: key.status,
      });
    }
  }
  return {
    issuedAt: Date.parse(content.issued_at) / 1000,
    nextUpdate: Date.parse(content.next_update) / 1000,
    key: (kid) => byKid.get(kid),
    issuer: (id) => issuers.get(id),
    isStale: (now) => now > Date.parse(content.next_update) / 1000,
  };
}
