/**
 * Wall-clock times in IANA time zones, computed with Intl alone (Node 20 has no Temporal): validating zone names,
 * reading and writing "2027-03-01T19:30" local times, and converting between them and instants, DST included.
 */

/** A calendar date and wall-clock time with no zone or offset: what a venue prints on a ticket. */
export interface LocalDateTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

type WallClockField = keyof LocalDateTime;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

// A server sees a handful of zones; the bound only stops made-up (but valid) names from growing the cache forever.
const MAX_CACHED_FORMATTERS = 64;
const formatters = new Map<string, Intl.DateTimeFormat>();

// Newer engines accept offsets such as "+02:00" as time zones (ECMA-402 2024); a show needs a zone with DST rules.
const OFFSET_LIKE = /^[+\-\u2212]/;

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** Whether Intl knows this IANA zone name (in any case, as Intl reads it); offsets such as "+02:00" are not zones. */
export function isTimeZone(name: string): boolean {
  return formatterFor(name) !== null;
}

/**
 * Intl's spelling of a zone name ("europe/vienna" -> "Europe/Vienna"), null when unknown. Whether an alias resolves
 * to its target ("Asia/Calcutta" vs "Asia/Kolkata") is the engine's choice and differs between Node versions.
 */
export function canonicalTimeZone(name: string): string | null {
  return formatterFor(name)?.resolvedOptions().timeZone ?? null;
}

/** Reads "2027-03-01T19:30" or "2027-03-01T19:30:00" (no offset, no Z); null when malformed or not on the calendar. */
export function parseLocalDateTime(text: string): LocalDateTime | null {
  const match = LOCAL_DATE_TIME.exec(text);
  if (match === null) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map((digits) => Number(digits ?? 0));
  const local = { year, month, day, hour, minute, second };
  return isOnCalendar(local) ? local : null;
}

/** "2027-03-01T19:30:00"; years outside 0–9999 use the expanded form of Date#toISOString ("+010000", "-000001"). */
export function formatLocalDateTime(local: LocalDateTime): string {
  const date = `${formatYear(local.year)}-${pad2(local.month)}-${pad2(local.day)}`;
  return `${date}T${pad2(local.hour)}:${pad2(local.minute)}:${pad2(local.second)}`;
}

/**
 * The instant a wall-clock time in the zone names. A time skipped by a DST gap (02:30 on the night clocks spring
 * forward) is NONEXISTENT: the caller decides, rather than this guessing a shift. A time repeated by a DST overlap
 * (the night clocks fall back) gives the EARLIER of its two instants, as Temporal's "compatible" disambiguation does:
 * a 02:30 start then happens at the first 02:30, never an hour after the audience arrived.
 * Throws RangeError for an unknown zone or a time that is not on the calendar.
 */
export function localToInstant(local: LocalDateTime, zone: string): { instant: Date } | { problem: "NONEXISTENT" } {
  const formatter = requireFormatter(zone);
  if (!isOnCalendar(local)) throw new RangeError(`Not a date and time: ${formatLocalDateTime(local)}`);
  const wallMs = wallClockAsUtcMs(local);
  // Every zone's offset stays within ±16 hours, so the offsets a day either side (and at the time itself, in case two
  // transitions fall within those two days) include the one in force at the instant sought, if there is one.
  const offsets = new Set([wallMs - DAY_MS, wallMs, wallMs + DAY_MS].map((probe) => offsetMs(formatter, probe)));
  const matches = [...offsets]
    .map((offset) => wallMs - offset)
    .filter((candidate) => wallClockAsUtcMs(readWallClock(formatter, candidate)) === wallMs);
  if (matches.length === 0) return { problem: "NONEXISTENT" };
  return { instant: new Date(Math.min(...matches)) };
}

/** The wall-clock time in the zone at an instant, to the second (milliseconds are dropped, never rounded up). */
export function instantToLocal(instant: Date, zone: string): LocalDateTime {
  return readWallClock(requireFormatter(zone), validTime(instant));
}

/**
 * The zone's offset from UTC at an instant, in minutes east (+60 for Vienna in winter, -300 for New York). Whole for
 * every zone since standard time; local mean time before it can have seconds (Vienna until 1893: 65.35).
 */
export function offsetMinutes(instant: Date, zone: string): number {
  return offsetMs(requireFormatter(zone), validTime(instant)) / MINUTE_MS;
}

/**
 * RFC 3339 local time with its offset, e.g. "2027-03-01T19:30:00+01:00" ("+00:00" in UTC, which names the zone's
 * offset rather than an unknown one). Milliseconds appear only when the instant has them, so the string always parses
 * back to the same instant; for that reason a local-mean-time offset with seconds, which RFC 3339 cannot write, is
 * rounded to the minute and the time shown shifted to match it.
 */
export function formatOffsetDateTime(instant: Date, zone: string): string {
  const instantMs = validTime(instant);
  const offset = Math.round(offsetMs(requireFormatter(zone), instantMs) / MINUTE_MS);
  const shifted = new Date(instantMs + offset * MINUTE_MS);
  const local = formatLocalDateTime({
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    second: shifted.getUTCSeconds(),
  });
  const milliseconds = shifted.getUTCMilliseconds();
  const fraction = milliseconds === 0 ? "" : `.${String(milliseconds).padStart(3, "0")}`;
  const sign = offset < 0 ? "-" : "+";
  const size = Math.abs(offset);
  return `${local}${fraction}${sign}${pad2(Math.floor(size / 60))}:${pad2(size % 60)}`;
}

/** The zone's formatter, made once; null when Intl does not know the zone or it is a bare offset. */
function formatterFor(zone: string): Intl.DateTimeFormat | null {
  const cached = formatters.get(zone);
  if (cached !== undefined) return cached;
  if (OFFSET_LIKE.test(zone)) return null;
  let formatter: Intl.DateTimeFormat;
  try {
    // en-US with h23 gives Gregorian years with an era and hours 00–23 (hour12: false can print midnight as "24").
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      era: "short",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
  if (formatters.size >= MAX_CACHED_FORMATTERS) {
    const oldest = formatters.keys().next();
    if (oldest.done !== true) formatters.delete(oldest.value);
  }
  formatters.set(zone, formatter);
  return formatter;
}

function requireFormatter(zone: string): Intl.DateTimeFormat {
  const formatter = formatterFor(zone);
  if (formatter === null) throw new RangeError(`Unknown time zone: ${zone}`);
  return formatter;
}

function validTime(instant: Date): number {
  const time = instant.getTime();
  if (Number.isNaN(time)) throw new RangeError("Invalid Date");
  return time;
}

function readWallClock(formatter: Intl.DateTimeFormat, instantMs: number): LocalDateTime {
  const wall: Record<WallClockField, number> = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  let beforeChrist = false;
  for (const { type, value } of formatter.formatToParts(instantMs)) {
    if (type === "era") beforeChrist = value === "BC";
    else if (isWallClockField(type)) wall[type] = Number(value);
  }
  // Intl counts 1 BC, 2 BC, …; the proleptic Gregorian calendar of ISO 8601 and Date has year 0, -1, ….
  if (beforeChrist) wall.year = 1 - wall.year;
  return wall;
}

function isWallClockField(type: string): type is WallClockField {
  return ["year", "month", "day", "hour", "minute", "second"].includes(type);
}

/** How far the zone's wall clock is ahead of UTC at an instant, in milliseconds (a whole number of seconds). */
function offsetMs(formatter: Intl.DateTimeFormat, instantMs: number): number {
  const wholeSecond = Math.floor(instantMs / 1000) * 1000;
  return wallClockAsUtcMs(readWallClock(formatter, wholeSecond)) - wholeSecond;
}

/** The instant at which a UTC clock would show this wall-clock time. */
function wallClockAsUtcMs(local: LocalDateTime): number {
  // Date.UTC reads years 0–99 as 1900–1999; setUTCFullYear takes them as they are.
  const date = new Date(0);
  date.setUTCFullYear(local.year, local.month - 1, local.day);
  date.setUTCHours(local.hour, local.minute, local.second, 0);
  return date.getTime();
}

function isOnCalendar(local: LocalDateTime): boolean {
  const { year, month, day, hour, minute, second } = local;
  return (
    [year, month, day, hour, minute, second].every(Number.isInteger) &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour >= 0 &&
    hour <= 23 &&
    minute >= 0 &&
    minute <= 59 &&
    second >= 0 &&
    second <= 59
  );
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function formatYear(year: number): string {
  if (year >= 0 && year <= 9999) return String(year).padStart(4, "0");
  return `${year < 0 ? "-" : "+"}${String(Math.abs(year)).padStart(6, "0")}`;
}

function pad2(value: number): string {
  return String(value).padStart(2, "0");
}
