// Every rule on both versions of the record, each finding saying which version it rests on
// (control/rules/engine.py): the tablet's analysis without network, the same findings as
// the server's, in the same JSON form (Analysis.to_json).
import { build } from "/static/rules/timeline.js";
import { noLiveEntry, TIMELINE_RULES, weeklyAverage } from "/static/rules/rules.js";
import { isoDate } from "/static/rules/time.js";

const FLAGS = [
  "not-validated",
  "validated-automatically",
  "changed-by-employer",
  "in-progress",
  "partial-week",
  "suggested",
];

// What every rule says of one version: breaches, and warnings (what only the employer can
// settle, taken from the record as it stands).
function run(timeline) {
  const said = TIMELINE_RULES.flatMap((rule) => rule(timeline));
  return [said.filter((s) => !s.rule.warning), said.filter((s) => s.rule.warning)];
}
const key = (breach) => `${breach.rule.id}|${breach.dates.join(",")}`;
const overlaps = (breach, days) => [...breach.days].some((i) => days.has(i));

// `table`: the rule table (/regles.json); `record`: the JSON form; `at`: unix seconds of the
// control (the code's iat); `liveEntry` false for a paper sheet's transcription.
export function analyze(table, record, at, { liveEntry = true } = {}) {
  at = Math.floor(at);
  const current = build(table, record, at);
  const [breaches, currentWarnings] = run(current);
  let warnings = currentWarnings;
  const amended = new Set();
  record.days.forEach((day, i) => {
    if (day.driver_activities?.length) amended.add(i);
  });
  let findings = [];
  if (amended.size) {
    const [original, originalWarnings] = run(build(table, record, at, true));
    const originalKeys = new Set(original.map(key));
    const currentKeys = new Set(breaches.map(key));
    for (const breach of breaches) {
      if (overlaps(breach, amended))
        findings.push(finding(record, breach, originalKeys.has(key(breach)) ? "both" : "employer"));
      else findings.push(finding(record, breach, unamendedVersion(record, breach)));
    }
    for (const breach of original) {
      if (overlaps(breach, amended) && !currentKeys.has(key(breach)))
        findings.push(finding(record, breach, "driver"));
    }
    warnings = versioned(record, warnings, originalWarnings, amended);
  } else {
    findings = breaches.map((b) => finding(record, b, unamendedVersion(record, b)));
    warnings = versioned(record, warnings, [], amended);
  }
  if (liveEntry) findings.push(...noLiveEntry(current).map((b) => finding(record, b, "driver")));
  const order = new Map(table.rules.map((rule, position) => [rule.id, position]));
  findings.sort(
    (a, b) =>
      compare(a.dates[0], b.dates[0]) ||
      order.get(a.rule) - order.get(b.rule) ||
      compare(a.version, b.version),
  );
  warnings.push(...weeklyAverage(current).map((w) => ({ ...w, version: "both" })));
  const warningOrder = new Map(table.warnings.map((rule, position) => [rule.id, position]));
  warnings.sort(
    (a, b) =>
      a.dates[0] - b.dates[0] ||
      warningOrder.get(a.rule.id) - warningOrder.get(b.rule.id) ||
      compare(a.version, b.version),
  );
  return { findings, warnings: warnings.map(warningJson) };
}

// The questions of both versions, each saying which it rests on as a finding does
// (engine.py _versioned): one the driver's entries raise stays when the amendment removes it.
function versioned(record, current, original, amended) {
  const originalKeys = new Set(original.map(key));
  const currentKeys = new Set(current.map(key));
  const kept = current.map((w) => {
    const days = w.days ?? new Set();
    let version = "both";
    if (overlaps({ days }, amended)) version = originalKeys.has(key(w)) ? "both" : "employer";
    else if (days.size) version = unamendedVersion(record, { days });
    return { ...w, version };
  });
  for (const w of original) {
    if (overlaps({ days: w.days ?? new Set() }, amended) && !currentKeys.has(key(w)))
      kept.push({ ...w, version: "driver" });
  }
  return kept;
}

// RuleWarning.to_json
function warningJson(w) {
  return {
    rule: w.rule.id,
    key: w.rule.key,
    title: w.rule.title,
    dates: w.dates.map(isoDate),
    figures: w.figures,
    explanation: w.explanation,
    legal: w.rule.legal,
    possible_natinf: w.rule.possible_natinf,
    version: w.version,
  };
}

// The NATINF line a finding rests on, as a procès-verbal words it (findings.py offence_json).
const OFFENCE = [
  "qualification",
  "nature",
  "defined_by",
  "punished_by",
  "max_fine_eur",
  "per_employee",
];
function offenceJson(rule) {
  if (rule.natinf === null || rule.qualification === undefined) return {};
  return Object.fromEntries(OFFENCE.map((field) => [field, rule[field]]));
}

// Minutes of work of each service day, by the Paris date it starts on (control/rules/engine.py
// day_totals): what the tablet shows for each day, as the rules count it.
export function dayTotals(table, record, at) {
  return new Map(
    build(table, record, Math.floor(at)).days.map((day) => [
      isoDate(day.label),
      Math.floor(day.work / 60),
    ]),
  );
}

const compare = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

function unamendedVersion(record, breach) {
  const days = [...breach.days];
  return days.length && days.every((i) => record.days[i].employer_validation) ? "both" : "driver";
}

function finding(record, breach, version) {
  const flags = new Set(breach.flags ?? []);
  for (const index of breach.days) {
    const day = record.days[index];
    if (day.activities.some((a) => a.end === null)) flags.add("in-progress");
    else if (!day.driver_validation) flags.add("not-validated");
    else if (day.driver_validation.automatic) flags.add("validated-automatically");
    if (day.driver_activities !== undefined || day.employer_validation?.changed)
      flags.add("changed-by-employer");
  }
  const rule = breach.rule;
  return {
    natinf: rule.natinf,
    class: rule.class,
    rule: rule.id,
    title: rule.title,
    dates: breach.dates.map(isoDate),
    version,
    figures: breach.figures,
    explanation: breach.explanation,
    flags: FLAGS.filter((f) => flags.has(f)),
    legal: rule.legal,
    ...offenceJson(rule),
  };
}
