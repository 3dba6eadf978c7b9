import { type UserErrorFieldsFragment } from "../../__generated__/graphql";

/*
 * The booking rules as a small in-memory model, for booking-model.property.test.ts: given the same commands as the
 * API, it says what each answer, and the show's rows afterwards, must be.
 */

export type Status = "PENDING" | "CONFIRMED" | "FAILED" | "REFUNDED";
export type Reason = "CANCELLED" | "EXPIRED" | "SEATS_UNAVAILABLE" | "CANCELLED_BY_ORGANIZER";

export interface ModelBooking {
  readonly label: string;
  readonly user: number;
  readonly seats: string[];
  status: Status;
  reason: Reason | null;
  /** PENDING but past its expiry (only meaningful while PENDING). */
  lapsed: boolean;
  extensions: number;
  /** The id the API gave it. */
  id: string;
  /** expiresAt as last reported by the API (for PENDING bookings). */
  expiresAt: string | null;
}

interface ModelSeat {
  status: "available" | "held" | "booked";
  owner: ModelBooking | null;
}

/** What the model expects an API command to answer. */
export interface Expected {
  code: UserErrorFieldsFragment["code"] | null;
  /** Status and failure reason of the booking in the answer; null: no booking in the answer. */
  booking: { status: Status; failureReason: Reason | null } | null;
  /** For SEATS_UNAVAILABLE: the taken seats, in request order. */
  seatNumbers?: string[];
}

/** The limits the API under test is configured with. */
export interface BookingRules {
  /** Every seat of the show, in seat-map order. */
  readonly seats: readonly string[];
  readonly maxActiveHolds: number;
  readonly maxExtensions: number;
}

export class Model {
  readonly bookings: ModelBooking[] = [];
  readonly seats: Map<string, ModelSeat>;

  constructor(private readonly rules: BookingRules) {
    this.seats = new Map(rules.seats.map((n) => [n, { status: "available" as const, owner: null }]));
  }

  private pendingOf(user: number): number {
    return this.bookings.filter((b) => b.user === user && b.status === "PENDING").length;
  }

  private releasedBy(user: number): Set<string> {
    const released = this.bookings.filter(
      (b) =>
        b.user === user &&
        ((b.status === "FAILED" && b.reason !== "SEATS_UNAVAILABLE") || (b.status === "PENDING" && b.lapsed)),
    );
    return new Set(released.flatMap((b) => b.seats));
  }

  private claimable(seat: string): boolean {
    const s = this.seats.get(seat)!;
    return s.status === "available" || (s.status === "held" && s.owner!.lapsed);
  }

  /** Seats `booking` still holds go back to AVAILABLE. */
  private release(booking: ModelBooking, reason: Reason): void {
    booking.status = "FAILED";
    booking.reason = reason;
    booking.lapsed = false;
    for (const seat of this.seats.values()) {
      if (seat.owner === booking) {
        seat.status = "available";
        seat.owner = null;
      }
    }
  }

  /** The answer to a hold; `record` adds the booking the API reports (if any) to the model. */
  hold(user: number, seats: string[]): { expected: Expected; record?: ModelBooking; tookLapsed?: boolean } {
    if (this.pendingOf(user) >= this.rules.maxActiveHolds)
      return { expected: { code: "LIMIT_EXCEEDED", booking: null } };
    // Model time stands still, so every seat the user released (cancelled, or let lapse) is still cooling down.
    if (seats.some((n) => this.releasedBy(user).has(n)))
      return { expected: { code: "REHOLD_COOLDOWN", booking: null } };
    const booking: ModelBooking = {
      label: `b${this.bookings.length}`,
      user,
      seats,
      status: "PENDING",
      reason: null,
      lapsed: false,
      extensions: 0,
      id: "",
      expiresAt: null,
    };
    const taken = seats.filter((n) => !this.claimable(n));
    if (taken.length > 0) {
      booking.status = "FAILED";
      booking.reason = "SEATS_UNAVAILABLE";
      return {
        expected: {
          code: "SEATS_UNAVAILABLE",
          booking: { status: "FAILED", failureReason: "SEATS_UNAVAILABLE" },
          seatNumbers: taken,
        },
        record: booking,
      };
    }
    const tookLapsed = seats.some((n) => this.seats.get(n)!.status === "held");
    for (const n of seats) this.seats.set(n, { status: "held", owner: booking });
    return {
      expected: { code: null, booking: { status: "PENDING", failureReason: null } },
      record: booking,
      tookLapsed,
    };
  }

  /** confirm, cancel or extend of `booking` by its owner. */
  act(kind: "confirm" | "cancel" | "extend", booking: ModelBooking): Expected {
    const answer = (code: Expected["code"]): Expected => ({
      code,
      booking: { status: booking.status, failureReason: booking.reason },
    });
    if (booking.status === "FAILED" && booking.reason === "EXPIRED") return answer("HOLD_EXPIRED");
    if (booking.status !== "PENDING") return answer("INVALID_STATE");
    if (booking.lapsed) {
      this.release(booking, "EXPIRED");
      return answer("HOLD_EXPIRED");
    }
    switch (kind) {
      case "confirm":
        booking.status = "CONFIRMED";
        for (const seat of this.seats.values()) if (seat.owner === booking) seat.status = "booked";
        return answer(null);
      case "cancel":
        this.release(booking, "CANCELLED");
        return answer(null);
      case "extend":
        if (booking.extensions >= this.rules.maxExtensions) return answer("LIMIT_EXCEEDED");
        booking.extensions++;
        return answer(null);
    }
  }

  /** Time passes for one PENDING booking: it lapses (its seats become claimable; it still counts as PENDING). */
  expire(booking: ModelBooking): void {
    booking.lapsed = true;
  }

  /** The expiry task: every lapsed PENDING booking becomes FAILED/EXPIRED. Returns how many. */
  sweep(): number {
    const due = this.bookings.filter((b) => b.status === "PENDING" && b.lapsed);
    for (const b of due) this.release(b, "EXPIRED");
    return due.length;
  }

  /** The show's rows as the model expects them, in a form that diffs well. */
  snapshot() {
    return {
      seats: this.rules.seats.map((n) => {
        const s = this.seats.get(n)!;
        return `${n} ${s.status}${s.owner ? ` ${s.owner.label}` : ""}`;
      }),
      bookings: this.bookings.map((b) => ({
        label: b.label,
        user: b.user,
        status: b.status,
        reason: b.reason,
        seats: b.seats,
        extensions: b.extensions,
        lapsed: b.status === "PENDING" && b.lapsed,
      })),
    };
  }
}
