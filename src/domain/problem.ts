/**
 * A service's description of an expected failure (a seat taken, a hold expired). Resolvers turn it into a
 * GraphQL `UserError`; services never see GraphQL types.
 */
export interface Problem {
  readonly code: ProblemCode;
  readonly message: string;
  readonly field?: string[];
  readonly seatNumbers?: string[];
}

export type ProblemCode =
  | "INVALID_INPUT"
  | "NOT_FOUND"
  | "SEATS_UNAVAILABLE"
  | "HOLD_EXPIRED"
  | "INVALID_STATE"
  | "LIMIT_EXCEEDED"
  | "SHOW_STARTED"
  | "IDEMPOTENCY_KEY_REUSED"
  | "REHOLD_COOLDOWN"
  | "ORPHAN_SEAT"
  | "COMPANION_REQUIRES_ACCESSIBLE"
  | "SHOW_CANCELLED"
  | "NOT_ALLOWED";

/** Outcome of a service command: the value, or the problems that stopped it (and possibly a value to report). */
export type Outcome<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problems: Problem[]; readonly value?: T };

export const success = <T>(value: T): Outcome<T> => ({ ok: true, value });

/** INVALID_INPUT pointing at a field of the mutation's `input` argument. */
export const invalidInput = (message: string, ...field: string[]): Problem => ({
  code: "INVALID_INPUT",
  message,
  field: ["input", ...field],
});
export const failure = <T>(problems: Problem | Problem[], value?: T): Outcome<T> => ({
  ok: false,
  problems: Array.isArray(problems) ? problems : [problems],
  ...(value === undefined ? {} : { value }),
});
