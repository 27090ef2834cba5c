// Reading QR codes on the tablet itself, from camera frames, online as offline: the browser's
// BarcodeDetector where it reads QR codes (Chrome on Android), else zxing-wasm (npm, its
// WebAssembly served by the app and kept by the service worker). A frame with no code then
// costs the server nothing; the server decodes only uploaded photos, and the frames of a
// browser that has neither reader (scan.js).
const ZXING = "/vendor/zxing/es/reader/index.js";
const ZXING_WASM = "/vendor/zxing/reader/zxing_reader.wasm";
// tryHarder costs no measurable time on a QR frame (benchmarks/offline.py); Plain text as the
// server's zxing-cpp reads it (control/capture/decode.py), control characters untouched
const ZXING_OPTIONS = {
  formats: ["QRCode"],
  tryHarder: true,
  maxNumberOfSymbols: 4,
  textMode: "Plain",
};
// A camera frame is read at most this wide: sharp enough for a phone's code held up, and a
// bounded cost per frame on the tablet (and on the server, for a browser without a reader).
export const FRAME_WIDTH = 1280;

// The video's current frame drawn on `canvas` (reused from frame to frame).
export function drawFrame(video, canvas) {
  const scale = Math.min(1, FRAME_WIDTH / video.videoWidth);
  canvas.width = Math.round(video.videoWidth * scale);
  canvas.height = Math.round(video.videoHeight * scale);
  canvas
    .getContext("2d", { willReadFrequently: true })
    .drawImage(video, 0, 0, canvas.width, canvas.height);
  return canvas;
}

async function withDetector() {
  if (!("BarcodeDetector" in globalThis)) return null;
  try {
    const formats = await globalThis.BarcodeDetector.getSupportedFormats();
    if (!formats.includes("qr_code")) return null;
    const detector = new globalThis.BarcodeDetector({ formats: ["qr_code"] });
    await detector.detect(new ImageData(8, 8)); // some devices list QR codes, then fail on each frame
    return async (canvas) => (await detector.detect(canvas)).map((code) => code.rawValue);
  } catch {
    return null;
  }
}

async function withZxing() {
  if (typeof WebAssembly !== "object") return null;
  let zxing = null;
  try {
    zxing = await import(ZXING);
    // fetched and compiled now, not at the first frame
    await zxing.prepareZXingModule({
      overrides: {
        locateFile: (path, prefix) => (path.endsWith(".wasm") ? ZXING_WASM : prefix + path),
      },
      fireImmediately: true,
    });
  } catch {
    zxing?.purgeZXingModule(); // its failure is not kept: the next camera start tries again
    return null;
  }
  return async (canvas) => {
    const image = canvas
      .getContext("2d", { willReadFrequently: true })
      .getImageData(0, 0, canvas.width, canvas.height);
    const results = await zxing.readBarcodes(image, ZXING_OPTIONS);
    return results.filter((result) => result.isValid).map((result) => result.text);
  };
}

let prepared = null;

// canvas → the texts of the QR codes on it; null when this browser has no reader (neither a
// BarcodeDetector reading QR codes nor WebAssembly) or zxing's WebAssembly could not be loaded.
// Prepared once per page; a failure is tried again at the next call.
export async function prepareReader() {
  prepared ??= withDetector().then((detector) => detector ?? withZxing());
  const reader = await prepared;
  if (!reader) prepared = null;
  return reader;
}

// The texts of the QR codes in the frame drawn on `canvas`, or an error without a reader.
export async function decodeCanvas(canvas) {
  const read = await prepareReader();
  if (!read) throw new Error("no QR reader on this device");
  return read(canvas);
}
