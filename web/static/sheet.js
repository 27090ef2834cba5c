// The 24-hour bar of a paper daily sheet: tap or drag across quarter hours to draw the chosen
// period type; arrow keys move between quarters and A/B/C/D/Suppr mark one. The bar, the
// hidden 96-letter grid and the typed periods stay in step, so the form posts one truth.
(function () {
  "use strict";
  const bar = document.getElementById("barre-horaire");
  const grid = document.getElementById("grid");
  const typed = document.getElementById("periodes");
  const drawn = document.getElementById("traces");
  if (!bar || !grid || !typed) return;
  const QUARTERS = 96;
  const cells = Array.from(bar.querySelectorAll(".quart"));
  let marks = new Array(QUARTERS).fill(".");

  const clock = (q) =>
    String(Math.floor(q / 4)).padStart(2, "0") + ":" + String((q % 4) * 15).padStart(2, "0");
  const hm = (minutes) => Math.floor(minutes / 60) + " h " + String(minutes % 60).padStart(2, "0");

  function periodsText() {
    const lines = [];
    let start = 0;
    for (let q = 1; q <= QUARTERS; q++) {
      if (q === QUARTERS || marks[q] !== marks[start]) {
        if (marks[start] !== ".")
          lines.push(
            marks[start] + " " + clock(start) + " " + (q === QUARTERS ? "24:00" : clock(q)),
          );
        start = q;
      }
    }
    return lines.join("\n");
  }

  function parseTyped(text) {
    const found = new Array(QUARTERS).fill(".");
    for (const raw of text.split("\n")) {
      const line = raw.trim();
      if (!line) continue;
      const m = /^([ABCD])\s+(\d{1,2})[:h](\d{2})\s*(?:-|–|à|\s)\s*(\d{1,2})[:h](\d{2})$/i.exec(
        line,
      );
      if (!m) return null;
      const first = (Number(m[2]) * 60 + Number(m[3])) / 15;
      let last = (Number(m[4]) * 60 + Number(m[5])) / 15;
      if (last === 0) last = QUARTERS;
      if (!Number.isInteger(first) || !Number.isInteger(last) || last <= first || last > QUARTERS)
        return null;
      for (let q = first; q < last; q++) found[q] = m[1].toUpperCase();
    }
    return found;
  }

  function show() {
    const totals = { A: 0, B: 0, C: 0, D: 0 };
    cells.forEach((cell, q) => {
      cell.className = "quart" + (marks[q] === "." ? "" : " m-" + marks[q]);
      cell.setAttribute("aria-label", clock(q) + " " + (marks[q] === "." ? "vide" : marks[q]));
      if (marks[q] !== ".") totals[marks[q]] += 15;
    });
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

  function changed() {
    grid.value = marks.join("");
    typed.value = periodsText();
    show();
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
    if (touched) changed();
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
      changed();
      const next = cells[q + 1];
      if (next && event.key.length === 1) next.focus();
      event.preventDefault();
    }
  });
  typed.addEventListener("input", () => {
    const found = parseTyped(typed.value);
    if (found) {
      marks = found;
      grid.value = marks.join("");
      show();
    }
  });

  const start = grid.value.length === QUARTERS ? grid.value.split("") : parseTyped(typed.value);
  if (start) marks = start;
  bar.hidden = false;
  grid.value = marks.join("");
  show();
})();
