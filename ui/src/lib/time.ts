// Local dates as "YYYY-MM-DD" strings and wall-clock times as "YYYY-MM-DDTHH:MM" strings, both
// already in the view's zone (the backend converts). Arithmetic is done on UTC dates so the
// browser's own zone never leaks in.

export function parseDate(date: string): Date {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

export function formatDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  const d = parseDate(date);
  d.setUTCDate(d.getUTCDate() + days);
  return formatDate(d);
}

/** The Monday of the week holding `date`. */
export function weekStart(date: string): string {
  const dow = (parseDate(date).getUTCDay() + 6) % 7;
  return addDays(date, -dow);
}

/** Whole days from `a` to `b`. */
export function daysBetween(a: string, b: string): number {
  return Math.round((parseDate(b).getTime() - parseDate(a).getTime()) / 86_400_000);
}

/** Minutes from `date`'s midnight to the wall-clock time `t` (may be negative or beyond 1440). */
export function minutesFrom(date: string, t: string): number {
  const day = daysBetween(date, t.slice(0, 10));
  const [h, m] = t.slice(11, 16).split(":").map(Number);
  return day * 1440 + h * 60 + m;
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "Tue 24 Nov". */
export function dayLabel(date: string): string {
  const d = parseDate(date);
  return `${WEEKDAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
}

/** "HH:MM" of minutes since midnight. */
export function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/** "HH:MM" of a wall-clock time string. */
export function clock(t: string): string {
  return t.slice(11, 16);
}

/** A short relative label for a message date (RFC 3339 UTC) as seen at `now`. */
export function ago(isoDate: string, now: string): string {
  const minutes = Math.max(0, Math.round((Date.parse(now) - Date.parse(isoDate)) / 60_000));
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours}h`;
  return `${Math.round(hours / 24)}d`;
}
