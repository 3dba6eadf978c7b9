import { type OutboxResult } from "../scenarios/outbox";
import { type LoadResult } from "../scenarios/booking-load";
import { type ContentionResult } from "../scenarios/contention";
import { type fanOut } from "../scenarios/fan-out";
import { type ScaleOutResult } from "../scenarios/scale-out";
import { type responseSize, type SeatMapReadResult } from "../scenarios/seat-map-reads";
import { type seedDesign } from "../scenarios/seed-design";
import { type StoredSeatsStep } from "../scenarios/stored-seats";
import { type LatencySummary } from "./stats";
import { type Check } from "./verify";

/** A scenario that could not run here, and why (a missing service, or a field the API does not have yet). */
export interface Skipped {
  readonly skipped: string;
}

export interface ReadsUnderLoad {
  readonly idle: SeatMapReadResult;
  readonly whileBooking: SeatMapReadResult;
  /** The bookers of the same show during `whileBooking`. */
  readonly writers: LoadResult;
}

/** Milliseconds of a step repeated a few times: each sample in order, their median, the slowest. */
export interface Timing {
  readonly samples: number[];
  readonly median: number;
  readonly max: number;
}

/** The generated venue of the `venue` scenario, by its numbers. */
export interface VenueShape {
  readonly seats: number;
  readonly sections: number;
  readonly rows: number;
  readonly aisles: number;
  readonly gaps: number;
  readonly wheelchairPairs: number;
}

/** How one show's seats were inserted, from pg_stat_statements. */
export interface SeatInserts {
  /** Calls of any statement inserting into `seats`. */
  readonly statements: number;
  readonly materializeCalls: number;
  /** Rows those statements inserted. */
  readonly rows: number;
  /** `materialize_seats`' own execution time. */
  readonly materializeMs: number;
}

/** The two seat-map reads of the `venue` scenario: the layout page (`map`) and the full seat list (`seats`). */
export type VenueReads<T> = { readonly map: T; readonly seats: T };

export interface VenueResult {
  readonly venue: VenueShape;
  readonly repetitions: number;
  readonly createVenueMs: Timing;
  readonly createShowMs: Timing;
  readonly seatInserts:
    | {
        readonly perShow: SeatInserts[];
        readonly materializeMs: Timing;
        /** Every show's seats went in with one statement, `materialize_seats`, of all its seats. */
        readonly oneStatementEach: boolean;
      }
    | Skipped;
  /** The first read of each new show, with `Accept-Encoding: gzip` (the seat list read right after the map). */
  readonly firstReadMs: VenueReads<Timing>;
  /** Reads of the last show one at a time, with `Accept-Encoding: gzip`. */
  readonly warmRead: VenueReads<LatencySummary>;
  readonly responseBytes: VenueReads<{ uncompressed: number; gzip: number }>;
  /** Best-available holds one at a time, each by another user and cancelled after (the cancel untimed). */
  readonly hold: LatencySummary & {
    quantity: number;
    categories: string[];
    /** Holds whose `HoldSeatsPayload.adjacent` disagreed with where their seats are. */
    adjacentFlagWrong: number;
  };
  readonly showIds: string[];
}

/** What one run measured, as stored in the JSON results (every scenario optional: `--only` runs a subset). */
export interface BenchResults {
  flashSale?: { users: number; api: LoadResult; raw: LoadResult }[];
  explicitSale?: { users: number; api: LoadResult };
  hotSeats?: { api: LoadResult; raw: LoadResult };
  seedDesign?: Awaited<ReturnType<typeof seedDesign>>;
  contention?: ContentionResult | Skipped;
  seatMapReads?: { availability: ReadsUnderLoad | Skipped; full: ReadsUnderLoad };
  responseSizes?: {
    availability: Awaited<ReturnType<typeof responseSize>> | Skipped;
    full: Awaited<ReturnType<typeof responseSize>>;
  };
  fanOut?: Awaited<ReturnType<typeof fanOut>>;
  scaleOut?: ScaleOutResult;
  storedSeats?: StoredSeatsStep[];
  venue?: VenueResult;
  outbox?: OutboxResult;
}

export interface BenchReport {
  readonly startedAt: string;
  readonly mode: string;
  readonly settings: {
    readonly headlineUsers: number;
    readonly seatMapSeats: number;
    readonly [key: string]: unknown;
  };
  readonly machine: Record<string, unknown>;
  readonly results: BenchResults;
  targets?: TargetRow[];
  readonly checks: Check[];
}

export interface TargetRow {
  readonly measure: string;
  /** This run's value, as shown (with the raw figures it comes from). */
  readonly value: string;
  readonly target: string;
  /** null: not measured in this run (skipped, or not part of `--only`). */
  readonly met: boolean | null;
  /** The seed design's figure from the same run, where one compares. */
  readonly seed: string;
}

export const isSkipped = (value: object): value is Skipped => "skipped" in value;
