// CBOR decoding of hostile input with cborg, shaped like cbor2's results in Python, so that
// the type checks that follow give the same verdicts: integer maps as Map, byte strings as
// Uint8Array, floats wrapped (cbor2 keeps 1.0 apart from 1). Only the CBOR a code may use
// is accepted, as control/verify/cbor_shape.py: no tag but `topTags` around the whole item,
// no simple value but false, true and null, nothing after the item.
import { decode as cborDecode, encode, Tagged, Tokenizer, Token, Type } from "/vendor/cborg/cborg.js";

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

export function loads(data, topTags = []) {
  // The tokenizer lets a tag through only around the whole item: only those need decoding.
  const tags = [];
  for (const tag of topTags) tags[tag] = (decode) => new Tagged(tag, decode());
  const options = {
    useMaps: true,
    tags,
    allowUndefined: true,
    allowIndefinite: true,
    allowNaN: true,
    allowInfinity: true,
    allowBigInt: true,
    strict: false,
    rejectDuplicateMapKeys: false,
  };
  try {
    return cborDecode(data, { ...options, tokenizer: new CodeTokens(data, options, topTags) });
  } catch (error) {
    throw new CborError(`invalid CBOR: ${error.message}`);
  }
}

export const isInt = (value) => (typeof value === "number" && Number.isInteger(value)) || typeof value === "bigint";
export const isBytes = (value) => value instanceof Uint8Array;
export const isText = (value) => typeof value === "string";
export const isMap = (value) => value instanceof Map;
