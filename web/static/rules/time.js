// Paris calendar and French wording for the rules (control/rules/timeline.py, french.py).
// Moments are unix seconds; dates are day numbers (days since 1970-01-01), as Python's
// `date` but easy to add to. Paris offsets come from the browser's time zone database.

const DAY = 86400;
const FORMAT = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/Paris",
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});
const parts = new Map();

// {year, month, day, hour, minute, second} of a moment in Paris.
export function paris(moment) {
  let found = parts.get(moment);
  if (!found) {
    found = {};
    for (const part of FORMAT.formatToParts(new Date(moment * 1000))) {
      if (part.type !== "literal") found[part.type] = Number(part.value);
    }
    parts.set(moment, found);
  }
  return found;
}

function offset(moment) {
  const p = paris(moment);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) / 1000 - moment;
}

export function dayNumber(year, month, day) {
  return Date.UTC(year, month - 1, day) / 1000 / DAY;
}

export function fromIsoDate(text) {
  const [year, month, day] = text.split("-").map(Number);
  return dayNumber(year, month, day);
}

export function isoDate(day) {
  return new Date(day * DAY * 1000).toISOString().slice(0, 10);
}

// Monday 0 … Sunday 6, as Python's weekday().
export function weekday(day) {
  return (((day + 3) % 7) + 7) % 7;
}

// Unix time of hour:00 in Paris on `day` (Python: datetime(..., tzinfo=PARIS), fold 0).
function localTime(day, hour) {
  const wall = day * DAY + hour * 3600;
  let guess = wall - offset(wall);
  guess = wall - offset(guess);
  return guess;
}

const midnights = new Map();
export function midnight(day) {
  let found = midnights.get(day);
  if (found === undefined) midnights.set(day, (found = localTime(day, 0)));
  return found;
}

export function fiveAm(day) {
  return localTime(day, 5);
}

export function parisDate(moment) {
  const p = paris(moment);
  return dayNumber(p.year, p.month, p.day);
}

const two = (n) => String(n).padStart(2, "0");

// French wording (french.py)
export function minutes(seconds) {
  return Math.floor(seconds / 60);
}

export function duration(seconds) {
  const total = minutes(seconds);
  const hours = Math.floor(total / 60);
  const rest = total % 60;
  if (!hours) return `${rest} min`;
  return rest ? `${hours} h ${two(rest)}` : `${hours} h`;
}

export function frenchDay(weekdays, day) {
  const [year, month, date] = isoDate(day).split("-");
  return `${weekdays[weekday(day)]} ${date}/${month}/${year}`;
}

export function frenchMoment(weekdays, moment) {
  const p = paris(moment);
  const day = dayNumber(p.year, p.month, p.day);
  return `${weekdays[weekday(day)]} ${two(p.day)}/${two(p.month)} à ${two(p.hour)} h ${two(p.minute)}`;
}
