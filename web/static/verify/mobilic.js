// Mobilic's roadside codes, recognised and read on the tablet, never verified (their HS256
// signature is a secret of Mobilic): the same strict rule as control/verify/mobilic.py, which
// tests/verify/test_mobilic_agreement.py runs on the same cases as this one.
export const ORIGIN = "https://mobilic.beta.gouv.fr";
const PREFIX = `${ORIGIN}/control/user-history?`;
const MAX_URL_CHARACTERS = 2048;
const PARAMETERS = {
  token: /^[A-Za-z0-9_-]{16,128}$/,
  ts: /^[0-9]{1,16}$/,
  controlToken: /^[A-Za-z0-9_-]{8,400}\.[A-Za-z0-9_-]{8,1200}\.[A-Za-z0-9_-]{43}$/,
};
const REQUIRED = ["token", "controlToken"];
const EARLIEST = Date.UTC(2020, 0, 1) / 1000;
const LATEST = Date.UTC(2100, 0, 1) / 1000;
const LARGEST_ID = 2 ** 53 - 1;

// {url, generatedAt, expiresAt} (unix seconds, expiresAt null without `exp`), or null.
export function readMobilic(text) {
  const start = text.lastIndexOf(PREFIX);
  if (start < 0) return null;
  const url = text.slice(start).replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");
  if (url.length > MAX_URL_CHARACTERS) return null;
  const values = parameters(url.slice(PREFIX.length));
  if (!values) return null;
  const found = claims(values.controlToken);
  if (!found) return null;
  const rebuilt = Object.keys(PARAMETERS)
    .filter((name) => name in values)
    .map((name) => `${name}=${values[name]}`)
    .join("&");
  return { url: PREFIX + rebuilt, ...found };
}

function parameters(query) {
  const values = Object.create(null);
  for (const pair of query.split("&")) {
    const at = pair.indexOf("=");
    if (at < 0) return null;
    const name = pair.slice(0, at);
    const value = pair.slice(at + 1);
    if (!Object.hasOwn(PARAMETERS, name) || name in values || !PARAMETERS[name].test(value))
      return null;
    values[name] = value;
  }
  return REQUIRED.every((name) => name in values) ? values : null;
}

function claims(token) {
  const [headerPart, payloadPart] = token.split(".");
  const header = jsonObject(headerPart);
  const payload = jsonObject(payloadPart);
  if (!header || !payload || header.alg !== "HS256") return null;
  if ((Object.hasOwn(header, "typ") ? header.typ : "JWT") !== "JWT") return null;
  const generatedAt = seconds(
    Object.hasOwn(payload, "dateCodeGeneration") ? payload.dateCodeGeneration : payload.iat,
  );
  if (!whole(payload.userId) || generatedAt === null) return null;
  let expiresAt = null;
  if (Object.hasOwn(payload, "exp")) {
    expiresAt = seconds(payload.exp);
    if (expiresAt === null) return null;
  }
  return { generatedAt: Math.floor(generatedAt), expiresAt: expiresAt && Math.floor(expiresAt) };
}

function jsonObject(part) {
  if (part.length % 4 === 1) return null;
  try {
    const binary = atob(part.replace(/-/g, "+").replace(/_/g, "/"));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    // the BOM kept, as Python's JSON refuses it
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
    const value = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

function number(value) {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

function seconds(value) {
  const found = number(value);
  return found !== null && found >= EARLIEST && found <= LATEST ? found : null;
}

function whole(value) {
  const found = number(value);
  return found !== null && Number.isInteger(found) && found >= 1 && found <= LARGEST_ID;
}
