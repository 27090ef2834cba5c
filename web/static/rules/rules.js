// The working-time rules (control/rules/daily.py, breaks.py, weekly.py, live.py), each a
// function of the timeline giving breaches and warnings (a warning's rule has `warning`
// true). Limits, NATINF and labels come from the rule table the server publishes
// (/regles.json), rules and warnings looked up by their `key`; explanations are worded as in
// Python.
import {
  duration,
  fiveAm,
  frenchDay,
  frenchMoment,
  midnight,
  minutes,
  parisDate,
  weekday,
} from "/static/rules/time.js";

const PASSENGERS = "passengers";
const union = (sets) => new Set(sets.flatMap((s) => [...s]));
const byKey = (list, key) => {
  const found = list.find((r) => r.key === key);
  if (!found) throw new Error(`rule ${key} is not in the rule table`);
  return found;
};
const rule = (t, key) => byKey(t.rules, key);
const warning = (t, key) => byKey(t.warnings, key);
const sum = (values) => values.reduce((a, v) => a + v, 0);
// a count as the explanations write it ("n'en couvrent que deux")
const NUMBERS = ["zéro", "une", "deux", "trois", "quatre", "cinq", "six", "sept"];

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
    // availability counts as a moment to look back from, like work
    const ends = day.spans.map((s) => s.end);
    if (!ends.length) continue;
    const lastWork = Math.max(...ends);
    if (lastWork - day.start <= d.LONGEST_COVERED) continue;
    const windowStart = lastWork - d.REST_WINDOW;
    const passengers = tl.sector(day.workByEmployer) === PASSENGERS;
    const before = Math.max(0, day.start - windowStart);
    const pauses = day.pauses
      .filter(([start, end]) => start < lastWork && end > windowStart)
      .map(([start, end]) => end - Math.max(start, windowStart));
    const longest = Math.max(before, ...pauses);
    found.push({
      rule: rule(tl.table, passengers ? "daily-rest-passengers" : "daily-rest"),
      dates: dayDates(day),
      figures: {
        longest_rest_minutes: minutes(longest),
        required_rest_minutes: minutes(d.MINIMUM_REST),
        amplitude_minutes: minutes(lastWork - day.start),
      },
      explanation:
        `Dans les ${duration(d.REST_WINDOW)} précédant la fin du service (${moment(lastWork)}), le plus long ` +
        `repos n'a duré que ${duration(longest)} : il faut au moins ${duration(d.MINIMUM_REST)} consécutives. ` +
        `Service commencé ${moment(day.start)}.`,
      days: day.days,
    });
  }
  return found;
}

// Goods and removals: at most 12 h of work a day. Passenger staff: 10 h, 12 h twice a week
// at most under conditions; an amplitude over 12 h is a warning (daily.py daily_work).
function dailyWork(tl) {
  const t = tl.table;
  const d = t.daily;
  const found = [];
  const overTen = new Map(); // passenger days over 10 h, by the Monday of their week
  for (const day of tl.days) {
    const sector = tl.sector(day.workByEmployer);
    if (sector !== PASSENGERS) {
      if (day.work > d.GOODS_DAILY_MAX)
        found.push(over(tl, day, "daily-work", d.GOODS_DAILY_MAX, t.sectors[sector]));
      else {
        const spare = available(day);
        if (day.work + spare > d.GOODS_DAILY_MAX) found.push(availabilityToCheck(tl, day, spare));
      }
      continue;
    }
    if (day.amplitude > d.PASSENGERS_LONG_AMPLITUDE) found.push(longAmplitude(tl, day));
    if (day.work <= d.PASSENGERS_DAILY_MAX) continue;
    const monday = day.label - weekday(day.label);
    const nth = (overTen.get(monday) ?? 0) + 1;
    overTen.set(monday, nth);
    const reason = noDerogation(tl, day, monday, nth);
    if (reason) found.push(over(tl, day, "daily-work-passengers", d.PASSENGERS_DAILY_MAX, reason));
    else found.push(derogationToCheck(tl, day, nth));
  }
  return found;
}

const available = (day) =>
  day.spans.filter((s) => !s.work).reduce((total, s) => total + s.end - s.start, 0);

// R. 3312-51 limits the "temps de service", which for goods staff counts the time at the
// employer's disposal; the LIC's "disponibilité" may or may not be that time (daily.py).
function availabilityToCheck(tl, day, spare) {
  const d = tl.table.daily;
  const info = warning(tl.table, "availability-service-time");
  return {
    rule: info,
    dates: dayDates(day),
    figures: {
      work_minutes: minutes(day.work),
      availability_minutes: minutes(spare),
      limit_minutes: minutes(d.GOODS_DAILY_MAX),
    },
    explanation:
      `Journée commencée ${frenchMoment(tl.table.weekdays, day.start)} : ${duration(day.work)} de travail et ` +
      `${duration(spare)} de disponibilité, soit ${duration(day.work + spare)} si la disponibilité est du temps à ` +
      "disposition de l'employeur (attentes sur ordre, au lieu de travail ou dans le véhicule), qui compte dans le " +
      `temps de service limité à ${duration(d.GOODS_DAILY_MAX)} (R. 3312-51). À demander au conducteur et à ` +
      `l'employeur : la nature de ces périodes. Si c'est du temps à disposition : NATINF ${info.possible_natinf}.`,
    days: day.days,
  };
}

// Why no derogation of D. 3312-6 can cover this passenger day, or "" if one may.
function noDerogation(tl, day, monday, nth) {
  const d = tl.table.daily;
  const ten = duration(d.PASSENGERS_DAILY_MAX);
  if (day.work > d.PASSENGERS_DEROGATION_MAX) {
    const beyond = duration(day.work - d.PASSENGERS_DEROGATION_MAX);
    return `transport de voyageurs ; aucune dérogation ne dépasse ${duration(d.PASSENGERS_DEROGATION_MAX)}, dépassées de ${beyond}`;
  }
  const allowed = d.PASSENGERS_DEROGATIONS_PER_WEEK;
  if (nth > allowed) {
    return (
      `transport de voyageurs ; ${nth}e journée de plus de ${ten} de la semaine, les ` +
      `dérogations n'en couvrent que ${NUMBERS[allowed] ?? allowed}`
    );
  }
  if (nth === allowed) {
    const week = tl.weeks().find((w) => w.monday === monday);
    if (week?.observed) {
      const worked = tl.days.filter(
        (x) => monday <= x.label && x.label <= monday + 6 && x.work,
      ).length;
      const needed = d.PASSENGERS_SECOND_DEROGATION_DAYS;
      if (worked < needed) {
        return (
          `transport de voyageurs ; seconde journée de plus de ${ten} d'une semaine ` +
          `travaillée sur ${worked} jours, la dérogation exige ${needed} jours au moins`
        );
      }
    }
  }
  return "";
}

function over(tl, day, key, limit, reason) {
  const excess = day.work - limit;
  return {
    rule: rule(tl.table, key),
    dates: dayDates(day),
    figures: {
      work_minutes: minutes(day.work),
      limit_minutes: minutes(limit),
      excess_minutes: minutes(excess),
      amplitude_minutes: minutes(day.amplitude),
    },
    explanation:
      `Journée commencée ${frenchMoment(tl.table.weekdays, day.start)} : ${duration(day.work)} de ` +
      `travail pour un maximum de ${duration(limit)} (${reason}), soit ${duration(excess)} de trop.`,
    days: day.days,
  };
}

function derogationToCheck(tl, day, nth) {
  const d = tl.table.daily;
  const which = nth === 1 ? "la première" : "la seconde";
  const days = d.PASSENGERS_SECOND_DEROGATION_DAYS;
  const condition = nth === 1 ? "" : `, si la semaine est répartie sur ${days} jours au moins`;
  const info = warning(tl.table, "daily-work-derogation");
  return {
    rule: info,
    dates: dayDates(day),
    figures: {
      work_minutes: minutes(day.work),
      limit_minutes: minutes(d.PASSENGERS_DAILY_MAX),
      days_over_in_week: nth,
    },
    explanation:
      `Journée commencée ${frenchMoment(tl.table.weekdays, day.start)} : ${duration(day.work)} de ` +
      `travail, plus que les ${duration(d.PASSENGERS_DAILY_MAX)} de l'article D. 3312-6 (transport de ` +
      `voyageurs). C'est ${which} journée de plus de ${duration(d.PASSENGERS_DAILY_MAX)} de la semaine : ` +
      `une dérogation à ${duration(d.PASSENGERS_DEROGATION_MAX)} peut la couvrir${condition}, en cas ` +
      "d'urgence ou par accord collectif, 6 fois au plus par 12 semaines pour la seconde. À demander " +
      `à l'employeur : l'accord ou l'urgence invoqués. Sans dérogation : NATINF ${info.possible_natinf}.`,
    days: day.days,
  };
}

function longAmplitude(tl, day) {
  const d = tl.table.daily;
  const overNine = day.work > d.PASSENGERS_DAILY_MAX_LONG;
  const nine = duration(d.PASSENGERS_DAILY_MAX_LONG);
  const work = ` et ${duration(day.work)} de travail` + (overNine ? ` (plus de ${nine})` : "");
  return {
    rule: warning(tl.table, "passengers-amplitude"),
    dates: dayDates(day),
    figures: { amplitude_minutes: minutes(day.amplitude), work_minutes: minutes(day.work) },
    explanation:
      `Journée commencée ${frenchMoment(tl.table.weekdays, day.start)} : amplitude de ` +
      `${duration(day.amplitude)}${work}. Hors service régulier ou occasionnel, l'amplitude est de ` +
      `${duration(d.PASSENGERS_LONG_AMPLITUDE)} au plus (R. 3312-9) ; portée jusqu'à 14 h, elle exige ` +
      `l'autorisation de l'inspecteur du travail, ${nine} de travail au ` +
      "plus et des interruptions (R. 3312-11). À demander à l'employeur : le type de service et, le cas " +
      "échéant, l'autorisation.",
    days: day.days,
  };
}

function nightSeconds(day) {
  let total = 0;
  for (const span of day.spans) {
    if (!span.work) continue;
    for (let current = parisDate(span.start); midnight(current) < span.end; current++) {
      total += Math.max(
        0,
        Math.min(span.end, fiveAm(current)) - Math.max(span.start, midnight(current)),
      );
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
      figures: {
        work_minutes: minutes(day.work),
        night_work_minutes: minutes(night),
        limit_minutes: minutes(limit),
        excess_minutes: minutes(excess),
      },
      explanation:
        `Journée commencée ${frenchMoment(tl.table.weekdays, day.start)} avec du travail de nuit ` +
        `(${duration(night)} entre 0 h et 5 h) : ${duration(day.work)} de travail pour un maximum de ` +
        `${duration(limit)}, soit ${duration(excess)} de trop.`,
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

// Breaks (breaks.py): for the sectors L. 3312-2 may spare (UNCERTAIN_SCOPE), a shortfall is a
// question for the employer, not a finding.
// The exemption the employer may invoke (breaks.py _spared), or undefined when L. 3312-2
// surely applies: some work of the day was done for a sector it does not spare.
function sparedBy(tl, day) {
  const scope = tl.table.breaks.UNCERTAIN_SCOPE;
  const worked = [...day.workByEmployer.keys()].map((siren) => tl.sectors.get(siren));
  if (!worked.length || worked.some((sector) => sector === undefined || !(sector in scope)))
    return undefined;
  return scope[tl.sector(day.workByEmployer)];
}

function breaks(tl) {
  const b = tl.table.breaks;
  const piece = duration(b.SHORTEST_PIECE);
  const found = [];
  for (const day of tl.days) {
    if (day.work <= b.LONGEST_STRETCH) continue;
    const pieces = day.pauses.map(([start, end]) => end - start);
    const counted = sum(pieces.filter((p) => p >= b.SHORTEST_PIECE));
    const required = (b.THRESHOLDS.find(([threshold]) => day.work > threshold) ?? [0, 0])[1];
    const stretch = longestStretch(b, day);
    if (counted >= required && stretch <= b.LONGEST_STRETCH) continue;
    const problems = [];
    if (counted < required) {
      const short = sum(pieces.filter((p) => p < b.SHORTEST_PIECE));
      const uncounted = short
        ? ` ; ${duration(short)} de pauses de moins de ${piece} ne comptent pas`
        : "";
      problems.push(
        `${duration(day.work)} de travail et ${duration(counted)} de pause pour ${duration(required)} ` +
          `exigées${uncounted}`,
      );
    }
    if (stretch > b.LONGEST_STRETCH) {
      problems.push(
        `${duration(stretch)} de travail d'affilée sans pause d'au moins ${piece} ` +
          `(maximum ${duration(b.LONGEST_STRETCH)})`,
      );
    }
    const figures = {
      work_minutes: minutes(day.work),
      break_minutes: minutes(counted),
      required_break_minutes: minutes(required),
      longest_stretch_minutes: minutes(stretch),
    };
    const explanation = `Journée commencée ${frenchMoment(tl.table.weekdays, day.start)} : ${problems.join(" ; ")}`;
    const spared = sparedBy(tl, day);
    if (spared === undefined) {
      const breach = {
        rule: rule(tl.table, "breaks"),
        dates: dayDates(day),
        figures,
        explanation: `${explanation}.`,
      };
      found.push({ ...breach, days: day.days });
      continue;
    }
    const info = warning(tl.table, "breaks-scope");
    found.push({
      rule: info,
      dates: dayDates(day),
      figures,
      explanation:
        `${explanation}. L'article L. 3312-2 ne s'applique pas aux ${spared} : à demander à ` +
        `l'employeur. Sinon : NATINF ${info.possible_natinf}.`,
      days: day.days,
    });
  }
  return found;
}

function weekWork(tl, week) {
  const totals = new Map();
  for (const span of tl.spans) {
    if (span.work && span.start < week.end && span.end > week.start) {
      totals.set(
        span.employer,
        (totals.get(span.employer) ?? 0) +
          Math.min(span.end, week.end) -
          Math.max(span.start, week.start),
      );
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
    if (start < week.end && end > week.start)
      longest = Math.max(longest, end - Math.max(start, week.start));
  }
  const running = last < week.end;
  if (running) longest = Math.max(longest, Math.max(tl.at, last) - Math.max(last, week.start));
  return [longest, running];
}

const weekFlags = (tl, week) => (week.start >= tl.windowStart ? [] : ["partial-week"]);
const period = (tl, week) =>
  `Semaine du ${frenchDay(tl.table.weekdays, week.monday)} au ${frenchDay(tl.table.weekdays, week.monday + 6)}`;

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
    if (days.length > w.MAX_DAYS_WORKED)
      problems.push(`${days.length} jours travaillés (maximum ${w.MAX_DAYS_WORKED})`);
    if (!rested) {
      problems.push(
        `plus long repos de ${duration(rest)} (au moins ${duration(w.WEEKLY_REST_MINIMUM)} consécutives)`,
      );
    }
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

// The sector's maximum of work in one calendar week; NATINF 11289 is worded for goods
// transport: for passenger staff the same figure is a warning to qualify (weekly.py).
function weeklyMax(tl) {
  const w = tl.table.weekly;
  const found = [];
  for (const week of tl.weeks()) {
    const byEmployer = weekWork(tl, week);
    const work = sum([...byEmployer.values()]);
    const sector = tl.sector(byEmployer);
    const limit = w.WEEKLY_MAXIMUM[sector];
    if (work <= limit) continue;
    const involved = tl.days.filter((d) => d.end > week.start && d.start < week.end && d.work);
    const figures = {
      work_minutes: minutes(work),
      limit_minutes: minutes(limit),
      excess_minutes: minutes(work - limit),
    };
    const explanation =
      `${period(tl, week)} : ${duration(work)} de travail pour un maximum de ${duration(limit)} ` +
      `(${tl.table.sectors[sector]}), soit ${duration(work - limit)} de trop`;
    const dates = [week.monday, week.monday + 6];
    if (sector === PASSENGERS) {
      found.push({
        rule: warning(tl.table, "weekly-max-passengers"),
        dates,
        figures,
        explanation:
          `${explanation}. Maximum de l'article L. 3121-20 du code du travail ; la NATINF ` +
          `${rule(tl.table, "weekly-max").natinf} ne vise que le transport de marchandises : ` +
          "infraction à qualifier par l'agent.",
        days: union(involved.map((d) => d.days)),
      });
      continue;
    }
    found.push({
      rule: rule(tl.table, "weekly-max"),
      dates,
      figures,
      explanation: `${explanation}.`,
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
    for (const [siren, work] of weekWork(tl, week))
      byEmployer.set(siren, (byEmployer.get(siren) ?? 0) + work);
  }
  const sector = tl.sector(byEmployer);
  const average = Math.floor(sum([...byEmployer.values()]) / weeks.length);
  const limit = w.AVERAGE_MAXIMUM[sector];
  if (average <= limit) return [];
  const periodText = w.AVERAGE_PERIOD[sector] ?? "la période de référence";
  return [
    {
      rule: warning(tl.table, "weekly-average"),
      dates: [weeks[0].monday, weeks.at(-1).monday + 6],
      figures: {
        average_minutes: minutes(average),
        limit_minutes: minutes(limit),
        weeks: weeks.length,
      },
      explanation:
        `Moyenne de ${duration(average)} de travail par semaine sur les ${weeks.length} semaines complètes ` +
        `du relevé, pour une moyenne maximale de ${duration(limit)} sur ${periodText} ` +
        `(${tl.table.sectors[sector]}) : à vérifier sur la période complète, ce n'est pas une infraction constatée.`,
    },
  ];
}

// Rules that depend on the timeline, hence on the version (engine.py TIMELINE_RULES).
export const TIMELINE_RULES = [dailyRest, dailyWork, nightWork, breaks, weeklyRest, weeklyMax];

// Live entry: an activity must be in progress at the control; a suggestion to confirm.
export function noLiveEntry(tl) {
  const { record, at } = tl;
  const seconds = (iso) => Date.parse(iso) / 1000;
  for (const day of [...record.days].reverse()) {
    for (const activity of day.activities) {
      if (seconds(activity.start) <= at && (activity.end === null || seconds(activity.end) > at))
        return [];
    }
  }
  let latest = null;
  let latestStart = -Infinity;
  record.days.forEach((day, index) => {
    const start = Math.max(...day.activities.map((a) => seconds(a.start)));
    if (start > latestStart) [latest, latestStart] = [index, start];
  });
  const last = latest === null ? null : record.days[latest];
  const sector = last
    ? record.employers.find((e) => e.siren === last.employer).sector
    : record.employers[0].sector;
  const ended = tl.spans.length ? Math.max(...tl.spans.map((s) => s.end)) : null;
  const moment = (m) => frenchMoment(tl.table.weekdays, m);
  const since = ended !== null ? ` ; dernière activité terminée ${moment(ended)}` : "";
  return [
    {
      rule: rule(tl.table, sector === PASSENGERS ? "no-live-entry-passengers" : "no-live-entry"),
      dates: [parisDate(at)],
      figures: ended === null ? {} : { since_last_entry_minutes: minutes(at - ended) },
      explanation:
        `Aucune activité en cours dans le livret au moment du contrôle (${moment(at)})${since}. ` +
        "Infraction suggérée, à confirmer par l'agent.",
      days: latest === null ? new Set() : new Set([latest]),
      flags: ["suggested"],
    },
  ];
}
