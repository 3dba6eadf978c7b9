import { type LoadResult } from "../scenarios/booking-load";
import { type ContentionResult } from "../scenarios/contention";
import { type fanOut } from "../scenarios/fan-out";
import { type ScaleOutResult } from "../scenarios/scale-out";
import { type responseSize, type SeatMapReadResult } from "../scenarios/seat-map-reads";
import { type seedDesign } from "../scenarios/seed-design";
import { type StoredSeatsStep } from "../scenarios/stored-seats";
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
