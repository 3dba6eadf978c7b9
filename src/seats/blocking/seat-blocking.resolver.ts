import { Arg, Authorized, Mutation, Resolver } from "type-graphql";
import { type Outcome } from "../../domain/problem.js";
import { toUserError } from "../../graphql/user-error.type.js";
import { withDatabaseIds } from "../../graphql/global-id.js";
import { inputProblems } from "../../graphql/validation.js";
import { type SeatRecord } from "../seat.service.js";
import { BlockSeatsInput, UnblockSeatsInput } from "./seat-blocking.input.js";
import { SeatBlockPayload } from "./seat-blocking.payload.js";
import { SeatBlockingService } from "./seat-blocking.service.js";

const toPayload = (outcome: Outcome<SeatRecord[]>): SeatBlockPayload => ({
  seats: outcome.ok ? outcome.value : [],
  userErrors: outcome.ok ? [] : outcome.problems.map(toUserError),
});

@Resolver()
export class SeatBlockingResolver {
  constructor(private readonly blocking: SeatBlockingService) {}

  @Authorized("admin")
  @Mutation(() => SeatBlockPayload, {
    description:
      "Takes seats off sale (BLOCKED, with a reason), all or nothing: each must be AVAILABLE or already BLOCKED " +
      "(its reason is replaced). Held (even lapsed) or booked seats: SEATS_UNAVAILABLE. Admins only.",
  })
  async blockSeats(
    @Arg("input", () => BlockSeatsInput, { validate: false, description: "Which seats, and why." })
    given: BlockSeatsInput,
  ): Promise<SeatBlockPayload> {
    const input = withDatabaseIds(given, { showId: "Show" });
    const problems = await inputProblems(input);
    if (problems.length > 0) return { seats: [], userErrors: problems.map(toUserError) };
    return toPayload(await this.blocking.block(input.showId, input.seatNumbers, input.reason));
  }

  @Authorized("admin")
  @Mutation(() => SeatBlockPayload, {
    description:
      "Puts BLOCKED seats back on sale (AVAILABLE), all or nothing: any seat not BLOCKED gives INVALID_STATE. " +
      "Admins only.",
  })
  async unblockSeats(
    @Arg("input", () => UnblockSeatsInput, { validate: false, description: "Which seats." })
    given: UnblockSeatsInput,
  ): Promise<SeatBlockPayload> {
    const input = withDatabaseIds(given, { showId: "Show" });
    const problems = await inputProblems(input);
    if (problems.length > 0) return { seats: [], userErrors: problems.map(toUserError) };
    return toPayload(await this.blocking.unblock(input.showId, input.seatNumbers));
  }
}
