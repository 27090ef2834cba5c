// The bulletin check page reads a bulletin's code with the camera, as the PDF's notice says
// ("scannez son code"). Frames are decoded in the browser (qr-reader.js), so the public
// page costs the server nothing until a code is found; the form then checks it as if typed.
import { decodeCanvas, drawFrame, prepareReader } from "/static/qr-reader.js";

const video = document.getElementById("bulletin-video");
const state = document.getElementById("bulletin-camera-etat");
const start = document.getElementById("bulletin-camera");
const form = document.getElementById("form-bulletin");
const FRAME_INTERVAL_MS = 300;
let stream = null;
let timer = null;
let busy = false;
const canvas = document.createElement("canvas");

function say(text) {
  state.textContent = text;
}

function stop() {
  clearInterval(timer);
  stream?.getTracks().forEach((track) => track.stop());
  stream = null;
  video.hidden = true;
  start.hidden = false;
}

async function readFrame() {
  if (busy || !stream || video.readyState < 2) return;
  busy = true;
  try {
    const texts = await decodeCanvas(drawFrame(video, canvas));
    const code = texts.find((text) => text.startsWith("BDC1:"));
    if (code) {
      stop();
      say("Code du bulletin lu : vérification…");
      form.querySelector("#code").value = code;
      form.requestSubmit();
    } else if (texts.length) {
      say("QR code lu, mais ce n'est pas celui d'un bulletin de contrôle.");
    }
  } catch {
    say("Lecture impossible : envoyez le PDF ou saisissez le code.");
  } finally {
    busy = false;
  }
}

start.addEventListener("click", async () => {
  if (!navigator.mediaDevices?.getUserMedia) {
    say("Caméra indisponible sur cet appareil : envoyez le PDF ou saisissez le code.");
    return;
  }
  prepareReader(); // while the camera starts
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      video: { facingMode: { ideal: "environment" } },
      audio: false,
    });
  } catch {
    say("Accès à la caméra refusé : autorisez-le, ou envoyez le PDF.");
    return;
  }
  video.srcObject = stream;
  video.hidden = false;
  start.hidden = true;
  await video.play();
  say("Visez le QR code imprimé sur le bulletin.");
  timer = setInterval(readFrame, FRAME_INTERVAL_MS);
});
