// Without network, the scan page verifies the code on the tablet: the trust list and the
// root key kept by the service worker, the verifier of web/static/verify/ (the same verdicts
// as the server's), then the rules of web/static/rules/ (the same findings as the server's).
import { element, saveOnce } from "/static/dom.js";
import { attachBulletin, enqueue } from "/static/outbox.js";
import { analyze, dayTotals } from "/static/rules/engine.js";
import { duration, fromIsoDate, midnight, paris } from "/static/rules/time.js";
import { readMobilic } from "/static/verify/mobilic.js";
import { loadTrustList } from "/static/verify/trustlist.js";
import { verify } from "/static/verify/verifier.js";

const [wording, rules] = await Promise.all(
  ["/libelles-hors-ligne.json", "/regles.json"].map((url) => fetch(url).then((r) => r.json())),
);
const FRESHNESS = 24 * 3600; // control/verify/verifier.py FRESHNESS
const CLOCK_SKEW = 5 * 60; // control/verify/verifier.py CLOCK_SKEW
const WEEKDAYS = ["dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."];

function hours(minutes) {
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")}`;
}

function dayLabel(iso) {
  const [year, month, day] = iso.split("-").map(Number);
  const weekday = WEEKDAYS[new Date(Date.UTC(year, month - 1, day)).getUTCDay()];
  return `${weekday} ${String(day).padStart(2, "0")}/${String(month).padStart(2, "0")}/${year}`;
}

// "il y a 3 h 05", as the server's verdict says the code's age
function age(iat, now) {
  const seconds = Math.floor(now - iat);
  if (seconds < 0) return "dans le futur";
  if (seconds < 60) return "à l'instant";
  if (seconds < 3600) return `il y a ${Math.floor(seconds / 60)} min`;
  if (seconds < 48 * 3600)
    return `il y a ${Math.floor(seconds / 3600)} h ${String(Math.floor((seconds % 3600) / 60)).padStart(2, "0")}`;
  return `il y a ${Math.floor(seconds / 86400)} jours`;
}

function parisTime(seconds) {
  const text = new Date(seconds * 1000).toLocaleString("fr-FR", {
    timeZone: "Europe/Paris",
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  });
  return text.replace(" ", " à ").replace(":", " h ");
}

function meta(result, now) {
  const items = [];
  if (result.issuer)
    items.push(
      element("dt", {}, "Émetteur"),
      element("dd", {}, `${result.issuerName ?? result.issuer} (${result.issuer})`),
    );
  if (result.iat !== null)
    items.push(element("dt", {}, "Code généré"), element("dd", {}, age(result.iat, now)));
  items.push(element("dt", {}, "Vérifié"), element("dd", {}, `${parisTime(now)}, hors ligne`));
  return element("dl", { class: "meta verdict-meta" }, ...items);
}

function clock(seconds) {
  const p = paris(seconds);
  return `${String(p.hour).padStart(2, "0")}:${String(p.minute).padStart(2, "0")}`;
}

// Each period touching the Paris date, as the server words it: "Conduite 06:00–10:38 (4 h 38)"
// (web/presenters.py), for the agent to read out to the driver.
function periodsOn(record, date, at) {
  const start = midnight(fromIsoDate(date));
  const end = midnight(fromIsoDate(date) + 1);
  const lines = [];
  for (const day of record.days) {
    for (const activity of day.activities) {
      const from = Date.parse(activity.start) / 1000;
      const to = activity.end === null ? at : Date.parse(activity.end) / 1000;
      if (Math.min(to, end) <= Math.max(from, start)) continue;
      const until = activity.end === null ? "en cours" : clock(to);
      lines.push(
        `${wording.activities[activity.type]} ${clock(from)}–${until} (${duration(to - from)})`,
      );
    }
  }
  return lines;
}

// The days as the server lists them: one line per service day, its total the rules' own,
// as of the code's generation (an activity in progress counts up to then); a tap gives each
// period's times.
function daysSection(record, at, analysis) {
  const totals = dayTotals(rules, record, at);
  const flagged = new Set(analysis ? analysis.findings.flatMap((f) => f.dates) : []);
  const open = new Set(
    record.days.filter((d) => d.activities.some((a) => a.end === null)).map((d) => d.date),
  );
  const list = element("ol", { class: "jours-hors-ligne" });
  for (const [date, minutes] of [...totals].sort((a, b) => (a[0] < b[0] ? 1 : -1))) {
    const mark = flagged.has(date) ? " — infraction" : "";
    const line = `${dayLabel(date)} : ${hours(minutes)} de travail${open.has(date) ? " (en cours)" : ""}${mark}`;
    const periods = element(
      "ul",
      { class: "periodes" },
      ...periodsOn(record, date, at).map((text) => element("li", {}, text)),
    );
    const details = element(
      "details",
      { class: "jour-heures" },
      element("summary", {}, line),
      periods,
    );
    list.append(
      element(
        "li",
        { "data-jour": date, ...(flagged.has(date) ? { class: "infraction" } : {}) },
        details,
      ),
    );
  }
  return element(
    "section",
    { class: "carte", id: "jours" },
    element("h2", {}, `Jours travaillés (${totals.size} sur 28)`),
    list,
  );
}

function render(result, code) {
  const now = Date.now() / 1000;
  const ok = result.verdict === "valid";
  const [title, advice] = wording.verdicts[result.verdict];
  // the banner of web/templates/verdict.html: a tick or a cross, the word at 48 px
  const icon = ok ? "fr-icon-checkbox-circle-fill" : "fr-icon-close-circle-fill";
  const verdict = element(
    "section",
    { class: `verdict ${ok ? "valide" : "invalide"}`, role: "status", id: "verdict-hors-ligne" },
    element(
      "div",
      { class: "verdict-tete" },
      element("span", { class: `verdict-icone ${icon}`, "aria-hidden": "true" }),
      element("h2", { class: "verdict-titre" }, title),
    ),
    element("p", { class: "verdict-conseil" }, advice),
    meta(result, now),
    element(
      "p",
      { class: "verdict-conseil" },
      "Vérifié hors ligne sur la tablette, avec la liste de confiance qu'elle conserve.",
    ),
  );
  const parts = [verdict];
  for (const warning of result.warnings)
    parts.push(dsfrAlert("warning", wording.warnings[warning]));
  let analysis = null;
  const record = result.record;
  const at = result.iat ?? now;
  if (record && ok) {
    const driver = record.driver;
    const [year, month, day] = driver.birth_date.split("-");
    parts.push(
      element(
        "section",
        { class: "carte" },
        element("h2", {}, "Conducteur"),
        element(
          "p",
          { class: "conducteur" },
          element("strong", {}, `${driver.family_name.toUpperCase()} ${driver.given_name}`),
          ` — né(e) le ${day}/${month}/${year} — identifiant ${driver.id}`,
        ),
        element(
          "ul",
          {},
          ...record.employers.map((e) => element("li", {}, `${e.name} (SIREN ${e.siren})`)),
        ),
      ),
    );
    // as the server does: the record as it stood when the code was made
    analysis = analyze(rules, record, at);
    parts.push(findingsSection(analysis));
    const questions = questionsSection(analysis);
    if (questions) parts.push(questions);
    parts.push(daysSection(record, at, analysis));
  } else if (record) {
    // an untrusted record proves nothing: no findings, shown only on request
    const details = element(
      "details",
      {},
      element("summary", {}, element("h2", {}, "Relevé non fiable — à titre indicatif")),
      dsfrAlert(
        "warning",
        "Ce code n'est pas valable : son contenu ne prouve rien. Aucune infraction n'en est tirée ; contrôlez le livret par un autre moyen.",
      ),
      daysSection(record, at, null),
    );
    parts.push(element("section", { class: "carte non-fiable", id: "jours" }, details));
  }
  parts.push(recordForm(code, analysis, ok ? "" : untrustedNote(title)));
  const shown = document.getElementById("resultat");
  shown.replaceChildren(...parts);
  shown.scrollIntoView({ block: "start" }); // as online (htmx's show:#resultat:top)
}

// A Mobilic code, as web/templates/mobilic.html shows it: information, never a verdict (its
// signature is Mobilic's secret), its claimed dates, and no link without network.
function renderMobilic(code) {
  const now = Date.now() / 1000;
  const text = wording.mobilic;
  const items = [
    element("dt", {}, "Code généré (selon le code)"),
    element("dd", {}, parisTime(code.generatedAt)),
  ];
  if (code.expiresAt !== null)
    items.push(
      element("dt", {}, "Expiration (selon le code)"),
      element("dd", {}, parisTime(code.expiresAt)),
    );
  items.push(element("dt", {}, "Lu"), element("dd", {}, `${parisTime(now)}, hors ligne`));
  const banner = element(
    "section",
    { class: "verdict neutre", role: "status", id: "verdict-mobilic" },
    element(
      "div",
      { class: "verdict-tete" },
      element("span", { class: "verdict-icone fr-icon-info-fill", "aria-hidden": "true" }),
      element("h2", { class: "verdict-titre" }, text.title),
    ),
    element("p", { class: "verdict-conseil" }, text.advice),
    element("p", { class: "verdict-conseil" }, text.unverified),
    element("dl", { class: "meta verdict-meta" }, ...items),
    element(
      "p",
      { class: "actions" },
      element(
        "button",
        { type: "button", class: "fr-btn fr-btn--secondary", id: "ouvrir-mobilic", disabled: "" },
        "Ouvrir dans Mobilic",
      ),
    ),
    element("p", { class: "verdict-conseil" }, text.offline),
  );
  const parts = [banner];
  if (code.expiresAt !== null && now > code.expiresAt)
    parts.push(dsfrAlert("warning", text.expired));
  // as a LIC code's warning, and the server's (MobilicCode.stale)
  if (now - code.generatedAt > FRESHNESS)
    parts.push(dsfrAlert("warning", wording.warnings["generated-more-than-24h-ago"]));
  // MobilicCode.from_the_future
  if (code.generatedAt > now + CLOCK_SKEW) parts.push(dsfrAlert("warning", text.future));
  parts.push(recordForm(code.url, null, text.note, "mobilic"));
  const shown = document.getElementById("resultat");
  shown.replaceChildren(...parts);
  shown.scrollIntoView({ block: "start" });
}

// A DSFR alert, small, as the online verdict's warnings
function dsfrAlert(kind, text, attributes = {}) {
  return element(
    "div",
    { class: `fr-alert fr-alert--${kind} fr-alert--sm alerte-verdict`, ...attributes },
    element("p", {}, text),
  );
}

function untrustedNote(title) {
  return `QR code présenté non valable (${title.toLowerCase()}) : le relevé qu'il contient ne peut pas être tenu pour celui du conducteur.`;
}

// Each finding with its NATINF line as a procès-verbal words it (its qualification, the texts
// that define and punish it), and each warning with what to ask the employer.
// As the online verdict says them (web/templates/_legal.html): each finding with its NATINF
// line, then what only the employer can settle, apart, never as an offence.
function findingsSection(analysis) {
  const list = element("ol", { class: "infractions" });
  for (const f of analysis.findings) {
    list.append(
      element(
        "li",
        { class: "infraction-fiche" },
        ...offenceLines(f),
        element("p", {}, `${f.explanation} — ${dayLabel(f.dates[0])}`),
        element(
          "p",
          { class: "infraction-suite" },
          badge(wording.versions[f.version]),
          ...f.flags.map((flag) => badge(wording.flags[flag], "fr-badge--warning")),
        ),
      ),
    );
  }
  const count = analysis.findings.length;
  return element(
    "section",
    { class: "carte", id: "infractions-hors-ligne" },
    element("h2", {}, `Infractions relevées (${count})`),
    element(
      "p",
      { class: "precision" },
      "Analysées sur la tablette, hors ligne, par les mêmes règles que le serveur.",
    ),
    count ? list : element("p", {}, "Aucune infraction aux temps de travail sur les 28 jours."),
  );
}

function badge(text, kind = "") {
  return element("span", { class: `fr-badge fr-badge--sm fr-badge--no-icon ${kind}` }, text);
}

function questionsSection(analysis) {
  const count = analysis.warnings.length;
  if (!count) return null;
  return element(
    "section",
    { class: "carte", id: "questions-hors-ligne" },
    element("h2", {}, `À vérifier auprès de l'employeur (${count})`),
    element(
      "p",
      { class: "precision" },
      "Ce que le relevé ne permet pas de trancher : ce ne sont pas des infractions constatées.",
    ),
    ...analysis.warnings.map((w) => {
      const natinf = w.possible_natinf
        ? ` · si l'infraction est établie : NATINF ${w.possible_natinf}`
        : "";
      // as web/templates/_legal.html question: a callout, never the red of a finding
      return element(
        "div",
        { class: "fr-callout fr-callout--yellow-tournesol question" },
        element(
          "p",
          { class: "fr-callout__title question-titre" },
          `À vérifier auprès de l'employeur — ${w.title} (${dayLabel(w.dates[0])})`,
        ),
        element("p", { class: "fr-callout__text" }, w.explanation),
        element("p", { class: "precision" }, `Textes : ${w.legal.join(" ; ")}${natinf}`),
      );
    }),
  );
}

function offenceLines(f) {
  const head = element(
    "p",
    { class: "infraction-tete" },
    element("strong", {}, `NATINF ${f.natinf}`),
  );
  if (!f.qualification) return [head];
  head.append(` — ${f.nature} — ${f.qualification}`);
  const line = rules.natinf.find((n) => n.natinf === f.natinf);
  const rows = [
    ["Prévue par", f.defined_by.join(" ; ")],
    ["Réprimée par", f.punished_by.join(" ; ")],
    ["Règle appliquée", f.legal.join(" ; ")],
    ["Amende encourue", line ? line.fine : ""],
  ];
  // each reference kept whole on one line, as online (web/rendering.py references)
  const references = (text) =>
    text
      .split(" ; ")
      .flatMap((ref, i) => [...(i ? [" ; "] : []), element("span", { class: "ref" }, ref)]);
  const list = rows.flatMap(([term, text]) => [
    element("dt", {}, term),
    element("dd", {}, ...references(text)),
  ]);
  return [head, element("dl", { class: "meta textes" }, ...list)];
}

function parisNow() {
  return new Date()
    .toLocaleString("sv-SE", { timeZone: "Europe/Paris" })
    .replace(" ", "T")
    .slice(0, 16);
}

// The fields of web/templates/_fields.html, drawn on the tablet: a DSFR input group
function field(name, label, attributes = {}, hint = "") {
  const id = `hl-${name}`;
  const title = element("label", { class: "fr-label", for: id }, label);
  if (hint) title.append(element("span", { class: "fr-hint-text" }, hint));
  // its "-messages" group takes app.js's French validation message
  return element(
    "div",
    { class: "fr-input-group" },
    title,
    element("input", {
      class: "fr-input",
      id,
      name,
      "aria-describedby": `${id}-messages`,
      ...attributes,
    }),
    element("div", { class: "fr-messages-group", id: `${id}-messages`, "aria-live": "polite" }),
  );
}

// The photo field of _fields.html: a French "Prendre une photo" button over the file input
// (app.js names the chosen files under it)
function photoField(name, label) {
  const id = `hl-${name}`;
  const none = "Aucune photo choisie";
  return element(
    "div",
    { class: "fr-input-group fichier" },
    element("p", { class: "fr-label" }, label),
    element("input", {
      class: "fr-sr-only fichier-champ",
      type: "file",
      id,
      name,
      accept: "image/*",
      capture: "environment",
      multiple: "",
      "aria-describedby": `${id}-choix`,
    }),
    element(
      "label",
      { class: "fr-btn fr-btn--secondary fr-btn--icon-left fr-icon-camera-line", for: id },
      "Prendre une photo",
    ),
    element(
      "p",
      { class: "fr-hint-text fichier-choix", id: `${id}-choix`, "data-aucun": none },
      none,
    ),
  );
}

function checkbox(name, id, label, checked, value = "on") {
  const box = element("input", { type: "checkbox", id, name, value });
  box.checked = checked;
  return element(
    "div",
    { class: "fr-checkbox-group" },
    box,
    element("label", { class: "fr-label", for: id }, label),
  );
}

// The findings the agent retains, as on the server's form: all but the suggestions, which
// the agent confirms. The values index the findings, which the server finds the same.
function retainedField(analysis) {
  const boxes = analysis.findings.map((f, index) =>
    element(
      "div",
      { class: "fr-fieldset__element" },
      checkbox(
        "retained",
        `hl-retenue-${index}`,
        `NATINF ${f.natinf} — ${f.title} (${dayLabel(f.dates[0])})`,
        !f.flags.includes("suggested"),
        String(index),
      ),
    ),
  );
  return element(
    "fieldset",
    { class: "fr-fieldset large retenues", id: "retenues-hors-ligne" },
    element(
      "legend",
      { class: "fr-fieldset__legend" },
      "Infractions retenues",
      element(
        "span",
        { class: "fr-hint-text" },
        "Cochez celles que vous retenez ; les autres sont enregistrées comme écartées.",
      ),
    ),
    ...boxes,
  );
}

// The control recorded on the tablet: it waits in the outbox until the network is back.
function recordForm(code, analysis, note, kind = "electronic") {
  const form = element(
    "form",
    { class: "grille carte", id: "form-hors-ligne" },
    element("h2", { class: "large" }, "Enregistrer le contrôle (hors ligne)"),
    field("departement", "Département", { required: "", maxlength: "3" }, "Numéro : 69, 2A, 974"),
    field("commune", "Commune", { required: "", maxlength: "100" }),
    field("place", "Lieu précis", { maxlength: "200" }, "A7, aire de …"),
    field("plate", "Immatriculation du véhicule", { maxlength: "16" }, "AB-123-CD"),
    field(
      "manual_natinf",
      "NATINF ajoutés",
      { maxlength: "200" },
      "Séparés par des virgules : 23103, 11289",
    ),
    field("notes", "Observations de l'agent", { maxlength: "2000", value: note }),
    photoField("photos", "Photos (facultatives)"),
  );
  if (analysis?.findings.length) form.append(retainedField(analysis));
  form.append(
    element(
      "div",
      { class: "large" },
      element("button", { type: "submit", class: "fr-btn" }, "Enregistrer sur la tablette"),
    ),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    saveOnce(form, async () => {
      const data = new FormData(form);
      const photos = data.getAll("photos").filter((file) => file.size);
      const retained = data.getAll("retained").map(Number);
      // every finding shown gets a decision: those not ticked are discarded, never left out
      const discarded = (analysis?.findings ?? [])
        .map((_, index) => index)
        .filter((index) => !retained.includes(index));
      data.delete("photos");
      data.delete("retained");
      const added = String(data.get("manual_natinf") ?? "");
      data.delete("manual_natinf");
      const key = await enqueue(
        {
          kind,
          code,
          occurred_at: parisNow(),
          ...Object.fromEntries(data),
          manual_natinf: added ? [added] : [],
          retained,
          discarded,
        },
        photos,
      );
      const kept = dsfrAlert(
        "info",
        "Contrôle enregistré sur la tablette : il sera envoyé au serveur dès le retour du réseau.",
        { id: "enregistre-hors-ligne" },
      );
      // a Mobilic control's bulletin is made on its page, once Mobilic has been consulted
      if (kind === "mobilic") form.replaceWith(kept);
      else form.replaceWith(kept, bulletinForm(key, photos.length));
    });
  });
  return form;
}

// The bulletin needs the server's number and signature: filled here, it waits with its
// control and is issued on sync. The driver, company, vehicle and retained findings come
// from the verified code, as on the server's form.
function bulletinForm(key, photoCount) {
  const time = parisNow().slice(11);
  const handOver = element("select", { class: "fr-select", id: "hl-hand_over", name: "hand_over" });
  for (const [value, label] of Object.entries(wording.hand_over))
    handOver.append(element("option", { value }, label));
  // typed, never the browser's time picker (its AM/PM speaks the tablet's language); the
  // server reads HH:MM
  const clock = {
    type: "text",
    required: "",
    maxlength: "5",
    autocomplete: "off",
    pattern: "([01]\\d|2[0-3]):[0-5]\\d",
    "data-format": "HH:MM",
  };
  const clockHint = "Format attendu : HH:MM (de 00:00 à 23:59)";
  const form = element(
    "form",
    { class: "grille carte", id: "bulletin-hors-ligne" },
    element("h2", { class: "large" }, "Bulletin de contrôle (émis à la synchronisation)"),
    element(
      "p",
      { class: "large precision" },
      "Sans réseau, le bulletin ne peut être numéroté ni signé : il est gardé sur la tablette et émis par le serveur au retour du réseau.",
    ),
    field("start_time", "Début du contrôle", { ...clock, value: time }, clockHint),
    // the end is the agent's to say: the control is still going on when this form opens
    field("end_time", "Fin du contrôle", clock, clockHint),
    field("address", "Adresse de l'entreprise", { maxlength: "300" }),
    field("licence", "N° de licence ou d'inscription", { maxlength: "40" }),
    field("origin", "Origine du transport", { maxlength: "100" }),
    field("destination", "Destination", { maxlength: "100" }),
    field("goods", "Nature du transport", { maxlength: "200" }),
    field("extra_natinf", "Autres NATINF (séparés par des virgules)", { maxlength: "200" }),
    field("observations", "Observations", { maxlength: "2000" }),
    element(
      "div",
      { class: "fr-select-group" },
      element("label", { class: "fr-label", for: "hl-hand_over" }, "Remise"),
      handOver,
    ),
    element(
      "div",
      { class: "large" },
      checkbox("with_photos", "hl-with_photos", "Joindre les photos au bulletin", photoCount > 0),
    ),
    element(
      "div",
      { class: "large" },
      element("button", { type: "submit", class: "fr-btn" }, "Garder le bulletin pour émission"),
    ),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    saveOnce(form, async () => {
      const fields = Object.fromEntries(new FormData(form));
      fields.with_photos = fields.with_photos ? "on" : "";
      const kept = await attachBulletin(key, fields);
      form.replaceWith(
        kept
          ? dsfrAlert(
              "info",
              "Bulletin en attente d'émission : il n'a pas encore de numéro. Le serveur le numérotera, le signera et l'émettra à la synchronisation ; il apparaîtra alors sur la page du contrôle.",
              { id: "bulletin-en-attente" },
            )
          : dsfrAlert(
              "error",
              "Le contrôle a déjà été envoyé au serveur : remplissez le bulletin depuis sa page.",
              { role: "alert" },
            ),
      );
    });
  });
  return form;
}

// As the server does: a hardware scanner types after what the field holds, so the last
// "LIC1:" starts the code just read.
function lastCode(text) {
  const trimmed = text.trim();
  const start = trimmed.lastIndexOf("LIC1:");
  return start > 0 ? trimmed.slice(start) : trimmed;
}

async function verifyHere(text) {
  const [documentText, root] = await Promise.all([
    fetch("/liste-de-confiance.json").then((r) => r.text()),
    fetch("/cle-racine.json").then((r) => r.json()),
  ]);
  const trust = await loadTrustList(documentText, root);
  return verify(text, trust, Date.now() / 1000);
}

// At the document, in the capture phase: before htmx sends the form to a server it cannot reach.
document.addEventListener(
  "submit",
  (event) => {
    if (navigator.onLine || event.target.id !== "form-code") return;
    event.preventDefault();
    event.stopImmediatePropagation();
    const typed = event.target.querySelector("#code").value;
    document.dispatchEvent(new Event("lic:verified-offline"));
    const mobilic = readMobilic(typed);
    if (mobilic) {
      renderMobilic(mobilic);
      return;
    }
    const text = lastCode(typed);
    verifyHere(text).then(
      (result) => render(result, text),
      () => {
        document
          .getElementById("resultat")
          .replaceChildren(
            dsfrAlert(
              "error",
              "Vérification hors ligne impossible : la tablette n'a pas de liste de confiance. Reconnectez-la une fois pour la charger.",
              { role: "alert" },
            ),
          );
      },
    );
  },
  true,
);
