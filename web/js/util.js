// Small helpers with no page state: timing, ids, seat lists and date formatting.

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** crypto.randomUUID exists only in secure contexts (https, localhost); fall back for plain http on a LAN. */
export function uuid() {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** "seat B5" / "seats B5, B6", in the order given (see inLayoutOrder in state.js). */
export function listSeats(seatNumbers) {
  return `${seatNumbers.length === 1 ? "seat" : "seats"} ${seatNumbers.join(", ")}`;
}

const DATE_TIME = {
  weekday: "short",
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
};
const dateFormat = new Intl.DateTimeFormat(undefined, DATE_TIME);
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
export const formatDate = (iso) => dateFormat.format(new Date(iso));
export const formatTime = (iso) => timeFormat.format(new Date(iso));

const localFormat = new Intl.DateTimeFormat(undefined, { ...DATE_TIME, timeZone: "UTC" });

/**
 * A show's start as the venue's wall clock shows it, with the zone: "Sat, 1 Mar 2031, 19:30 (Europe/Vienna)".
 * `startsAtLocal` ("2031-03-01T19:30:00") is already local, so it is formatted as if it were UTC, which shifts nothing.
 */
export function formatLocalStart(startsAtLocal, timeZone) {
  const parts = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(startsAtLocal ?? "");
  if (!parts) return null;
  const [, year, month, day, hour, minute] = parts.map(Number);
  return `${localFormat.format(new Date(Date.UTC(year, month - 1, day, hour, minute)))} (${timeZone})`;
}

/** How a seat's status reads on the page: BLOCKED seats are "off sale" (taken off sale, or the show was cancelled). */
export const statusText = (status) => (status === "BLOCKED" ? "off sale" : status.toLowerCase());
