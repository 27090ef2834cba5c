// Contrôle LIC: exports of search results with a progress bar.
// The CSV is streamed; the server announces its rows (X-Rows-Total) and the bar counts the
// lines received. The XLSX is built by the server first (the bar waits), then its bytes are
// counted against Content-Length. The file is then saved like a normal download.
"use strict";

const number = new Intl.NumberFormat("fr-FR");

function show(state, text, value, max) {
  const bar = state.querySelector("progress");
  state.hidden = false;
  state.querySelector("span").textContent = text;
  if (value === undefined) {
    bar.removeAttribute("value"); // indeterminate: the server is still preparing
  } else {
    bar.max = max;
    bar.value = value;
  }
}

async function download(link, state) {
  show(state, "Préparation de l'export…");
  const response = await fetch(link.href, { credentials: "same-origin" });
  if (!response.ok) {
    throw new Error(`HTTP ${response.status}`);
  }
  const rows = Number(response.headers.get("X-Rows-Total")) || 0;
  const bytes = Number(response.headers.get("Content-Length")) || 0;
  const reader = response.body.getReader();
  const chunks = [];
  let received = 0;
  let lines = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      break;
    }
    chunks.push(value);
    received += value.length;
    if (rows) {
      for (const byte of value) {
        lines += byte === 10 ? 1 : 0;
      }
      const written = Math.min(rows, Math.max(0, lines - 1)); // the first line is the header
      show(state, `${number.format(written)} / ${number.format(rows)} lignes`, written, rows);
    } else if (bytes) {
      show(state, `${Math.round((100 * received) / bytes)} %`, received, bytes);
    }
  }
  const blob = new Blob(chunks, { type: response.headers.get("Content-Type") || "" });
  const url = URL.createObjectURL(blob);
  const save = document.createElement("a");
  save.href = url;
  save.download = link.dataset.export;
  document.body.append(save);
  save.click();
  save.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30000);
  const done = rows ? ` : ${number.format(rows)} ligne${rows > 1 ? "s" : ""}` : "";
  show(state, `Export terminé${done}.`, 1, 1);
}

document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-export]");
  const state = document.getElementById("export-etat");
  if (!link || !state || event.ctrlKey || event.metaKey || !window.ReadableStream) {
    return; // a plain download, without a bar
  }
  event.preventDefault();
  download(link, state).catch(() => show(state, "L'export a échoué : réessayez.", 0, 1));
});
