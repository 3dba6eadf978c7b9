import { RETRYABLE_STATES, sqlState } from "../../db/db-errors.js";
import { type SqlClient } from "../../db/sql-client.js";
import { type SeatMapChange } from "../../domain/seat-change.js";
import { changesOfRow } from "../../bookings/sql/rows.js";
import { type BlockingRow, blockSeatsStatement, unblockSeatsStatement } from "./blocking.sql.js";

/** What a block or unblock statement decided, and the seat changes it made (to publish once it returned). */
export interface BlockingResult {
  readonly showFound: boolean;
  readonly showCancelled: boolean;
  readonly unknown: string[];
  readonly refused: string[];
  readonly changes: SeatMapChange[];
}

/** Attempts for a statement PostgreSQL aborted to break a deadlock (the lock order should make that impossible). */
const MAX_ATTEMPTS = 3;

/** Runs the seat blocking statements (blocking.sql.ts) on the booking statements' pool. */
export class SeatBlockingStore {
  constructor(private readonly sql: SqlClient) {}

  block(showId: string, seatNumbers: readonly string[], reason: string): Promise<BlockingResult> {
    return this.run(() => this.sql.query<BlockingRow>(blockSeatsStatement(showId, seatNumbers, reason)));
  }

  unblock(showId: string, seatNumbers: readonly string[]): Promise<BlockingResult> {
    return this.run(() => this.sql.query<BlockingRow>(unblockSeatsStatement(showId, seatNumbers)));
  }

  private async run(statement: () => Promise<BlockingRow[]>): Promise<BlockingResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        const [row] = await statement();
        return {
          showFound: row!.show_found,
          showCancelled: row!.show_cancelled,
          unknown: row!.unknown ?? [],
          refused: row!.refused ?? [],
          changes: changesOfRow(row!.changes),
        };
      } catch (error) {
        const state = sqlState(error);
        if (attempt >= MAX_ATTEMPTS || state === undefined || !RETRYABLE_STATES.has(state)) throw error;
      }
    }
  }
}
