// CBOR decoding of hostile input with cborg, shaped like cbor2's results in Python, so that
// the type checks that follow give the same verdicts: integer maps as Map, byte strings as
// Uint8Array, floats wrapped (cbor2 keeps 1.0 apart from 1). Only the CBOR a code may use
// is accepted, as control/verify/cbor_shape.py: no tag but `topTags` around the whole item,
// no simple value but false, true and null, nothing after the item.
import {
  decode as cborDecode,
  decodeFirst,
  encode,
  Tagged,
  Tokenizer,
  Token,
  Type,
} from "/vendor/cborg/cborg.js";

export { encode, Tagged };

export class CborError extends Error {}

export class Float {
  constructor(value) {
    this.value = value;
  }
}

class ShapeError extends Error {}

class CodeTokens extends Tokenizer {
  constructor(data, options, topTags) {
    super(data, options);
    this.topTags = topTags;
    this.count = 0;
  }

  next() {
    const token = super.next();
    const first = this.count++ === 0;
    if (Type.equals(token.type, Type.tag) && !(first && this.topTags.includes(token.value))) {
      throw new ShapeError(`CBOR tag ${token.value} is not used in LIC codes`);
    }
    if (Type.equals(token.type, Type.undefined)) {
      throw new ShapeError("CBOR simple values other than false, true and null are not used");
    }
    if (Type.equals(token.type, Type.float)) {
      return new Token(Type.float, new Float(token.value), token.encodedLength);
    }
    return token;
  }
}

const OPTIONS = {
  useMaps: true,
  allowUndefined: true,
  allowIndefinite: true,
  allowNaN: true,
  allowInfinity: true,
  allowBigInt: true,
  strict: false,
  rejectDuplicateMapKeys: false,
};

export function loads(data, topTags = []) {
  // The tokenizer lets a tag through only around the whole item: only those need decoding.
  const tags = [];
  for (const tag of topTags) tags[tag] = (decode) => new Tagged(tag, decode());
  const options = { ...OPTIONS, tags };
  try {
    return cborDecode(data, { ...options, tokenizer: new CodeTokens(data, options, topTags) });
  } catch (error) {
    throw new CborError(`invalid CBOR: ${error.message}`);
  }
}

// --- map labels: RFC 9052 (section 3) and RFC 8392 refuse a label given twice ---
// cborg, like cbor2, keeps the last value of a repeated label: the maps where labels mean
// something (the headers, the claims) are read again from their bytes, label by label, as
// unique_labels in control/verify/cbor_shape.py.

// The map at `offset` in `data` (already decoded whole by `loads`) has integer or text
// labels only, none twice.
export function uniqueLabels(data, offset = 0) {
  try {
    const at = { pos: offset };
    const [major, count] = head(data, at);
    if (major !== 5) throw new ShapeError("a CBOR map was expected");
    const seen = new Set();
    while (count === null || seen.size < count) {
      if (count === null && data[at.pos] === 0xff) break;
      const label = decodeAt(data, at);
      if (!(isInt(label) || isText(label))) {
        throw new ShapeError(`map label ${String(label)}: an integer or a text was expected`);
      }
      const key = (isText(label) ? "s" : "i") + String(label);
      if (seen.has(key)) throw new ShapeError(`map label ${String(label)} given twice`);
      seen.add(key);
      decodeAt(data, at); // its value
    }
  } catch (error) {
    throw new CborError(error.message);
  }
}

// Where the item at `offset` ends; with `heads`, only that many heads (a tag's, an array's)
// are read instead, to step inside them.
export function itemEnd(data, offset, heads = 0) {
  try {
    const at = { pos: offset };
    if (heads) for (let i = 0; i < heads; i++) head(data, at);
    else decodeAt(data, at);
    return at.pos;
  } catch (error) {
    throw new CborError(error.message);
  }
}

function decodeAt(data, at) {
  const rest = data.subarray(at.pos);
  const [value, after] = decodeFirst(rest, {
    ...OPTIONS,
    tokenizer: new CodeTokens(rest, OPTIONS, []),
  });
  at.pos += rest.length - after.length;
  return value;
}

// An item's major type and argument (null for an indefinite length).
function head(data, at) {
  if (at.pos >= data.length) throw new ShapeError("CBOR ends too early");
  const first = data[at.pos++];
  const major = first >> 5;
  const info = first & 0x1f;
  if (info < 24) return [major, info];
  if (info === 31) return [major, null];
  if (info > 27) throw new ShapeError("reserved CBOR additional information");
  const size = 1 << (info - 24);
  if (at.pos + size > data.length) throw new ShapeError("CBOR ends too early");
  let value = 0;
  for (let i = 0; i < size; i++) value = value * 256 + data[at.pos++];
  return [major, value];
}

export const isInt = (value) =>
  (typeof value === "number" && Number.isInteger(value)) || typeof value === "bigint";
export const isBytes = (value) => value instanceof Uint8Array;
export const isText = (value) => typeof value === "string";
export const isMap = (value) => value instanceof Map;
