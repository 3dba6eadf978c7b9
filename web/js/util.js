// Small helpers with no page state: timing, ids, seat-number sorting and date formatting.

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

/** "AB3" → ["AB", 3]; rows sort A…Z, AA…; seats numerically. */
export function sortSeats(seatNumbers) {
  const key = (s) => {
    const [, row, n] = /^([A-Z]+)(\d+)$/.exec(s) ?? ["", s, "0"];
    return [row.length, row, Number(n)];
  };
  return [...seatNumbers].sort((a, b) => {
    const [la, ra, na] = key(a);
    const [lb, rb, nb] = key(b);
    return la - lb || (ra < rb ? -1 : ra > rb ? 1 : 0) || na - nb;
  });
}

export function listSeats(seatNumbers) {
  const sorted = sortSeats(seatNumbers);
  return `${sorted.length === 1 ? "seat" : "seats"} ${sorted.join(", ")}`;
}

const dateFormat = new Intl.DateTimeFormat(undefined, {
  weekday: "short",
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
export const formatDate = (iso) => dateFormat.format(new Date(iso));
export const formatTime = (iso) => timeFormat.format(new Date(iso));
