import { Field, ObjectType, registerEnumType } from "type-graphql";
import { type Problem } from "../domain/problem.js";

/** Expected, actionable outcomes of a mutation. */
export enum UserErrorCode {
  INVALID_INPUT = "INVALID_INPUT",
  NOT_FOUND = "NOT_FOUND",
  SEATS_UNAVAILABLE = "SEATS_UNAVAILABLE",
  HOLD_EXPIRED = "HOLD_EXPIRED",
  INVALID_STATE = "INVALID_STATE",
  LIMIT_EXCEEDED = "LIMIT_EXCEEDED",
  SHOW_STARTED = "SHOW_STARTED",
  IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED",
  REHOLD_COOLDOWN = "REHOLD_COOLDOWN",
  ORPHAN_SEAT = "ORPHAN_SEAT",
  COMPANION_REQUIRES_ACCESSIBLE = "COMPANION_REQUIRES_ACCESSIBLE",
  SHOW_CANCELLED = "SHOW_CANCELLED",
  NOT_ALLOWED = "NOT_ALLOWED",
}

registerEnumType(UserErrorCode, {
  name: "UserErrorCode",
  description: "Why a mutation did not do what was asked.",
  valuesConfig: {
    INVALID_INPUT: { description: "An input value breaks a rule; `field` points at it." },
    NOT_FOUND: { description: "The show, booking or seat named in the input does not exist." },
    SEATS_UNAVAILABLE: { description: "Some requested seats are held or booked by someone else; see `seatNumbers`." },
    HOLD_EXPIRED: { description: "The hold lapsed before this request; its seats were released." },
    INVALID_STATE: { description: "The booking is not in a state that allows this (e.g. already confirmed)." },
    LIMIT_EXCEEDED: {
      description:
        "A configured limit was reached: active holds per user, hold extensions, hold time per show, seats held " +
        "from one client address, or the show's seats per customer (`Show.maxSeatsPerUser`).",
    },
    SHOW_STARTED: { description: "The show has started: its seats can no longer be held, extended or confirmed." },
    IDEMPOTENCY_KEY_REUSED: {
      description: "This idempotencyKey was already used for a different request; use a new key for a new request.",
    },
    REHOLD_COOLDOWN: {
      description: "You released these seats moments ago and may hold them again only after a short wait.",
    },
    ORPHAN_SEAT: {
      description:
        "The hold would leave a single free seat stranded between taken seats (listed in `seatNumbers`); the show " +
        "refuses that (`Show.noOrphanSeats`). Take it too, or choose seats that leave none alone.",
    },
    COMPANION_REQUIRES_ACCESSIBLE: {
      description: "A companion seat is held only together with a wheelchair space in the same hold.",
    },
    SHOW_CANCELLED: {
      description: "The organiser cancelled the show: nothing of it can be held, confirmed or changed.",
    },
    NOT_ALLOWED: {
      description: "The show's policy does not allow this (e.g. owners refunding their own bookings is switched off).",
    },
  },
});

@ObjectType({
  description: "An expected problem with a mutation's input or the current state; the mutation changed nothing.",
})
export class UserError {
  @Field(() => UserErrorCode, { description: "Machine-readable reason." })
  code!: UserErrorCode;

  @Field(() => String, { description: "Human-readable explanation, safe to show to an end user." })
  message!: string;

  @Field(() => [String], {
    nullable: true,
    description: 'Path of the offending input field, e.g. ["input", "seatNumbers"].',
  })
  field?: string[] | null;

  @Field(() => [String], { nullable: true, description: "The seats this error is about, when it is about seats." })
  seatNumbers?: string[] | null;
}

export function toUserError(problem: Problem): UserError {
  return Object.assign(new UserError(), {
    code: UserErrorCode[problem.code],
    message: problem.message,
    field: problem.field ?? null,
    seatNumbers: problem.seatNumbers ?? null,
  });
}
