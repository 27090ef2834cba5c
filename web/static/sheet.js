// A paper daily sheet's 24-hour grid and its typed periods. One truth: `marks`, a letter per
// quarter hour, posted as the hidden `grid`. Painting the bar (tap or drag across quarters;
// arrow keys and A/B/C/D/Suppr on a focused quarter) changes it and the rows are written
// again from it; typing a row (start, end, activity, on the 24-hour clock) changes it and the
// bar is painted again. The bar's cells are small on purpose (data-dense): the rows and the
// zoomable photo beside them are their large equivalents.
(function () {
  "use strict";
  const bar = document.getElementById("barre-horaire");
  const grid = document.getElementById("grid");
  const list = document.getElementById("periodes-saisies");
  const model = document.getElementById("modele-periode");
  const drawn = document.getElementById("traces");
  const rounded = document.getElementById("arrondi");
  const add = document.getElementById("ajouter-periode");
  zoomablePhoto();
  if (!bar || !grid || !list || !model) return;
  const QUARTERS = 96;
  const NAMES = { A: "conduite", B: "autre travail", C: "disponibilité", D: "repos" };
  const cells = Array.from(bar.querySelectorAll(".quart"));
  let marks = new Array(QUARTERS).fill(".");

  const clock = (q) =>
    String(Math.floor(q / 4)).padStart(2, "0") + ":" + String((q % 4) * 15).padStart(2, "0");
  const hm = (minutes) => Math.floor(minutes / 60) + " h " + String(minutes % 60).padStart(2, "0");

  // The runs of equal letters: [letter, first quarter, quarter after the last].
  function periods() {
    const found = [];
    let start = 0;
    for (let q = 1; q <= QUARTERS; q++) {
      if (q === QUARTERS || marks[q] !== marks[start]) {
        if (marks[start] !== ".") found.push([marks[start], start, q]);
        start = q;
      }
    }
    return found;
  }

  // A typed time as the nearest quarter (the grid's unit); null if it is not a time.
  // `end`: 24:00, or 00:00, is midnight at the end of the day.
  function quarterOf(text, end) {
    const m = /^\s*(\d{1,2})\s*[:hH]\s*(\d{2})?\s*$/.exec(text);
    if (!m) return null;
    const hours = Number(m[1]);
    const minutes = Number(m[2] || 0);
    if (minutes > 59 || hours > 24 || (hours === 24 && (minutes > 0 || !end))) return null;
    const q = Math.round((hours * 60 + minutes) / 15);
    if (end) return q === 0 ? QUARTERS : q;
    return q < QUARTERS ? q : null;
  }

  const rows = () => Array.from(list.querySelectorAll(".periode"));
  const fields = (row) => ({
    start: row.querySelector('[name="periode_debut"]'),
    end: row.querySelector('[name="periode_fin"]'),
    letter: row.querySelector('[name="periode_activite"]'),
  });

  function newRow(start, end, letter) {
    const n = list.children.length + 1;
    const html = model.innerHTML.replace(/periode-(debut|fin|activite)-N/g, `periode-$1-${n}`);
    list.insertAdjacentHTML("beforeend", html.replace(/Période N/g, `Période ${n}`));
    const row = list.lastElementChild;
    const typed = fields(row);
    typed.start.value = start;
    typed.end.value = end;
    typed.letter.value = letter;
    return row;
  }

  // The rows written again from the grid; the field that had the focus keeps it.
  function writeRows() {
    const focused = document.activeElement && list.contains(document.activeElement);
    const id = focused ? document.activeElement.id : "";
    list.replaceChildren();
    for (const [letter, first, after] of periods()) newRow(clock(first), clock(after), letter);
    if (!list.children.length) newRow("", "", "");
    const again = id && document.getElementById(id);
    if (again) again.focus();
  }

  // The grid from the complete rows, in order (a later row paints over an earlier one);
  // null while one row is half filled or wrong, which keeps the grid as it is.
  function readRows() {
    const found = new Array(QUARTERS).fill(".");
    const notes = [];
    for (const row of rows()) {
      const typed = fields(row);
      const values = [typed.start.value, typed.end.value, typed.letter.value];
      if (values.every((value) => !value.trim())) continue;
      if (values.some((value) => !value.trim())) return null;
      const first = quarterOf(typed.start.value, false);
      const after = quarterOf(typed.end.value, true);
      if (first === null || after === null || after <= first) return null;
      for (const [field, q] of [
        [typed.start, first],
        [typed.end, after],
      ]) {
        const exact = /^\s*(\d{1,2})\s*[:hH]\s*(\d{2})?\s*$/.exec(field.value);
        const said = exact ? exact[1].padStart(2, "0") + ":" + (exact[2] || "00") : "";
        if (said && said !== clock(q) && !(q === QUARTERS && said === "00:00"))
          notes.push(`${said} ramené à ${q === QUARTERS ? "24:00" : clock(q)}`);
      }
      for (let q = first; q < after; q++) found[q] = typed.letter.value;
    }
    return { found, notes };
  }

  function show() {
    const totals = { A: 0, B: 0, C: 0, D: 0 };
    cells.forEach((cell, q) => {
      cell.className = "quart" + (marks[q] === "." ? "" : " m-" + marks[q]);
      cell.setAttribute(
        "aria-label",
        clock(q) + " " + (marks[q] === "." ? "vide" : marks[q] + " " + NAMES[marks[q]]),
      );
      if (marks[q] !== ".") totals[marks[q]] += 15;
    });
    grid.value = marks.join("");
    if (drawn) {
      drawn.textContent =
        "Tracé : A " +
        hm(totals.A) +
        " · B " +
        hm(totals.B) +
        " · C " +
        hm(totals.C) +
        " · D " +
        hm(totals.D) +
        " · E " +
        hm(totals.A + totals.B + totals.C);
    }
  }

  // The grid was painted: the rows follow.
  function painted() {
    show();
    writeRows();
    if (rounded) rounded.textContent = "";
  }

  function chosen() {
    const radio = document.querySelector('input[name="marque"]:checked');
    return radio ? radio.value : "A";
  }

  // Quarters `from` to `to` (either order) take the chosen letter.
  function mark(from, to = from) {
    const letter = chosen();
    let touched = false;
    for (
      let q = Math.max(0, Math.min(from, to));
      q <= Math.min(QUARTERS - 1, Math.max(from, to));
      q++
    ) {
      if (marks[q] !== letter) {
        marks[q] = letter;
        touched = true;
      }
    }
    if (touched) painted();
  }

  // Pointer events cover touch, pen and mouse; a drag paints every quarter it crosses. A fast
  // swipe reports one position every few quarters: those in between, on the same row of
  // hours, are painted too.
  let painting = false;
  let last = -1;
  const row = (q) => Math.floor(q / 24);
  bar.addEventListener("pointerdown", (event) => {
    const cell = event.target.closest(".quart");
    if (!cell) return;
    event.preventDefault();
    painting = true;
    if (bar.releasePointerCapture) bar.releasePointerCapture(event.pointerId);
    last = Number(cell.dataset.index);
    mark(last);
  });
  bar.addEventListener("pointermove", (event) => {
    if (!painting) return;
    const under = document.elementFromPoint(event.clientX, event.clientY);
    const cell = under && under.closest ? under.closest(".quart") : null;
    if (!cell || !bar.contains(cell)) return;
    const q = Number(cell.dataset.index);
    mark(last >= 0 && row(last) === row(q) ? last : q, q);
    last = q;
  });
  for (const end of ["pointerup", "pointercancel", "pointerleave"]) {
    bar.addEventListener(end, () => {
      painting = false;
      last = -1;
    });
  }
  bar.addEventListener("keydown", (event) => {
    const cell = event.target.closest(".quart");
    if (!cell) return;
    const q = Number(cell.dataset.index);
    const moves = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: 24, ArrowUp: -24 };
    if (event.key in moves) {
      const next = cells[q + moves[event.key]];
      if (next) next.focus();
      event.preventDefault();
    } else if (/^[abcd]$/i.test(event.key) || event.key === "Delete" || event.key === "Backspace") {
      marks[q] = event.key.length === 1 ? event.key.toUpperCase() : ".";
      painted();
      const next = cells[q + 1];
      if (next && event.key.length === 1) next.focus();
      event.preventDefault();
    }
  });

  // A row typed (a field left, or a choice made): once every row is complete and right, the
  // grid is painted from them and the rows written again (merged, in order, on quarters).
  list.addEventListener("change", (event) => {
    const field = event.target;
    if (field.checkValidity && !field.checkValidity()) return; // app.js says why, in French
    const read = readRows();
    if (!read) return;
    marks = read.found;
    show();
    writeRows();
    if (rounded)
      rounded.textContent = read.notes.length
        ? `Heures ramenées au quart d'heure de la grille : ${read.notes.join(", ")}.`
        : "";
  });
  list.addEventListener("click", (event) => {
    const remove = event.target.closest(".periode-retirer");
    if (!remove) return;
    remove.closest(".periode").remove();
    const read = readRows();
    if (read) marks = read.found;
    show();
    writeRows();
    const next = list.querySelector('[name="periode_debut"]');
    if (next) next.focus();
  });
  if (add) {
    add.hidden = false;
    add.addEventListener("click", () => {
      fields(newRow("", "", "")).start.focus();
    });
  }

  // At first the rows the server wrote win (as on the server), else the posted grid.
  const typed = readRows();
  const hasRows = rows().some((r) => fields(r).start.value.trim());
  if (typed && hasRows) marks = typed.found;
  else if (grid.value.length === QUARTERS) marks = grid.value.split("");
  bar.hidden = false;
  show();
  if (!hasRows) writeRows();

  // The page photo, larger in its own scrolling frame (pinch-zoom stays allowed on it).
  function zoomablePhoto() {
    const button = document.getElementById("agrandir-photo");
    const frame = document.getElementById("photo-cadre");
    if (!button || !frame) return;
    button.hidden = false;
    button.addEventListener("click", () => {
      const larger = frame.classList.toggle("agrandie");
      button.setAttribute("aria-pressed", String(larger));
    });
  }
})();
