import { toGlobalId, toOptionalGlobalId } from "../graphql/global-id.js";
import { type BookingEventTypeName } from "./event-types.js";

/** A row of booking_events (the sequenced log) as `pg` or Prisma's raw queries return it. */
export interface BookingEventRow {
  sequence: bigint | string;
  id: string;
  type: string;
  show_id: string;
  position: bigint | string;
  booking_id: string | null;
  seat_versions: (bigint | string)[];
  data: unknown;
  occurred_at: Date | string;
}

/**
 * An event as every channel carries it (webhook body, broker message, `bookingEvents` node): the same id, type,
 * numbers and data, so a consumer that reads more than one channel dedupes by `id` and orders by `sequence` (global)
 * or `position` (per show). Large numbers are strings, as seat-map versions are.
 */
export interface EventEnvelope {
  /** Unique per event, the same on every channel and every retry: dedupe by it. */
  readonly id: string;
  readonly type: BookingEventTypeName;
  /** When the change was made (its transaction's start), RFC 3339 UTC. */
  readonly timestamp: string;
  /** Position in the whole log: contiguous, in commit order. */
  readonly sequence: string;
  readonly showId: string;
  /** Position among the show's events: 1, 2, 3… without gaps. */
  readonly position: number;
  readonly bookingId: string | null;
  /** The seat versions the change produced (seatMapChanged's versions). */
  readonly seatVersions: string[];
  /** The booking (booking.*) or show (show.*) as the API returns it, or the seats (seats.*). */
  readonly data: Record<string, unknown>;
}

export function toEnvelope(row: BookingEventRow): EventEnvelope {
  return {
    id: row.id,
    type: row.type as BookingEventTypeName,
    timestamp: new Date(row.occurred_at).toISOString(),
    sequence: String(row.sequence),
    showId: toGlobalId("Show", row.show_id),
    position: Number(row.position),
    bookingId: toOptionalGlobalId("Booking", row.booking_id),
    seatVersions: row.seat_versions.map(String),
    data: withGlobalIds(row.type, (typeof row.data === "string" ? JSON.parse(row.data) : row.data) as EventData),
  };
}

type EventData = Record<string, unknown>;

/**
 * The event's data with the ids the API returns (the database writes its own ids; a consumer passes these to `node`):
 * booking.* data is a booking (`id`, `showId`), show.* a show (`id`, `venueId`), seats.* names its show (`showId`).
 */
function withGlobalIds(type: string, data: EventData): EventData {
  const ids: Record<string, "Show" | "Booking" | "Venue"> = type.startsWith("booking.")
    ? { id: "Booking", showId: "Show" }
    : type.startsWith("show.")
      ? { id: "Show", venueId: "Venue" }
      : { showId: "Show" };
  const converted: EventData = { ...data };
  for (const [key, nodeType] of Object.entries(ids)) {
    const value = data[key];
    if (typeof value === "string") converted[key] = toGlobalId(nodeType, value);
  }
  return converted;
}

/** The columns of booking_events an EventEnvelope is made from. */
export const EVENT_COLUMNS =
  "e.sequence, e.id, e.type, e.show_id, e.position, e.booking_id, e.seat_versions, e.data, e.occurred_at";
