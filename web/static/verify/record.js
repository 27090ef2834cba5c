// The compact record of claim -70001, decoded and checked as control/record/compact.py,
// timeline.py and invariants.py do, and given in the JSON form of docs/record.md.
// A moment is {t: minutes since 1970-01-01T00:00Z, q: its UTC offset in quarters of an hour}.
import { Float, isBytes, isMap } from "./cbor.js";
import { lookup } from "./cose.js";
import { strip } from "./envelope.js";

export class RecordError extends Error {}

const VERSION = 1;
const BIRTH_EPOCH = -25567; // 1900-01-01, in days since 1970-01-01
const FIRST_DAY = -719162; // 0001-01-01: Python's date range
const LAST_DAY = 2932896; // 9999-12-31
const WINDOW_DAYS = 28;
const SECTORS = [
  "goods-long-distance",
  "goods-regional",
  "goods-parcel-cash",
  "passengers",
  "removals",
];
const TYPES = ["driving", "work", "support", "availability", "transfer", "break"];
const AUTHORS = ["driver", "employer"];
const GAP = 6;
const ESCAPE = 7;
const START_BIAS = 720;
const MAX_QUARTERS = 63;
const LIMITS = { name: 100, label: 60, plate: 16, observation: 2000, id: 64, url: 300 };
const MAX_EMPLOYERS = 16;
const [DRIVER, AUTOMATIC, EMPLOYER, CHANGED, DRIVER_OFFSET, EMPLOYER_OFFSET] = [1, 2, 4, 8, 16, 32];
// Python's `re` with `$`: a final newline may follow; `\d` is any decimal digit.
const SIREN = /^\p{Nd}{9}\n?$/u;
const INSEE = /^(\p{Nd}{5}|2[AB]\p{Nd}{3})\n?$/u;

class Schema extends Error {} // becomes "does not match the compact schema"

// --- Python's notions of int, text, truth and indexing, on cborg's values ---

function int(raw) {
  if (typeof raw === "number" && Number.isInteger(raw)) return raw;
  if (typeof raw === "bigint") {
    if (raw >= BigInt(Number.MIN_SAFE_INTEGER) && raw <= BigInt(Number.MAX_SAFE_INTEGER))
      return Number(raw);
    throw new Schema("integer out of range");
  }
  throw new Schema("integer expected");
}

function text(raw) {
  if (typeof raw !== "string") throw new Schema("text expected");
  return raw;
}

function bytes(raw) {
  if (!isBytes(raw)) throw new Schema("bytes expected");
  return raw;
}

function truthy(raw) {
  if (raw === null || raw === undefined || raw === false) return false;
  if (raw === 0 || raw === 0n || raw === "") return false;
  if (raw instanceof Float) return raw.value !== 0;
  if (Array.isArray(raw) || isBytes(raw)) return raw.length > 0;
  if (isMap(raw)) return raw.size > 0;
  return true;
}

function pyEqualsInt(raw, wanted) {
  if (raw instanceof Float) return raw.value === wanted;
  if (typeof raw === "boolean") return Number(raw) === wanted;
  if (typeof raw === "bigint") return raw === BigInt(wanted);
  return raw === wanted;
}

function at(list, index) {
  const i = int(index);
  const position = i < 0 ? list.length + i : i;
  if (position < 0 || position >= list.length) throw new Schema("index out of range");
  return list[position];
}

function array(raw, path, least, most) {
  if (!Array.isArray(raw) || raw.length < least || raw.length > most) {
    throw new RecordError(`${path}: array of ${least} to ${most} items expected`);
  }
  return raw;
}

function list(raw, path) {
  if (!Array.isArray(raw)) throw new RecordError(`${path}: array expected`);
  return raw;
}

function codePoints(value) {
  return [...value].length;
}

function day(days) {
  if (!Number.isSafeInteger(days) || days < FIRST_DAY || days > LAST_DAY)
    throw new Schema("date out of range");
  return days;
}

function moment(t, q) {
  const local = t + q * 15;
  if (local < FIRST_DAY * 1440 || local >= (LAST_DAY + 1) * 1440)
    throw new Schema("date value out of range");
  return { t, q };
}

const localDay = (m) => Math.floor((m.t + m.q * 15) / 1440);

export function isoDate(days) {
  return new Date(days * 86400000).toISOString().slice(0, 10).replace(/^\+0*/, "");
}

export function isoMoment(m) {
  const local = new Date((m.t + m.q * 15) * 60000).toISOString().slice(0, 16);
  const minutes = Math.abs(m.q * 15);
  const sign = m.q < 0 ? "-" : "+";
  return `${local}${sign}${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

// --- timelines (timeline.py) ---

class TimelineError extends Error {}

function tz(quarters) {
  if (quarters < -MAX_QUARTERS || quarters > MAX_QUARTERS)
    throw new TimelineError("UTC offset beyond ±15:45");
  return quarters;
}

const signed = (value, bits) => (value >= 1 << (bits - 1) ? value - (1 << bits) : value);

export function unpack(packed, dayDate, employers, dayEmployer) {
  const total = packed.length * 8;
  let position = 0;
  const read = (count) => {
    if (position + count > total)
      throw new TimelineError("timeline bits end in the middle of an item");
    let value = 0;
    for (let i = 0; i < count; i++, position++)
      value = value * 2 + ((packed[position >> 3] >> (7 - (position & 7))) & 1);
    return value;
  };
  const start = read(12) - START_BIAS;
  let q = tz(signed(read(7), 7));
  let cursor = moment(dayDate * 1440 - q * 15 + start, q);
  let employer = dayEmployer;
  const activities = [];
  let previousWasGap = false;
  let inProgress = false;
  while (total - position >= 8) {
    if (inProgress) throw new TimelineError("an activity in progress must be the last item");
    const code = read(3);
    if (code === ESCAPE) {
      const kind = read(2);
      if (kind === 0) q = tz(signed(read(7), 7));
      else if (kind === 1) {
        const index = read(4);
        if (index >= employers.length) throw new TimelineError("employer index out of range");
        employer = employers[index];
      } else if (kind === 2) {
        const type = read(3);
        if (type >= TYPES.length) throw new TimelineError("unknown activity type");
        activities.push({ type: TYPES[type], start: cursor, end: null, employer });
        previousWasGap = false;
        inProgress = true;
      } else throw new TimelineError("reserved escape");
      continue;
    }
    const prefix = read(2);
    let minutes;
    if (prefix < 2) minutes = (prefix << 5) | read(5);
    else if (prefix === 2) minutes = 64 + read(8);
    else minutes = 320 + read(16);
    if (minutes === 0) throw new TimelineError("zero-length segment");
    const end = moment(cursor.t + minutes, q);
    if (code === GAP) {
      if (!activities.length || previousWasGap)
        throw new TimelineError("a gap must separate two activities");
      previousWasGap = true;
    } else {
      activities.push({ type: TYPES[code], start: cursor, end, employer });
      previousWasGap = false;
    }
    cursor = end;
  }
  while (position < total) if (read(1)) throw new TimelineError("non-zero padding");
  if (!activities.length || previousWasGap)
    throw new TimelineError("a timeline has activities and does not end with a gap");
  return activities;
}

// --- the compact record (compact.py) ---

export function decodeRecord(data) {
  let record;
  try {
    record = decode(data);
  } catch (error) {
    if (error instanceof RecordError) throw error;
    if (error instanceof TimelineError) throw new RecordError(`days: timeline: ${error.message}`);
    throw new RecordError(`does not match the compact schema (${error.message})`);
  }
  checkRecord(record);
  return record;
}

function decode(data) {
  if (!isMap(data) || !pyEqualsInt(lookup(data, 0), VERSION))
    throw new RecordError(`not a version ${VERSION} compact record`);
  for (const key of data.keys()) {
    if (![0, 1, 2, 3, 4, 5, 6, 7].some((k) => pyEqualsInt(key, k)))
      throw new RecordError("unknown keys");
  }
  const need = (k) => {
    const found = [...data.keys()].some((key) => pyEqualsInt(key, k));
    if (!found) throw new Schema(`key ${k} missing`);
    return lookup(data, k);
  };
  const [driverId, family, given, birth] = array(need(1), "driver", 4, 4);
  const driver = {
    id: text(driverId),
    family_name: text(family),
    given_name: text(given),
    birth_date: day(BIRTH_EPOCH + int(birth)),
  };
  const employers = list(need(2), "employers").map((raw, i) => {
    const [siren, name, sector] = array(raw, `employers[${i}]`, 3, 3);
    const number = int(siren);
    if (number < 0 || number > 999999999)
      throw new RecordError(`employers[${i}].siren: out of range`);
    const code = int(sector);
    if (code < 0 || code >= SECTORS.length) throw new Schema("unknown sector");
    return { siren: String(number).padStart(9, "0"), name: text(name), sector: SECTORS[code] };
  });
  const sirens = employers.map((e) => e.siren);
  const windowStart = day(int(need(3)));
  const places = list(need(4), "places").map((raw, i) => {
    const items = array(raw, `places[${i}]`, 1, 2);
    return { insee: insee(items[0]), label: items.length === 2 ? text(items[1]) : null };
  });
  const plates = list(need(5), "plates").map(text);
  const odometers = new Map();
  const days = list(need(6), "days").map((raw, i) =>
    decodeDay(raw, i, windowStart, sirens, places, plates, odometers),
  );
  let full = null;
  if ([...data.keys()].some((key) => pyEqualsInt(key, 7))) {
    const [digest, url] = array(lookup(data, 7), "full_record", 2, 2);
    if (!isBytes(digest)) throw new RecordError("full_record.sha256: bytes expected");
    full = { sha256: digest, url: text(url) };
  }
  return { driver, employers, windowStart, days, full };
}

function insee(raw) {
  if ((typeof raw === "number" && Number.isInteger(raw)) || typeof raw === "bigint") {
    const value = int(raw);
    if (value < 0 || value > 99999) throw new Schema("INSEE code out of range");
    return String(value).padStart(5, "0");
  }
  return text(raw);
}

function decodeDay(raw, index, windowStart, sirens, places, plates, odometers) {
  const path = `days[${index}]`;
  const fields = array(raw, path, 3, 9).concat(Array(9 - raw.length).fill(null));
  const [
    offset,
    employerIndex,
    timeline,
    start,
    end,
    vehicles,
    validation,
    original,
    observations,
  ] = fields;
  const date = day(windowStart + int(offset));
  const employer = at(sirens, employerIndex);
  const activities = unpack(bytes(timeline), date, sirens, employer);
  const last = activities[activities.length - 1];
  const reference = last.end || last.start;
  const [driverValidation, employerValidation] = decodeValidation(validation, reference, path);
  const uses = list(truthy(vehicles) ? vehicles : [], `${path}.vehicles`).map((item, v) => {
    const [plateIndex, startDelta, distance] = array(item, `${path}.vehicles[${v}]`, 1, 3).concat(
      Array(3 - item.length).fill(null),
    );
    const plate = at(plates, plateIndex);
    let odometerStart = null;
    let odometerEnd = null;
    if (startDelta !== null && startDelta !== undefined) {
      odometerStart = (odometers.get(plate) || 0) + int(startDelta);
      odometerEnd =
        distance === null || distance === undefined ? null : odometerStart + int(distance);
      odometers.set(plate, odometerEnd || odometerStart);
    }
    return { plate, odometer_start: odometerStart, odometer_end: odometerEnd };
  });
  return {
    date,
    employer,
    activities,
    start_place: start === null || start === undefined ? null : at(places, start),
    end_place: end === null || end === undefined ? null : at(places, end),
    vehicles: uses,
    driver_validation: driverValidation,
    employer_validation: employerValidation,
    driver_activities:
      original === null || original === undefined
        ? null
        : unpack(bytes(original), date, sirens, employer),
    observations: list(truthy(observations) ? observations : [], `${path}.observations`).map(
      (item, o) => {
        const items = array(item, `${path}.observations[${o}]`, 3, 4);
        const author = int(items[0]);
        if (author < 0 || author >= AUTHORS.length) throw new Schema("unknown author");
        return {
          author: AUTHORS[author],
          at: when(items.slice(1, -1), reference),
          text: text(items[items.length - 1]),
        };
      },
    ),
  };
}

function decodeValidation(raw, reference, path) {
  if (raw === null || raw === undefined) return [null, null];
  const items = array(raw, `${path}.validation`, 1, 5);
  const flags = int(items[0]);
  let values = items.slice(1);
  if (flags >= 1 << 6 || (flags & (AUTOMATIC | DRIVER_OFFSET) && !(flags & DRIVER)))
    throw new RecordError(`${path}.validation: inconsistent flags`);
  if (flags & (CHANGED | EMPLOYER_OFFSET) && !(flags & EMPLOYER))
    throw new RecordError(`${path}.validation: inconsistent flags`);
  let driver = null;
  let employer = null;
  if (flags & DRIVER) {
    const taken = flags & DRIVER_OFFSET ? 2 : 1;
    driver = { at: when(values.slice(0, taken), reference), automatic: Boolean(flags & AUTOMATIC) };
    values = values.slice(taken);
  }
  if (flags & EMPLOYER) {
    const taken = flags & EMPLOYER_OFFSET ? 2 : 1;
    employer = { at: when(values.slice(0, taken), reference), changed: Boolean(flags & CHANGED) };
    values = values.slice(taken);
  }
  if (values.length)
    throw new RecordError(`${path}.validation: more values than the flags announce`);
  return [driver, employer];
}

function when(items, reference) {
  if (!items.length) throw new Schema("index out of range");
  let q = reference.q;
  if (items.length === 2) {
    q = int(items[1]);
    if (q < -64 || q > 63) throw new Schema("UTC offset out of range");
  }
  return moment(reference.t + int(items[0]), q);
}

// --- invariants (invariants.py, timelines already checked by unpack) ---

function checkText(path, value, kind) {
  if (!strip(value)) throw new RecordError(`${path}: must not be empty`);
  if (codePoints(value) > LIMITS[kind])
    throw new RecordError(`${path}: at most ${LIMITS[kind]} characters`);
}

function checkRecord(record) {
  checkText("driver.id", record.driver.id, "id");
  checkText("driver.family_name", record.driver.family_name, "name");
  checkText("driver.given_name", record.driver.given_name, "name");
  if (record.employers.length < 1 || record.employers.length > MAX_EMPLOYERS)
    throw new RecordError("employers: between 1 and 16 employers expected");
  const sirens = new Set();
  record.employers.forEach((employer, i) => {
    if (!SIREN.test(employer.siren))
      throw new RecordError(`employers[${i}].siren: a SIREN is exactly 9 digits`);
    if (sirens.has(employer.siren))
      throw new RecordError(`employers[${i}].siren: employer listed twice`);
    sirens.add(employer.siren);
    checkText(`employers[${i}].name`, employer.name, "name");
  });
  if (record.full) {
    if (record.full.sha256.length !== 32)
      throw new RecordError("full_record.sha256: a SHA-256 digest is 32 bytes");
    checkText("full_record.url", record.full.url, "url");
    if (!record.full.url.startsWith("https://"))
      throw new RecordError("full_record.url: the complete record must be served over https");
  }
  let previousEnd = null;
  const lastDay = record.days.length - 1;
  record.days.forEach((d, i) => {
    const path = `days[${i}]`;
    if (d.date < record.windowStart || d.date > record.windowStart + WINDOW_DAYS - 1)
      throw new RecordError(`${path}.date: day outside the 28-day window of the record`);
    inProgress(`${path}.activities`, d.activities, i === lastDay);
    if (localDay(d.activities[0].start) !== d.date)
      throw new RecordError(`${path}.date: must be the local date of the day's first activity`);
    if (previousEnd !== null && d.activities[0].start.t < previousEnd.t)
      throw new RecordError(`${path}.activities[0].start: overlaps the previous day`);
    previousEnd = d.activities[d.activities.length - 1].end;
    if (d.driver_activities !== null) {
      if (!d.employer_validation || !d.employer_validation.changed)
        throw new RecordError(
          `${path}.driver_activities: the driver's version is kept only for a day the employer changed`,
        );
      inProgress(`${path}.driver_activities`, d.driver_activities, false);
    }
    for (const [name, place] of [
      ["start_place", d.start_place],
      ["end_place", d.end_place],
    ]) {
      if (!place) continue;
      if (!INSEE.test(place.insee))
        throw new RecordError(
          `${path}.${name}.insee: an INSEE commune code is 5 characters (2A/2B for Corsica)`,
        );
      if (place.label !== null) checkText(`${path}.${name}.label`, place.label, "label");
    }
    d.vehicles.forEach((v, k) => {
      const where = `${path}.vehicles[${k}]`;
      checkText(`${where}.plate`, v.plate, "plate");
      for (const value of [v.odometer_start, v.odometer_end]) {
        if (value !== null && !(value >= 0 && value < 10000000))
          throw new RecordError(`${where}: odometer in km between 0 and 9 999 999`);
      }
      if (v.odometer_end !== null && v.odometer_start === null)
        throw new RecordError(`${where}.odometer_end: an end reading needs the start reading`);
      if (v.odometer_start !== null && v.odometer_end !== null && v.odometer_end < v.odometer_start)
        throw new RecordError(`${where}.odometer_end: smaller than the start reading`);
    });
    const stamps = [
      d.driver_validation?.at,
      d.employer_validation?.at,
      ...d.observations.map((o) => o.at),
    ];
    for (const stamp of stamps) {
      if (stamp && Math.abs(stamp.q) > MAX_QUARTERS)
        throw new RecordError(`${path}: UTC offset must be a multiple of 15 minutes within ±15:45`);
    }
    d.observations.forEach((o, k) =>
      checkText(`${path}.observations[${k}].text`, o.text, "observation"),
    );
  });
}

function inProgress(path, activities, openAllowed) {
  activities.forEach((activity, a) => {
    if (activity.end === null && !(openAllowed && a === activities.length - 1)) {
      throw new RecordError(
        `${path}[${a}].end: only the last activity of the last day may be in progress`,
      );
    }
  });
}

// --- the JSON form (json_form.record_to_json) ---

function activitiesJson(activities, dayEmployer) {
  return activities.map((a) => ({
    type: a.type,
    start: isoMoment(a.start),
    end: a.end === null ? null : isoMoment(a.end),
    ...(a.employer !== dayEmployer ? { employer: a.employer } : {}),
  }));
}

export function recordToJson(record) {
  const out = {
    format: "lic-record/1",
    driver: { ...record.driver, birth_date: isoDate(record.driver.birth_date) },
    employers: record.employers,
    window_start: isoDate(record.windowStart),
    complete: record.full === null,
  };
  if (record.full) {
    out.full_record = {
      sha256: Array.from(record.full.sha256, (b) => b.toString(16).padStart(2, "0")).join(""),
      url: record.full.url,
    };
  }
  out.days = record.days.map((d) => {
    const day = { date: isoDate(d.date), employer: d.employer };
    for (const name of ["start_place", "end_place"]) {
      const place = d[name];
      if (place) day[name] = { insee: place.insee, ...(place.label ? { label: place.label } : {}) };
    }
    day.vehicles = d.vehicles.map((v) => ({
      plate: v.plate,
      ...(v.odometer_start !== null ? { odometer_start: v.odometer_start } : {}),
      ...(v.odometer_end !== null ? { odometer_end: v.odometer_end } : {}),
    }));
    day.activities = activitiesJson(d.activities, d.employer);
    if (d.driver_validation)
      day.driver_validation = {
        at: isoMoment(d.driver_validation.at),
        automatic: d.driver_validation.automatic,
      };
    if (d.employer_validation)
      day.employer_validation = {
        at: isoMoment(d.employer_validation.at),
        changed: d.employer_validation.changed,
      };
    if (d.driver_activities !== null)
      day.driver_activities = activitiesJson(d.driver_activities, d.employer);
    day.observations = d.observations.map((o) => ({
      author: o.author,
      at: isoMoment(o.at),
      text: o.text,
    }));
    return day;
  });
  return out;
}
