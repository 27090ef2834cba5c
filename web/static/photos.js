// Paper LIC pages: photos are sent one by one, with a progress bar, so that a bad photo or a
// dropped connection loses nothing already sent. Without JavaScript the form posts them all.
"use strict";
(() => {
  const form = document.getElementById("form-photos");
  if (!form) return;
  const input = document.getElementById("photos-fichiers");
  const bar = document.getElementById("photos-progression");
  const csrf = form.querySelector("input[name=csrf]").value;

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
          `<div id="photos"><p class="alerte erreur">${file.name} : envoi impossible, réessayez.</p></div>`,
        );
      request.send(body);
    });
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const files = Array.from(input.files);
    if (!files.length) return;
    bar.hidden = false;
    const messages = [];
    let last = "";
    for (const [index, file] of files.entries()) {
      bar.value = 0;
      bar.title = `${index + 1} / ${files.length}`;
      last = await send(file);
      const notes = new DOMParser().parseFromString(last, "text/html").querySelectorAll(".alerte");
      notes.forEach((note) => messages.push(note.outerHTML));
    }
    const current = document.getElementById("photos");
    const fresh = new DOMParser().parseFromString(last, "text/html").getElementById("photos");
    if (current && fresh) {
      fresh.querySelectorAll(".alerte").forEach((note) => note.remove());
      fresh.insertAdjacentHTML("afterbegin", messages.join(""));
      current.replaceWith(fresh);
      if (window.htmx) window.htmx.process(fresh);
    }
    bar.hidden = true;
    input.value = "";
  });
})();
