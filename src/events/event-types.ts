/**
 * The booking event types, as stored, as webhook and message `type`, and as the broker's routing key. Each has a
 * GraphQL enum name (BOOKING_HELD for "booking.held").
 */
export const BOOKING_EVENT_TYPES = [
  "booking.held",
  "booking.hold_extended",
  "booking.confirmed",
  "booking.cancelled",
  "booking.expired",
  "booking.cancelled_by_organizer",
  "booking.refunded",
  "booking.seats_changed",
  "show.created",
  "show.updated",
  "show.cancelled",
  "seats.blocked",
  "seats.unblocked",
] as const;

export type BookingEventTypeName = (typeof BOOKING_EVENT_TYPES)[number];

/** "booking.held" → "BOOKING_HELD". */
export const enumNameOf = (type: BookingEventTypeName): string => type.replace(".", "_").toUpperCase();

/** "BOOKING_HELD" → "booking.held"; undefined for a name that is not a type's. */
export function typeOfEnumName(name: string): BookingEventTypeName | undefined {
  return BOOKING_EVENT_TYPES.find((type) => enumNameOf(type) === name);
}

export function isBookingEventType(value: string): value is BookingEventTypeName {
  return (BOOKING_EVENT_TYPES as readonly string[]).includes(value);
}
