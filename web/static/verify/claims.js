// CWT claims (RFC 8392) of a LIC code and the spec's limits, as control/verify/claims.py.
import { isBytes, isMap } from "./cbor.js";
import { has, lookup } from "./cose.js";

export const ISS = 1;
export const EXP = 4;
export const IAT = 6;
export const CTI = 7;
export const LIC = -70001;
const MAX_LIFETIME = 7 * 24 * 3600;

export class ClaimsError extends Error {}

function unixSeconds(value) {
  if (typeof value === "bigint") return null; // beyond 2**53: out of range anyway
  if (typeof value !== "number" || !Number.isInteger(value)) return null;
  return value >= 0 && value < 2 ** 40 ? value : null;
}

export function parseClaims(payload) {
  if (!isMap(payload)) throw new ClaimsError("the payload is not a CBOR map of claims");
  const iss = lookup(payload, ISS);
  if (typeof iss !== "string" || !iss) throw new ClaimsError("claim 1 (iss) must be the issuer id");
  const iat = unixSeconds(lookup(payload, IAT));
  if (iat === null) throw new ClaimsError("claim 6 (iat) must be unix seconds");
  const exp = unixSeconds(lookup(payload, EXP));
  if (exp === null) throw new ClaimsError("claim 4 (exp) must be unix seconds");
  const cti = lookup(payload, CTI);
  if (!isBytes(cti) || cti.length !== 16) throw new ClaimsError("claim 7 (cti) must be 16 bytes");
  if (!has(payload, LIC)) throw new ClaimsError("claim -70001 (lic) is missing");
  if (exp <= iat) throw new ClaimsError("exp is not after iat");
  if (exp - iat > MAX_LIFETIME) throw new ClaimsError("exp is more than 7 days after iat");
  return { iss, iat, exp, cti, lic: lookup(payload, LIC) };
}
