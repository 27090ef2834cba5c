// Ed25519 signature checks with WebCrypto (Chromium, Firefox and Safari have it).
const keys = new Map();

export async function verifyEd25519(publicKey, message, signature) {
  const id = Array.from(publicKey, (b) => b.toString(16).padStart(2, "0")).join("");
  let key = keys.get(id);
  if (!key) {
    key = await crypto.subtle.importKey("raw", publicKey, { name: "Ed25519" }, false, ["verify"]);
    keys.set(id, key);
  }
  return crypto.subtle.verify({ name: "Ed25519" }, key, signature, message);
}

export async function sha256(data) {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", data));
}
