// The scan page: rear camera, frames decoded by the server a few times a second, torch,
// auto-stop on the first LIC or Mobilic code, sound and vibration. Typed, pasted or hardware-scanner
// input goes through the same form (a scanner "types" the code and presses Enter).
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
  const FRAME_INTERVAL_MS = 300;
  let stream = null;
  let timer = null;
  let busy = false;
  let torchOn = false;

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

  function submitCode(text) {
    codeField.value = text;
    codeForm.requestSubmit();
  }

  // Without network the frame is read on the tablet (web/static/decode-offline.js) and the
  // code verified there (offline-scan.js takes over the form's submission).
  async function decodeHere(canvas) {
    try {
      const { decodeCanvas } = await import("/static/decode-offline.js");
      const { readMobilic } = await import("/static/verify/mobilic.js");
      const texts = await decodeCanvas(canvas);
      const lic = texts.find((text) => text.startsWith("LIC1:"));
      const mobilic = texts.map((text) => readMobilic(text)).find(Boolean);
      if (lic) {
        stop();
        beep();
        say("Code lu hors ligne : vérification sur la tablette…");
        submitCode(lic);
      } else if (mobilic) {
        stop();
        beep();
        say("Code Mobilic lu hors ligne.");
        submitCode(mobilic.url);
      } else if (texts.length) {
        say("QR code lu, mais ce n'est pas un code LIC.");
      }
    } catch {
      say("Lecture hors ligne impossible : reconnectez la tablette une fois pour la préparer.");
    }
  }

  async function sendFrame() {
    if (busy || !stream || video.readyState < 2) return;
    busy = true;
    try {
      const canvas = document.createElement("canvas");
      const scale = Math.min(1, 1280 / video.videoWidth);
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
      if (!navigator.onLine) {
        await decodeHere(canvas);
        return;
      }
      const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.85));
      const body = new FormData();
      body.append("frame", blob, "frame.jpg");
      const response = await fetch("/api/decode", {
        method: "POST",
        body,
        headers: { "X-CSRF-Token": csrf },
        credentials: "same-origin",
      });
      if (!response.ok) return;
      const result = await response.json();
      if (result.lic) {
        stop();
        beep();
        say("Code lu : vérification…");
        submitCode(result.lic);
      } else if (result.mobilic) {
        stop();
        beep();
        say("Code Mobilic lu.");
        submitCode(result.mobilic);
      } else if (result.codes && result.codes.length) {
        say("QR code lu, mais ce n'est pas un code LIC.");
      }
    } catch {
      say("Réseau indisponible : réessayez ou prenez une photo.");
    } finally {
      busy = false;
    }
  }

  async function start() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      say("Caméra indisponible sur cet appareil : prenez une photo ou collez le code.");
      return;
    }
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
    timer = setInterval(sendFrame, FRAME_INTERVAL_MS);
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
