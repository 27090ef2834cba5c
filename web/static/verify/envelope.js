// From the scanned text to the COSE bytes, as control/verify/envelope.py: prefix, Base45,
// zlib inflated to at most 64 KiB with nothing after the end of the stream.
import * as base45 from "./base45.js";

export const PREFIX = "LIC1:";
export const MAX_INFLATED = 64 * 1024;

export class NotALicCodeError extends Error {}
export class EnvelopeError extends Error {
  constructor(layer, message) {
    super(message);
    this.layer = layer;
  }
}

// Python's str.strip(): ASCII and Unicode white space at both ends.
export function strip(text) {
  const space =
    "[\\t\\n\\v\\f\\r \\x1c-\\x1f\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
  return text.replace(new RegExp(`^${space}+|${space}+$`, "gu"), "");
}

export async function unwrap(text, prefix = PREFIX) {
  const stripped = strip(text);
  if (!stripped.startsWith(prefix))
    throw new NotALicCodeError(`the text does not start with ${prefix}`);
  let compressed;
  try {
    compressed = base45.decode(stripped.slice(prefix.length));
  } catch (error) {
    throw new EnvelopeError("base45", error.message);
  }
  return inflate(compressed);
}

async function inflate(compressed) {
  const stream = new Blob([compressed]).stream().pipeThrough(new DecompressionStream("deflate"));
  const reader = stream.getReader();
  const chunks = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > MAX_INFLATED) {
        reader.cancel().catch(() => {});
        throw new EnvelopeError("zlib", "inflates beyond 64 KiB");
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof EnvelopeError) throw error;
    throw new EnvelopeError("zlib", `invalid zlib data: ${error.message}`);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
