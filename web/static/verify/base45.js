// Base45 (RFC 9285) decoding, as control/verify/base45.py: strict alphabet, length and range.
export class Base45Error extends Error {}

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
const VALUES = new Map([...ALPHABET].map((c, i) => [c, i]));

export function decode(text) {
  if (text.length % 3 === 1) throw new Base45Error("invalid length");
  const values = [];
  for (const c of text) {
    const value = VALUES.get(c);
    if (value === undefined) throw new Base45Error("character outside the Base45 alphabet");
    values.push(value);
  }
  if (values.length % 3 === 1) throw new Base45Error("invalid length"); // astral characters
  const out = [];
  const full = values.length - (values.length % 3);
  for (let i = 0; i < full; i += 3) {
    const word = values[i] + values[i + 1] * 45 + values[i + 2] * 2025;
    if (word > 0xffff) throw new Base45Error("triplet out of range");
    out.push(word >> 8, word & 0xff);
  }
  if (full < values.length) {
    const last = values[full] + 45 * values[full + 1];
    if (last > 0xff) throw new Base45Error("final pair out of range");
    out.push(last);
  }
  return Uint8Array.from(out);
}
