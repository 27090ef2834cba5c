// The trust list the tablet holds: its date, and a warning once it is past its next update.
// Fetched through the service worker, which keeps the last copy for use without network.
"use strict";
(() => {
  const line = document.getElementById("confiance");
  if (!line) return;
  const HOUR = 3600 * 1000;

  function decode(part) {
    const base64 = part.replace(/-/g, "+").replace(/_/g, "/");
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  }

  function when(date) {
    return date.toLocaleString("fr-FR", {
      dateStyle: "short",
      timeStyle: "short",
      timeZone: "Europe/Paris",
    });
  }

  function age(ms) {
    const hours = Math.floor(ms / HOUR);
    if (hours < 1) return "moins d'une heure";
    if (hours < 48) return `${hours} h`;
    return `${Math.floor(hours / 24)} jours`;
  }

  fetch("/liste-de-confiance.json", { cache: "no-store" })
    .then((response) => {
      if (!response.ok) throw new Error(String(response.status));
      const local = response.headers.get("X-Copie-Locale") === "1";
      return response.json().then((document) => ({ local, list: decode(document.payload) }));
    })
    .then(({ local, list }) => {
      const issued = new Date(list.issued_at);
      const next = new Date(list.next_update);
      const now = Date.now();
      const where = local
        ? "copie conservée sur la tablette (hors ligne)"
        : "à jour depuis le serveur";
      line.textContent =
        `Liste de confiance du ${when(issued)} (il y a ${age(now - issued)}), ` +
        `${list.issuers.length} émetteur(s) : ${where}.`;
      if (now > next.getTime()) {
        line.className = "confiance fr-alert fr-alert--warning fr-alert--sm";
        line.textContent += ` Périmée depuis le ${when(next)} : reconnectez la tablette pour la mettre à jour.`;
      }
    })
    .catch(() => {
      line.className = "confiance fr-alert fr-alert--error fr-alert--sm";
      line.textContent =
        "Liste de confiance indisponible sur cette tablette : les codes ne peuvent pas être vérifiés hors ligne.";
    });
})();
