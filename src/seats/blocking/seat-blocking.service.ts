import { type SeatChangePublisher } from "../../bookings/booking.ports.js";
import { isUuid } from "../../domain/ids.js";
import { failure, invalidInput, type Outcome, type Problem, success } from "../../domain/problem.js";
import { type SeatRecord } from "../seat.service.js";
import { type BlockingResult, type SeatBlockingStore } from "./seat-blocking.store.js";

/** Most seats one blockSeats or unblockSeats names (a whole block of a hall, never a whole stadium at once). */
export const MAX_SEATS_PER_BLOCK = 1000;
/** Longest block reason, after trimming. */
export const MAX_BLOCK_REASON = 200;

/** Where the service reads the seats it changed, as they are afterwards (SeatService in the API). */
export interface BlockedSeatsReader {
  seatsOfBookings(bookings: readonly { showId: string; seatNumbers: string[] }[]): Promise<SeatRecord[][]>;
}

const noShow = (): Problem => ({ code: "NOT_FOUND", message: "No show with this id.", field: ["input", "showId"] });

/**
 * Takes seats off sale (BLOCKED, with a reason) and puts them back, for admins: house seats, camera positions, a
 * broken seat. Each command is one statement, all or nothing; its changes are published once it returned, so live
 * seat maps and subscribers see the seats BLOCKED ('X') or AVAILABLE again at once.
 */
export class SeatBlockingService {
  constructor(
    private readonly store: SeatBlockingStore,
    private readonly seats: BlockedSeatsReader,
    private readonly publisher: SeatChangePublisher,
  ) {}

  async block(showId: string, seatNumbers: readonly string[], reason: string): Promise<Outcome<SeatRecord[]>> {
    const trimmed = reason.trim();
    const problems = [
      ...this.seatListProblems(seatNumbers),
      ...(trimmed.length === 0 || trimmed.length > MAX_BLOCK_REASON
        ? [
            invalidInput(
              `reason must be 1 to ${MAX_BLOCK_REASON} characters (not counting surrounding spaces)`,
              "reason",
            ),
          ]
        : []),
    ];
    if (problems.length > 0) return failure(problems);
    if (!isUuid(showId)) return failure(noShow());
    const result = await this.store.block(showId, seatNumbers, trimmed);
    return this.outcome(showId, seatNumbers, result, (refused) => ({
      code: "SEATS_UNAVAILABLE",
      message: "Some seats are held or booked; only available (or already blocked) seats can be blocked.",
      seatNumbers: refused,
    }));
  }

  async unblock(showId: string, seatNumbers: readonly string[]): Promise<Outcome<SeatRecord[]>> {
    const problems = this.seatListProblems(seatNumbers);
    if (problems.length > 0) return failure(problems);
    if (!isUuid(showId)) return failure(noShow());
    const result = await this.store.unblock(showId, seatNumbers);
    return this.outcome(showId, seatNumbers, result, (refused) => ({
      code: "INVALID_STATE",
      message: "Some seats are not blocked; only blocked seats can be put back on sale.",
      seatNumbers: refused,
    }));
  }

  private seatListProblems(seatNumbers: readonly string[]): Problem[] {
    if (seatNumbers.length === 0 || seatNumbers.length > MAX_SEATS_PER_BLOCK)
      return [invalidInput(`seatNumbers must list 1 to ${MAX_SEATS_PER_BLOCK} seats`, "seatNumbers")];
    const duplicates = [...new Set(seatNumbers.filter((seat, i) => seatNumbers.indexOf(seat) !== i))];
    if (duplicates.length > 0)
      return [{ ...invalidInput("seatNumbers must not repeat a seat", "seatNumbers"), seatNumbers: duplicates }];
    return [];
  }

  /** The problems the statement found, in order of scope (show, then seats); else the seats as they are now. */
  private async outcome(
    showId: string,
    seatNumbers: readonly string[],
    result: BlockingResult,
    refusal: (refused: string[]) => Problem,
  ): Promise<Outcome<SeatRecord[]>> {
    // Published before anything else can fail: the statement committed.
    this.publisher.publish(result.changes);
    if (!result.showFound) return failure(noShow());
    if (result.showCancelled)
      return failure({ code: "SHOW_CANCELLED", message: "The show was cancelled: its seats stay off sale." });
    if (result.unknown.length > 0)
      return failure({ code: "NOT_FOUND", message: "The show has no such seats.", seatNumbers: result.unknown });
    if (result.refused.length > 0) return failure(refusal(result.refused));
    const [seats] = await this.seats.seatsOfBookings([{ showId, seatNumbers: [...seatNumbers] }]);
    return success(seats ?? []);
  }
}
