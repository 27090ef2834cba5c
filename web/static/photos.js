// Paper LIC pages: photos are sent one by one, with a progress bar, so that a bad photo or a
// dropped connection loses nothing already sent. Without JavaScript the form posts them all.
"use strict";
(() => {
  const form = document.getElementById("form-photos");
  if (!form) return;
  const input = document.getElementById("photos-fichiers");
  const bar = document.getElementById("photos-progression");
  const csrf = form.querySelector("input[name=csrf]").value;

  // a file's name is the sender's text: never read as markup
  function escaped(text) {
    const span = document.createElement("span");
    span.textContent = text;
    return span.innerHTML;
  }

  function send(file) {
    return new Promise((resolve) => {
      const body = new FormData();
      body.append("photos", file, file.name);
      body.append("csrf", csrf);
      const request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.setRequestHeader("HX-Request", "true");
      request.setRequestHeader("X-CSRF-Token", csrf);
      request.upload.onprogress = (event) => {
        if (event.lengthComputable) bar.value = Math.round((100 * event.loaded) / event.total);
      };
      request.onload = () => resolve(request.responseText);
      request.onerror = () =>
        resolve(
          `<div id="photos"><div class="fr-alert fr-alert--error fr-alert--sm photo-probleme"><p>${escaped(file.name)} : envoi impossible, réessayez.</p></div></div>`,
        );
      request.send(body);
    });
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const files = Array.from(input.files);
    const messages = document.getElementById(`${input.id}-messages`);
    if (messages) messages.replaceChildren();
    if (!files.length) {
      if (messages) {
        const line = document.createElement("p");
        line.className = "fr-message fr-message--error";
        line.textContent = "Prenez ou choisissez d'abord une photo.";
        messages.append(line);
      }
      return;
    }
    bar.hidden = false;
    const notes = [];
    let last = "";
    for (const [index, file] of files.entries()) {
      bar.value = 0;
      bar.title = `${index + 1} / ${files.length}`;
      last = await send(file);
      new DOMParser()
        .parseFromString(last, "text/html")
        .querySelectorAll(".photo-probleme")
        .forEach((note) => notes.push(note.outerHTML));
    }
    const current = document.getElementById("photos");
    const fresh = new DOMParser().parseFromString(last, "text/html").getElementById("photos");
    if (current && fresh) {
      fresh.querySelectorAll(".photo-probleme").forEach((note) => note.remove());
      fresh.insertAdjacentHTML("afterbegin", notes.join(""));
      current.replaceWith(fresh);
      if (window.htmx) window.htmx.process(fresh);
    }
    bar.hidden = true;
    input.value = "";
    const chosen = document.getElementById(`${input.id}-choix`);
    if (chosen) chosen.textContent = chosen.dataset.aucun;
  });
})();
