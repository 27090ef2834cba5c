// The working-time rules (control/rules/daily.py, breaks.py, weekly.py, live.py), each a
// function of the timeline giving breaches. Limits, NATINF and labels come from the rule
// table the server publishes (/regles.json); explanations are worded as in Python.
import { duration, fiveAm, frenchDay, frenchMoment, midnight, minutes, parisDate } from "/static/rules/time.js";

const union = (sets) => new Set(sets.flatMap((s) => [...s]));
const rule = (t, id) => t.rules.find((r) => r.id === id);

function dayDates(day) {
  const dates = [];
  for (let d = day.label; d <= parisDate(day.end - 1); d++) dates.push(d);
  return dates;
}

function dailyRest(tl) {
  const d = tl.table.daily;
  const moment = (m) => frenchMoment(tl.table.weekdays, m);
  const found = [];
  for (const day of tl.days) {
    const ends = day.spans.filter((s) => s.work).map((s) => s.end);
    if (!ends.length) continue;
    const lastWork = Math.max(...ends);
    if (lastWork - day.start <= d.LONGEST_COVERED) continue;
    const windowStart = lastWork - d.REST_WINDOW;
    const before = Math.max(0, day.start - windowStart);
    const pauses = day.pauses.filter(([start, end]) => start < lastWork && end > windowStart).map(([start, end]) => end - Math.max(start, windowStart));
    const longest = Math.max(before, ...pauses);
    found.push({
      rule: rule(tl.table, "daily-rest"),
      dates: dayDates(day),
      figures: { longest_rest_minutes: minutes(longest), required_rest_minutes: minutes(d.MINIMUM_REST), amplitude_minutes: minutes(lastWork - day.start) },
      explanation: `Dans les 24 h précédant la fin du travail (${moment(lastWork)}), le plus long repos n'a duré que ${duration(longest)} : il faut au moins 10 h consécutives. Service commencé ${moment(day.start)}.`,
      days: day.days,
    });
  }
  return found;
}

function dailyLimit(t, sector, amplitude) {
  if (sector !== "passengers") return [t.daily.GOODS_DAILY_MAX, t.sectors[sector]];
  if (amplitude > t.daily.PASSENGERS_LONG_AMPLITUDE) return [t.daily.PASSENGERS_DAILY_MAX_LONG, "transport de voyageurs, amplitude de plus de 12 h"];
  return [t.daily.PASSENGERS_DAILY_MAX, t.sectors[sector]];
}

function dailyWork(tl) {
  const found = [];
  for (const day of tl.days) {
    const [limit, reason] = dailyLimit(tl.table, tl.sector(day.workByEmployer), day.amplitude);
    if (day.work <= limit) continue;
    const excess = day.work - limit;
    found.push({
      rule: rule(tl.table, "daily-work"),
      dates: dayDates(day),
      figures: { work_minutes: minutes(day.work), limit_minutes: minutes(limit), excess_minutes: minutes(excess), amplitude_minutes: minutes(day.amplitude) },
      explanation: `Journée commencée ${frenchMoment(tl.table.weekdays, day.start)} : ${duration(day.work)} de travail pour un maximum de ${duration(limit)} (${reason}), soit ${duration(excess)} de trop.`,
      days: day.days,
    });
  }
  return found;
}

function nightSeconds(day) {
  let total = 0;
  for (const span of day.spans) {
    if (!span.work) continue;
    for (let current = parisDate(span.start); midnight(current) < span.end; current++) {
      total += Math.max(0, Math.min(span.end, fiveAm(current)) - Math.max(span.start, midnight(current)));
    }
  }
  return total;
}

function nightWork(tl) {
  const limit = tl.table.daily.NIGHT_DAILY_MAX;
  const found = [];
  for (const day of tl.days) {
    if (day.work <= limit) continue;
    const night = nightSeconds(day);
    if (!night) continue;
    const excess = day.work - limit;
    found.push({
      rule: rule(tl.table, "night-work"),
      dates: dayDates(day),
      figures: { work_minutes: minutes(day.work), night_work_minutes: minutes(night), limit_minutes: minutes(limit), excess_minutes: minutes(excess) },
      explanation: `Journée commencée ${frenchMoment(tl.table.weekdays, day.start)} avec du travail de nuit (${duration(night)} entre 0 h et 5 h) : ${duration(day.work)} de travail pour un maximum de 10 h, soit ${duration(excess)} de trop.`,
      days: day.days,
    });
  }
  return found;
}

function longestStretch(b, day) {
  let longest = 0;
  let stretch = 0;
  let position = 0;
  day.blocks.forEach((block, index) => {
    if (index && block.start - day.blocks[index - 1].end >= b.SHORTEST_PIECE) stretch = 0;
    while (position < day.spans.length && day.spans[position].start < block.end) {
      const span = day.spans[position++];
      if (span.work) {
        stretch += span.end - span.start;
        longest = Math.max(longest, stretch);
      }
    }
  });
  return longest;
}

function breaks(tl) {
  const b = tl.table.breaks;
  const found = [];
  for (const day of tl.days) {
    if (day.work <= b.LONGEST_STRETCH) continue;
    const pieces = day.pauses.map(([start, end]) => end - start);
    const counted = pieces.filter((p) => p >= b.SHORTEST_PIECE).reduce((a, p) => a + p, 0);
    const required = (b.THRESHOLDS.find(([threshold]) => day.work > threshold) ?? [0, 0])[1];
    const stretch = longestStretch(b, day);
    if (counted >= required && stretch <= b.LONGEST_STRETCH) continue;
    const problems = [];
    if (counted < required) {
      const short = pieces.filter((p) => p < b.SHORTEST_PIECE).reduce((a, p) => a + p, 0);
      const uncounted = short ? ` ; ${duration(short)} de pauses de moins de 15 min ne comptent pas` : "";
      problems.push(`${duration(day.work)} de travail et ${duration(counted)} de pause pour ${duration(required)} exigées${uncounted}`);
    }
    if (stretch > b.LONGEST_STRETCH) problems.push(`${duration(stretch)} de travail d'affilée sans pause d'au moins 15 min (maximum 6 h)`);
    found.push({
      rule: rule(tl.table, "breaks"),
      dates: dayDates(day),
      figures: { work_minutes: minutes(day.work), break_minutes: minutes(counted), required_break_minutes: minutes(required), longest_stretch_minutes: minutes(stretch) },
      explanation: `Journée commencée ${frenchMoment(tl.table.weekdays, day.start)} : ${problems.join(" ; ")}.`,
      days: day.days,
    });
  }
  return found;
}

function weekWork(tl, week) {
  const totals = new Map();
  for (const span of tl.spans) {
    if (span.work && span.start < week.end && span.end > week.start) {
      totals.set(span.employer, (totals.get(span.employer) ?? 0) + Math.min(span.end, week.end) - Math.max(span.start, week.start));
    }
  }
  return totals;
}

// The longest rest starting in the week, and whether one is still running (weekly.py).
function longestRestFrom(tl, week) {
  const edges = [week.start];
  for (const block of tl.blocks) edges.push(block.start, block.end);
  const last = edges.at(-1);
  let longest = 0;
  for (let i = 0; i + 1 < edges.length; i += 2) {
    const [start, end] = [edges[i], edges[i + 1]];
    if (start < week.end && end > week.start) longest = Math.max(longest, end - Math.max(start, week.start));
  }
  const running = last < week.end;
  if (running) longest = Math.max(longest, Math.max(tl.at, last) - Math.max(last, week.start));
  return [longest, running];
}

const weekFlags = (tl, week) => (week.start >= tl.windowStart ? [] : ["partial-week"]);
const period = (tl, week) => `Semaine du ${frenchDay(tl.table.weekdays, week.monday)} au ${frenchDay(tl.table.weekdays, week.monday + 6)}`;

function weeklyRest(tl) {
  const w = tl.table.weekly;
  const found = [];
  for (const week of tl.weeks()) {
    const sunday = week.monday + 6;
    const days = tl.days.filter((d) => week.monday <= d.label && d.label <= sunday && d.work);
    const [rest, running] = longestRestFrom(tl, week);
    const rested = running || rest >= w.WEEKLY_REST_MINIMUM;
    if (days.length <= w.MAX_DAYS_WORKED && rested) continue;
    const problems = [];
    if (days.length > w.MAX_DAYS_WORKED) problems.push(`${days.length} jours travaillés (maximum ${w.MAX_DAYS_WORKED})`);
    if (!rested) problems.push(`plus long repos de ${duration(rest)} (au moins 34 h consécutives)`);
    found.push({
      rule: rule(tl.table, "weekly-rest"),
      dates: [week.monday, sunday],
      figures: { days_worked: days.length, longest_rest_minutes: minutes(rest) },
      explanation: `${period(tl, week)} : ${problems.join(" ; ")}.`,
      days: union(days.map((d) => d.days)),
      flags: weekFlags(tl, week),
    });
  }
  return found;
}

function weeklyMax(tl) {
  const w = tl.table.weekly;
  const found = [];
  for (const week of tl.weeks()) {
    const byEmployer = weekWork(tl, week);
    const work = [...byEmployer.values()].reduce((a, s) => a + s, 0);
    const sector = tl.sector(byEmployer);
    const limit = w.WEEKLY_MAXIMUM[sector];
    if (work <= limit) continue;
    const involved = tl.days.filter((d) => d.end > week.start && d.start < week.end && d.work);
    found.push({
      rule: rule(tl.table, "weekly-max"),
      dates: [week.monday, week.monday + 6],
      figures: { work_minutes: minutes(work), limit_minutes: minutes(limit), excess_minutes: minutes(work - limit) },
      explanation: `${period(tl, week)} : ${duration(work)} de travail pour un maximum de ${duration(limit)} (${tl.table.sectors[sector]}), soit ${duration(work - limit)} de trop.`,
      days: union(involved.map((d) => d.days)),
      flags: weekFlags(tl, week),
    });
  }
  return found;
}

export function weeklyAverage(tl) {
  const w = tl.table.weekly;
  const weeks = tl.weeks().filter((week) => week.observed);
  if (!weeks.length) return [];
  const byEmployer = new Map();
  for (const week of weeks) {
    for (const [siren, work] of weekWork(tl, week)) byEmployer.set(siren, (byEmployer.get(siren) ?? 0) + work);
  }
  const sector = tl.sector(byEmployer);
  const average = Math.floor([...byEmployer.values()].reduce((a, s) => a + s, 0) / weeks.length);
  const limit = w.AVERAGE_MAXIMUM[sector];
  if (average <= limit) return [];
  const periodText = w.AVERAGE_PERIOD[sector] ?? "la période de référence";
  return [{
    rule: tl.table.warning,
    dates: [weeks[0].monday, weeks.at(-1).monday + 6],
    figures: { average_minutes: minutes(average), limit_minutes: minutes(limit), weeks: weeks.length },
    explanation: `Moyenne de ${duration(average)} de travail par semaine sur les ${weeks.length} semaines complètes du relevé, pour une moyenne maximale de ${duration(limit)} sur ${periodText} (${tl.table.sectors[sector]}) : à vérifier sur la période complète, ce n'est pas une infraction constatée.`,
  }];
}

// Rules that depend on the timeline, hence on the version (engine.py TIMELINE_RULES).
export const TIMELINE_RULES = [dailyRest, dailyWork, nightWork, breaks, weeklyRest, weeklyMax];

// Live entry: an activity must be in progress at the control; a suggestion to confirm.
export function noLiveEntry(tl) {
  const { record, at } = tl;
  const seconds = (iso) => Date.parse(iso) / 1000;
  for (const day of [...record.days].reverse()) {
    for (const activity of day.activities) {
      if (seconds(activity.start) <= at && (activity.end === null || seconds(activity.end) > at)) return [];
    }
  }
  let latest = null;
  let latestStart = -Infinity;
  record.days.forEach((day, index) => {
    const start = Math.max(...day.activities.map((a) => seconds(a.start)));
    if (start > latestStart) [latest, latestStart] = [index, start];
  });
  const last = latest === null ? null : record.days[latest];
  const sector = last ? record.employers.find((e) => e.siren === last.employer).sector : record.employers[0].sector;
  const ended = tl.spans.length ? Math.max(...tl.spans.map((s) => s.end)) : null;
  const moment = (m) => frenchMoment(tl.table.weekdays, m);
  const since = ended !== null ? ` ; dernière activité terminée ${moment(ended)}` : "";
  return [{
    rule: tl.table.no_live_entry[sector === "passengers" ? "passengers" : "other"],
    dates: [parisDate(at)],
    figures: ended === null ? {} : { since_last_entry_minutes: minutes(at - ended) },
    explanation: `Aucune activité en cours dans le livret au moment du contrôle (${moment(at)})${since}. Infraction suggérée, à confirmer par l'agent.`,
    days: latest === null ? new Set() : new Set([latest]),
    flags: ["suggested"],
  }];
}
