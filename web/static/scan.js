// The scan page: rear camera, torch, auto-stop on the first LIC or Mobilic code, sound and
// vibration. Camera frames are decoded on the tablet, online as offline (web/static/qr-reader.js:
// BarcodeDetector, else zxing-wasm), so an empty or blurred frame costs the server nothing;
// only a browser with neither reader sends its frames to the server (POST /api/decode), online.
// A code read goes through the code form, as typed, pasted or hardware-scanner input does (a
// scanner "types" the code and presses Enter): verified by the server online, by
// offline-scan.js on the tablet without network.
"use strict";
(() => {
  const video = document.getElementById("video");
  const state = document.getElementById("camera-etat");
  const startButton = document.getElementById("camera-demarrer");
  const stopButton = document.getElementById("camera-arreter");
  const torchButton = document.getElementById("camera-torche");
  const codeField = document.getElementById("code");
  const codeForm = document.getElementById("form-code");
  const csrf = codeForm.querySelector("input[name=csrf]").value;
  const FRAME_INTERVAL_MS = 300; // one frame in flight at a time: a slow one skips the next
  const READER_WAIT_MS = 30_000; // a hung fetch, not a slow link: the server's path is no faster
  // What the agent is told once a code is read: verified by the server online, by the tablet
  // offline (offline-scan.js takes over the form's submission)
  const READ_ONLINE = { lic: "Code lu : vérification…", mobilic: "Code Mobilic lu." };
  const READ_OFFLINE = {
    lic: "Code lu hors ligne : vérification sur la tablette…",
    mobilic: "Code Mobilic lu hors ligne.",
  };
  const canvas = document.createElement("canvas"); // each frame drawn on it, at most 1280 px wide
  let stream = null;
  let timer = null;
  let busy = false;
  let torchOn = false;
  let tablet = null; // a promise: {draw, read, readMobilic}, read null without a reader

  function say(text) {
    state.textContent = text;
  }

  function beep() {
    try {
      const audio = new AudioContext();
      const tone = audio.createOscillator();
      tone.frequency.value = 880;
      tone.connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.12);
    } catch {
      /* no sound available */
    }
    if (navigator.vibrate) navigator.vibrate(120);
  }

  // The tablet's reader, prepared as the camera starts (not at its first frame); frames wait
  // for it. Its WebAssembly comes from the service worker's cache, or once from the network
  // (the server compresses it once per version: seconds, on a busy server). A fetch that
  // hangs hands this camera session's frames to the server; the next session uses the reader.
  function prepareTablet() {
    const late = new Promise((resolve) => setTimeout(resolve, READER_WAIT_MS, null));
    tablet = Promise.all([
      import("/static/qr-reader.js"),
      import("/static/verify/mobilic.js"),
    ]).then(async ([qr, { readMobilic }]) => ({
      draw: qr.drawFrame,
      read: await Promise.race([qr.prepareReader(), late]),
      readMobilic,
    }));
    tablet.catch(() => {}); // said at the first frame
  }

  // What a frame showed: a LIC code, a Mobilic link (rebuilt from its parts), or other codes.
  // The form then verifies the code as if typed.
  function found(lic, mobilic, others) {
    if (!stream) return; // the camera was stopped while the frame was read
    if (!lic && !mobilic) {
      if (others) say("QR code lu, mais ce n'est pas un code LIC.");
      return;
    }
    stop();
    beep();
    say((navigator.onLine ? READ_ONLINE : READ_OFFLINE)[lic ? "lic" : "mobilic"]);
    codeField.value = lic || mobilic;
    codeForm.requestSubmit();
  }

  async function readHere({ read, readMobilic }) {
    const texts = await read(canvas);
    const mobilic = texts.map((text) => readMobilic(text)).find(Boolean);
    found(
      texts.find((text) => text.startsWith("LIC1:")),
      mobilic?.url,
      texts.length,
    );
  }

  // For a browser without a reader only: the frame read by the server, online.
  async function readOnServer() {
    if (!navigator.onLine) {
      say("Lecture hors ligne impossible : reconnectez la tablette une fois pour la préparer.");
      return;
    }
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.85));
    const body = new FormData();
    body.append("frame", blob, "frame.jpg");
    let result;
    try {
      const response = await fetch("/api/decode", {
        method: "POST",
        body,
        headers: { "X-CSRF-Token": csrf },
        credentials: "same-origin",
      });
      if (!response.ok) return; // a refused frame, or a busy server: the next frame is tried
      result = await response.json();
    } catch {
      say("Réseau indisponible : réessayez ou prenez une photo.");
      return;
    }
    found(result.lic, result.mobilic, result.codes?.length);
  }

  async function readFrame() {
    if (busy || !stream || video.readyState < 2) return;
    busy = true;
    try {
      const here = await tablet;
      here.draw(video, canvas);
      if (!here.read) {
        await readOnServer();
        return;
      }
      try {
        await readHere(here);
      } catch {
        tablet = Promise.resolve({ ...here, read: null }); // a broken reader: the server's turn
      }
    } catch {
      say("Lecture par la caméra impossible : prenez une photo ou collez le code.");
    } finally {
      busy = false;
    }
  }

  async function start() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      say("Caméra indisponible sur cet appareil : prenez une photo ou collez le code.");
      return;
    }
    prepareTablet(); // while the camera starts
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        video: {
          facingMode: { ideal: "environment" },
          width: { ideal: 1920 },
          height: { ideal: 1080 },
        },
        audio: false,
      });
    } catch {
      say("Accès à la caméra refusé : autorisez-le ou prenez une photo.");
      return;
    }
    video.srcObject = stream;
    await video.play();
    const track = stream.getVideoTracks()[0];
    const capabilities = track.getCapabilities ? track.getCapabilities() : {};
    torchButton.hidden = !capabilities.torch;
    startButton.hidden = true;
    stopButton.hidden = false;
    say("Visez le QR code du conducteur.");
    timer = setInterval(readFrame, FRAME_INTERVAL_MS);
  }

  function stop() {
    clearInterval(timer);
    timer = null;
    if (stream) stream.getTracks().forEach((t) => t.stop());
    stream = null;
    startButton.hidden = false;
    stopButton.hidden = true;
    torchButton.hidden = true;
    say("Caméra arrêtée.");
  }

  async function toggleTorch() {
    if (!stream) return;
    torchOn = !torchOn;
    try {
      await stream.getVideoTracks()[0].applyConstraints({ advanced: [{ torch: torchOn }] });
    } catch {
      torchOn = false;
    }
  }

  // After each verdict the field is emptied, so that a hardware scanner types the next
  // driver's code into an empty field (the server also takes the last code of a field).
  function clearForNext() {
    codeField.value = "";
    if (scannerLikely) codeField.focus({ preventScroll: true });
  }
  // A keyboard-and-mouse station (where a hardware scanner is plugged) gets the field focused;
  // a touch tablet or phone does not: its keyboard would open and the page scroll down.
  const scannerLikely = window.matchMedia("(hover: hover) and (pointer: fine)").matches;
  const fieldInError = document.querySelector("[autofocus]"); // a refused control: its field first
  if (scannerLikely && !fieldInError) codeField.focus({ preventScroll: true });
  codeForm.addEventListener("htmx:afterRequest", clearForNext);
  // A verdict that came as a whole page (the form posted before htmx was ready, or without
  // JavaScript's help) is brought into view, unless a field in error has the focus.
  const result = document.getElementById("resultat");
  if (result.querySelector(".verdict, .fr-alert") && !fieldInError) {
    result.scrollIntoView({ block: "start" });
  }
  document.addEventListener("lic:verified-offline", clearForNext);

  // A hardware scanner ends its input with Enter: submit instead of adding a new line.
  codeField.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      if (codeField.value.trim()) codeForm.requestSubmit();
    }
  });
  startButton.addEventListener("click", start);
  stopButton.addEventListener("click", stop);
  torchButton.addEventListener("click", toggleTorch);
})();
