// COSE_Sign1 structure (RFC 9052) as control/verify/cose.py parses it: every field checked.
import {
  CborError,
  Float,
  Tagged,
  encode,
  isBytes,
  isInt,
  isMap,
  isText,
  itemEnd,
  loads as cborLoads,
  uniqueLabels,
} from "./cbor.js";

export const ALG = 1;
export const KID = 4;
export const EDDSA = -8;
export const SIGN1_TAG = 18;

export class CoseError extends Error {}
export class UnsupportedAlgorithmError extends CoseError {}

export function loads(data, topTags = []) {
  try {
    return cborLoads(data, topTags);
  } catch (error) {
    if (error instanceof CborError) throw new CoseError(error.message);
    throw error;
  }
}

// `loads`, and a map's labels checked: integers or texts, none twice (the protected header,
// the claims), as loads_map in control/verify/cose.py.
export function loadsMap(data) {
  const item = loads(data);
  if (isMap(item)) labels(() => uniqueLabels(data, 0));
  return item;
}

function labels(check) {
  try {
    check();
  } catch (error) {
    if (error instanceof CborError) throw new CoseError(error.message);
    throw error;
  }
}

export function parse(data) {
  let item = loads(data, [SIGN1_TAG]);
  const tagged = item instanceof Tagged;
  if (item instanceof Tagged) {
    if (item.tag !== SIGN1_TAG) throw new CoseError(`CBOR tag ${item.tag} is not COSE_Sign1 (18)`);
    item = item.value;
  }
  if (!Array.isArray(item) || item.length !== 4)
    throw new CoseError("COSE_Sign1 is an array of 4 items");
  const [protectedBytes, unprotected, payload, signature] = item;
  if (!isBytes(protectedBytes) || !isMap(unprotected))
    throw new CoseError("headers must be a byte string and a map");
  if (!isBytes(payload))
    throw new CoseError("payload must be a byte string (detached payloads are not used)");
  if (!isBytes(signature) || signature.length !== 64)
    throw new CoseError("an Ed25519 signature is 64 bytes");
  // the unprotected header: after the tag's and the array's heads, and the protected bytes
  labels(() => uniqueLabels(data, itemEnd(data, itemEnd(data, 0, tagged ? 2 : 1))));
  const header = protectedBytes.length ? loadsMap(protectedBytes) : new Map();
  if (!isMap(header)) throw new CoseError("protected header must be a map");
  const alg = lookup(header, ALG);
  if (alg === undefined || alg === null)
    throw new CoseError("no algorithm in the protected header");
  // RFC 9052: an integer or a text; -8.0 is neither
  if (!(isInt(alg) || isText(alg)))
    throw new CoseError(`algorithm ${String(alg)} is not an integer nor a text`);
  if (!sameInt(alg, EDDSA))
    throw new UnsupportedAlgorithmError(`algorithm ${String(alg)} (only EdDSA -8 with Ed25519)`);
  const kid = has(header, KID) ? lookup(header, KID) : lookup(unprotected, KID);
  if (!isBytes(kid) || !kid.length) throw new CoseError("no key identifier (kid)");
  return { protected: protectedBytes, kid, payload, signature };
}

export function toBeSigned(sign1) {
  return encode(["Signature1", sign1.protected, new Uint8Array(0), sign1.payload]);
}

// cbor2 maps keep Python's key equality: 1 == 1.0 == True; a float 1.0 key finds the int key.
function keyEquals(key, wanted) {
  if (key instanceof Float) return key.value === wanted;
  if (typeof key === "boolean") return Number(key) === wanted;
  return isInt(key) && sameInt(key, wanted);
}

function sameInt(value, wanted) {
  if (typeof value === "bigint") return value === BigInt(wanted);
  if (value instanceof Float) return value.value === wanted;
  if (typeof value === "boolean") return false; // `isinstance(alg, bool)` is refused by the Python side
  return value === wanted;
}

export function has(map, key) {
  for (const candidate of map.keys()) if (keyEquals(candidate, key)) return true;
  return false;
}

export function lookup(map, key) {
  let found;
  for (const [candidate, value] of map) if (keyEquals(candidate, key)) found = value;
  return found;
}
