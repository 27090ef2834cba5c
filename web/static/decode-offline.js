// Reading a QR code in the tablet itself, for the camera without network: the browser's
// BarcodeDetector where it has one, else zxing-wasm (npm, its WebAssembly served by the app).
import { prepareZXingModule, readBarcodes } from "/vendor/zxing/es/reader/index.js";

prepareZXingModule({
  overrides: {
    locateFile: (path, prefix) =>
      path.endsWith(".wasm") ? "/vendor/zxing/reader/zxing_reader.wasm" : prefix + path,
  },
});

async function withDetector(canvas) {
  if (!("BarcodeDetector" in window)) return null;
  try {
    const formats = await window.BarcodeDetector.getSupportedFormats();
    if (!formats.includes("qr_code")) return null;
    const found = await new window.BarcodeDetector({ formats: ["qr_code"] }).detect(canvas);
    return found.map((code) => code.rawValue);
  } catch {
    return null;
  }
}

// The texts of the QR codes in the frame drawn on `canvas`.
export async function decodeCanvas(canvas) {
  const detected = await withDetector(canvas);
  if (detected) return detected;
  const image = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
  const results = await readBarcodes(image, {
    formats: ["QRCode"],
    tryHarder: true,
    maxNumberOfSymbols: 4,
  });
  return results.filter((result) => result.isValid).map((result) => result.text);
}
