// From the text of a scanned code to exactly one verdict of the spec, in the browser and
// without network: the same checks, in the same order, as control/verify/verifier.py.
import { ClaimsError, parseClaims } from "./claims.js";
import { CoseError, UnsupportedAlgorithmError, loadsMap, parse, toBeSigned } from "./cose.js";
import { verifyEd25519 } from "./ed25519.js";
import { EnvelopeError, NotALicCodeError, unwrap } from "./envelope.js";
import { RecordError, decodeRecord, recordToJson } from "./record.js";
import { b64url } from "./trustlist.js";

const CLOCK_SKEW = 5 * 60;
const FRESHNESS = 24 * 3600;

function result(verdict, extra = {}) {
  return {
    verdict,
    warnings: [],
    detail: "",
    layer: null,
    issuer: null,
    kid: null,
    iat: null,
    exp: null,
    record: null,
    ...extra,
  };
}

// `now`: unix seconds. Never throws for any input text.
export async function verify(text, trust, now) {
  let coseBytes;
  try {
    coseBytes = await unwrap(text);
  } catch (error) {
    if (error instanceof NotALicCodeError)
      return result("not-a-lic-code", { detail: error.message });
    if (error instanceof EnvelopeError)
      return result("malformed", { detail: error.message, layer: error.layer });
    throw error;
  }
  let sign1;
  try {
    sign1 = parse(coseBytes);
  } catch (error) {
    if (error instanceof UnsupportedAlgorithmError)
      return result("unsupported-algorithm", { detail: error.message, layer: "cose" });
    if (error instanceof CoseError)
      return result("malformed", { detail: error.message, layer: "cose" });
    throw error;
  }
  const kid = b64url(sign1.kid);
  const key = trust.key(kid);
  const stale = trust.isStale(now) ? ["trust-list-stale"] : [];
  if (!key)
    return result("unknown-key", {
      warnings: stale,
      detail: `key ${kid} is not in the trust list`,
      kid,
    });
  const issuer = trust.issuer(key.issuer);
  const known = {
    warnings: stale,
    issuer: key.issuer,
    issuerName: issuer ? issuer.name : key.issuer,
    kid,
  };
  if (!(await verifyEd25519(key.x, toBeSigned(sign1), sign1.signature))) {
    return result("bad-signature", {
      ...known,
      detail: "the signature does not match the content",
    });
  }
  let claims;
  try {
    claims = parseClaims(loadsMap(sign1.payload));
  } catch (error) {
    if (error instanceof CoseError || error instanceof ClaimsError)
      return result("malformed", { ...known, detail: error.message, layer: "cwt" });
    throw error;
  }
  if (claims.iss !== key.issuer) {
    return result("unknown-key", {
      ...known,
      detail: `key ${kid} belongs to ${key.issuer}, not to the claimed issuer ${claims.iss}`,
    });
  }
  let record = null;
  let recordError;
  try {
    record = decodeRecord(claims.lic);
    recordError = windowError(record.windowStart + 27, claims.iat);
  } catch (error) {
    if (!(error instanceof RecordError)) throw error;
    recordError = error.message;
  }
  let [verdict, detail] = keyAndTime(key, claims.iat, claims.exp, now);
  if (verdict === "valid" && recordError) [verdict, detail] = ["record-invalid", recordError];
  const warnings = [...stale];
  if (record && record.full) warnings.push("record-incomplete");
  if (now - claims.iat > FRESHNESS) warnings.push("generated-more-than-24h-ago");
  return result(verdict, {
    ...known,
    warnings,
    detail,
    iat: claims.iat,
    exp: claims.exp,
    cti: claims.cti,
    record: record ? recordToJson(record) : null,
  });
}

function keyAndTime(key, iat, exp, now) {
  if (key.status === "revoked") return ["revoked-key", "the issuer's key has been revoked"];
  if (!(key.notBefore <= iat && iat <= key.notAfter))
    return ["key-not-valid-at-iat", "the code was generated outside the validity of its key"];
  if (iat > now + CLOCK_SKEW)
    return ["issued-in-future", "generated more than 5 minutes in the future"];
  if (now > exp) return ["expired", "the code has expired"];
  return ["valid", ""];
}

function windowError(windowEnd, iat) {
  const iatDay = Math.floor(iat / 86400); // the UTC date of iat
  return Math.abs(windowEnd - iatDay) > 1
    ? "the 28-day window does not end on the day the code was generated"
    : "";
}
