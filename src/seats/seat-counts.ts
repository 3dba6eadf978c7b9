import { LRUCache } from "lru-cache";
import { isUuid } from "../domain/ids.js";
import { type CountedShow, type SeatCounts, type SeatCountStore } from "./seat-counts.store.js";

export type { SeatCounts } from "./seat-counts.store.js";

/** The live seat maps' counts (src/seats/live): a show's counts now, or null when it is not live in this process. */
export interface LiveSeatCounts {
  countsOf(showId: string): SeatCounts | null;
}

/** About 10,000 shows (an entry is a few hundred bytes); a show that does not fit is counted again when asked for. */
export const SEAT_COUNT_CACHE_BYTES = 4 * 1024 * 1024;
/** An entry: its id and version, the snapshot text, the counts, and the object and LRU overhead. */
const entryBytes = (counted: CountedShow) => 250 + 2 * (counted.snapshot.length + counted.version.length);
/** Totals check this many shows per statement, so a refresh holds a bounded list of ids whatever the show count. */
const TOTALS_CHUNK = 1000;

const NO_SEATS: SeatCounts = { available: 0, held: 0, booked: 0, blocked: 0 };

/** A count on its way: when it was sent, and what it will answer. */
interface CountInFlight {
  readonly sentAt: number;
  readonly result: Promise<Map<string, CountedShow>>;
}

/**
 * Seat counts by show at a cost that grows with the shows asked for, not with the seats stored. A show live in this
 * process answers from its live seat map (no query). Any other show answers from a per-process cache of counts read
 * with their seat-map version (highest seat version, snapshot); every use checks the cached shows of the request in
 * one statement of index probes (showChangedSince: "did any seat of this show change since that version"), and only
 * the shows missing or changed are counted again, together, in one grouped read of their seats.
 *
 * Freshness: counts from the cache or a count are exact as of a statement that began after the call did, so a
 * caller sees every change committed before it asked (read-your-writes), including changes by other processes and
 * by transactions that drew their version before a count and committed after it (the snapshot catches those, where
 * comparing highest versions would keep the count stale for ever). Counts from a live map have its freshness
 * contract instead. All of it on the database `store` reads: a read replica may lag the primary.
 *
 * No counter row is kept: the claim path writes nothing more than before.
 */
export class SeatCountCache {
  private readonly entries = new LRUCache<string, CountedShow>({
    maxSize: SEAT_COUNT_CACHE_BYTES,
    sizeCalculation: entryBytes,
  });
  /** The latest count sent for a show, shared by callers that began before it was sent. */
  private readonly inFlight = new Map<string, CountInFlight>();
  /** Orders calls and counts sent: a count sent after a call began saw everything committed before it began. */
  private clock = 0;

  constructor(
    private readonly store: SeatCountStore,
    private readonly live?: LiveSeatCounts,
  ) {}

  /** Counts of the shows, in order; unknown shows have none. At most two statements (check, count). */
  async countsOf(showIds: readonly string[]): Promise<SeatCounts[]> {
    const began = ++this.clock;
    const keys = showIds.map((id) => (isUuid(id) ? id.toLowerCase() : null));
    const answers = new Map<string, SeatCounts>();
    const cached: [string, CountedShow][] = [];
    const missing: string[] = [];
    for (const key of new Set(keys)) {
      if (key === null) continue;
      const live = this.live?.countsOf(key);
      const entry = live ? undefined : this.entries.get(key);
      if (live) answers.set(key, live);
      else if (entry) cached.push([key, entry]);
      else missing.push(key);
    }
    if (cached.length > 0) {
      const changed = await this.store.changed(cached);
      for (const [key, entry] of cached) {
        if (changed.has(key)) missing.push(key);
        else answers.set(key, entry.counts);
      }
    }
    if (missing.length > 0) {
      for (const [key, counted] of await this.count(missing, began)) answers.set(key, counted.counts);
    }
    return keys.map((key) => (key !== null && answers.get(key)) || NO_SEATS);
  }

  /**
   * Seats of every show by status: the shows in chunks, each chunk through countsOf (so a refresh costs three index
   * probes per show plus a count of the shows changed since the last one; shows beyond the cache's ~10,000 are
   * counted every time). Each show's counts are exact as of its chunk's check; the sum is not one snapshot.
   */
  async totals(): Promise<SeatCounts> {
    const totals = { ...NO_SEATS };
    let after: string | null = null;
    for (;;) {
      const ids: string[] = await this.store.showIds(after, TOTALS_CHUNK);
      for (const counts of await this.countsOf(ids)) {
        totals.available += counts.available;
        totals.held += counts.held;
        totals.booked += counts.booked;
        totals.blocked += counts.blocked;
      }
      if (ids.length < TOTALS_CHUNK) return totals;
      after = ids.at(-1)!;
    }
  }

  /** Shows cached now (tests, diagnostics). */
  get size(): number {
    return this.entries.size;
  }

  /**
   * Counts the shows: a count already sent after this call `began` answers for its shows (a burst of readers after a
   * change shares one count); the rest are counted together, and kept.
   */
  private async count(showIds: readonly string[], began: number): Promise<Map<string, CountedShow>> {
    const shared = new Set<Promise<Map<string, CountedShow>>>();
    const unsent: string[] = [];
    for (const key of showIds) {
      const sent = this.inFlight.get(key);
      if (sent && sent.sentAt > began) shared.add(sent.result);
      else unsent.push(key);
    }
    if (unsent.length > 0) shared.add(this.send(unsent));
    const results = await Promise.all(shared);
    const counted = new Map<string, CountedShow>();
    for (const key of showIds) {
      const found = results.find((result) => result.has(key))?.get(key);
      if (found) counted.set(key, found);
    }
    return counted;
  }

  private send(showIds: readonly string[]): Promise<Map<string, CountedShow>> {
    const sending: CountInFlight = {
      sentAt: ++this.clock,
      result: this.store.count(showIds).then((counted) => {
        for (const [key, entry] of counted) this.entries.set(key, entry);
        return counted;
      }),
    };
    for (const key of showIds) this.inFlight.set(key, sending);
    const done = () => {
      for (const key of showIds) if (this.inFlight.get(key) === sending) this.inFlight.delete(key);
    };
    sending.result.then(done, done);
    return sending.result;
  }
}
