// The record as the rules see it (control/rules/timeline.py): spans of work on one real-time
// axis in unix seconds, blocks with no rest between them, and service days. The record is
// the JSON form (docs/record.md), as the browser's verifier gives it.
import { fromIsoDate, midnight, parisDate } from "/static/rules/time.js";

const seconds = (iso) => Date.parse(iso) / 1000;

export class Timeline {
  constructor(table, record, at, spans, blocks, days) {
    Object.assign(this, { table, record, at, spans, blocks, days });
    this.windowStartDay = fromIsoDate(record.window_start);
    this.windowStart = midnight(this.windowStartDay);
    this.sectors = new Map(record.employers.map((e) => [e.siren, e.sector]));
  }

  // The sector whose rules apply: the one worked for longest, the strictest on a tie.
  sector(workByEmployer) {
    const totals = new Map();
    for (const [siren, work] of workByEmployer) {
      const sector = this.sectors.get(siren);
      if (sector !== undefined) totals.set(sector, (totals.get(sector) ?? 0) + work);
    }
    if (!totals.size) return this.record.employers[0].sector;
    let best = null;
    for (const [sector, work] of totals) {
      const strict = -this.table.strictness[sector];
      if (best === null || work > best[1] || (work === best[1] && strict > best[2]))
        best = [sector, work, strict];
    }
    return best[0];
  }

  // The calendar weeks (Monday to Sunday, Paris) that the window touches.
  weeks() {
    const first = this.windowStartDay;
    const last = parisDate(this.at);
    const weeks = [];
    for (let monday = first - ((((first + 3) % 7) + 7) % 7); monday <= last; monday += 7) {
      const start = midnight(monday);
      const end = midnight(monday + 7);
      weeks.push({ monday, start, end, observed: start >= this.windowStart && end <= this.at });
    }
    return weeks;
  }
}

export function build(table, record, at, driverVersion = false) {
  const work = new Set(table.work_types);
  const spans = [];
  record.days.forEach((day, index) => {
    let activities = day.activities;
    if (driverVersion && day.driver_activities !== undefined) activities = day.driver_activities;
    for (const activity of activities) {
      if (activity.type === "break") continue;
      const start = seconds(activity.start);
      const end = activity.end === null ? at : Math.min(seconds(activity.end), at);
      if (end > start) {
        spans.push({
          start,
          end,
          work: work.has(activity.type),
          employer: activity.employer ?? day.employer,
          day: index,
        });
      }
    }
  });
  spans.sort((a, b) => a.start - b.start);
  const blocks = blockify(spans);
  return new Timeline(table, record, at, spans, blocks, serviceDays(table, spans, blocks));
}

function blockify(spans) {
  const blocks = [];
  let current = null;
  for (const span of spans) {
    if (current !== null && span.start <= current.end) {
      if (span.end > current.end) current = { start: current.start, end: span.end };
      continue;
    }
    if (current !== null) blocks.push(current);
    current = { start: span.start, end: span.end };
  }
  if (current !== null) blocks.push(current);
  return blocks;
}

function serviceDays(table, spans, blocks) {
  const groups = [];
  for (const block of blocks) {
    const last = groups.at(-1);
    if (last && block.start - last.at(-1).end < table.daily.DAILY_REST) last.push(block);
    else groups.push([block]);
  }
  const days = [];
  let position = 0;
  for (const group of groups) {
    const end = group.at(-1).end;
    const members = [];
    while (position < spans.length && spans[position].start < end) members.push(spans[position++]);
    let work = 0;
    const byEmployer = new Map();
    for (const span of members) {
      if (!span.work) continue;
      work += span.end - span.start;
      byEmployer.set(span.employer, (byEmployer.get(span.employer) ?? 0) + span.end - span.start);
    }
    days.push({
      label: parisDate(group[0].start),
      spans: members,
      blocks: group,
      work,
      days: new Set(members.map((s) => s.day)),
      workByEmployer: byEmployer,
      start: group[0].start,
      end,
      amplitude: end - group[0].start,
      pauses: group.slice(1).map((block, i) => [group[i].end, block.start]),
    });
  }
  return days;
}
