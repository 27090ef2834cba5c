// Company control: drivers' files dropped or chosen are sent in small batches, with a progress
// bar over the whole set, so that hundreds of files never make one huge request and a bad
// file costs only its own line. Without JavaScript the form posts them all at once.
"use strict";
(() => {
  const form = document.getElementById("form-import");
  if (!form) return;
  const input = document.getElementById("fichiers");
  const zone = document.getElementById("depot");
  const bar = document.getElementById("import-progression");
  const state = document.getElementById("import-etat");
  const csrf = form.querySelector("input[name=csrf]").value;
  const BATCH_FILES = 20;
  const BATCH_BYTES = 4_000_000;

  function batches(files) {
    const out = [];
    let current = [];
    let size = 0;
    for (const file of files) {
      if (current.length && (current.length >= BATCH_FILES || size + file.size > BATCH_BYTES)) {
        out.push(current);
        current = [];
        size = 0;
      }
      current.push(file);
      size += file.size;
    }
    if (current.length) out.push(current);
    return out;
  }

  function send(batch, onProgress) {
    return new Promise((resolve) => {
      const body = new FormData();
      batch.forEach((file) => body.append("fichiers", file, file.name));
      body.append("csrf", csrf);
      const request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.setRequestHeader("HX-Request", "true");
      request.setRequestHeader("X-CSRF-Token", csrf);
      request.upload.onprogress = (event) => onProgress(event.loaded);
      request.onload = () => resolve({ ok: request.status < 500, html: request.responseText });
      request.onerror = () => resolve({ ok: false, html: "" });
      request.send(body);
    });
  }

  async function importAll(files) {
    if (!files.length) return;
    const total = files.reduce((sum, file) => sum + file.size, 0) || 1;
    let done = 0;
    const notes = [];
    let last = "";
    bar.hidden = false;
    bar.value = 0;
    for (const batch of batches(files)) {
      const size = batch.reduce((sum, file) => sum + file.size, 0);
      const answer = await send(batch, (loaded) => {
        bar.value = Math.round((100 * (done + Math.min(loaded, size))) / total);
      });
      done += size;
      bar.value = Math.round((100 * done) / total);
      if (!answer.ok) {
        notes.push(
          `<div class="fr-alert fr-alert--error fr-alert--sm"><p>${batch.length} fichier(s) non envoyé(s) (${batch[0].name}…) : réessayez.</p></div>`,
        );
        continue;
      }
      last = answer.html;
      const page = new DOMParser().parseFromString(answer.html, "text/html");
      page.querySelectorAll(".fr-alert").forEach((note) => notes.push(note.outerHTML));
      state.textContent = `${Math.min(done, total) === total ? files.length : "…"} / ${files.length} fichiers envoyés`;
    }
    const fresh = new DOMParser()
      .parseFromString(last, "text/html")
      .getElementById("fichiers-importes");
    const current = document.getElementById("fichiers-importes");
    if (fresh && current) {
      fresh.querySelectorAll(".fr-alert").forEach((note) => note.remove());
      fresh.querySelector("h2").insertAdjacentHTML("afterend", notes.join(""));
      current.replaceWith(fresh);
    }
    state.textContent = `${files.length} fichier(s) traité(s).`;
    bar.hidden = true;
    input.value = "";
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    importAll(Array.from(input.files));
  });
  ["dragenter", "dragover"].forEach((name) =>
    zone.addEventListener(name, (event) => {
      event.preventDefault();
      zone.classList.add("survol");
    }),
  );
  ["dragleave", "drop"].forEach((name) =>
    zone.addEventListener(name, () => zone.classList.remove("survol")),
  );
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    importAll(Array.from(event.dataTransfer.files));
  });

  const report = document.getElementById("form-rapport");
  report?.addEventListener("submit", () => {
    report.querySelector("button").disabled = true;
    document.getElementById("rapport-etat").textContent = "Établissement du rapport en cours…";
  });
})();
