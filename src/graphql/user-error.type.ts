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
        "A configured limit was reached: active holds per user (MAX_ACTIVE_HOLDS_PER_USER) or hold extensions.",
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
