import { isUuid } from "../../domain/ids.js";
import { type SeatMapChange } from "../../domain/seat-change.js";
import { type Logger } from "../../platform/logger.js";
import { type SeatCounts } from "../seat.service.js";
import { LiveSeatMap } from "./live-seat-map.js";
import { type SeatMapSource } from "./seat-map-source.js";

export interface LiveSeatMapsOptions {
  readonly source: SeatMapSource;
  /** Other processes' committed changes of one show (the event bus); absent when changes stay in this process. */
  readonly subscribe?: (showId: string) => AsyncIterator<SeatMapChange>;
  /** How often every live map is checked against the database for changes it may have missed. */
  readonly repairIntervalMs: number;
  /** A map nobody read or booked for this long is dropped. */
  readonly idleMs: number;
  /** Most seats kept live in this process (least recently used shows are dropped first). */
  readonly maxSeats: number;
  readonly logger: Logger;
}

interface Entry {
  loading: Promise<LiveSeatMap | null>;
  map: LiveSeatMap | null;
  /** Changes that arrived while the map was loading, applied once it is. */
  readonly early: SeatMapChange[];
  readonly feed: AsyncIterator<SeatMapChange> | null;
  repairing: Promise<void> | null;
}

/**
 * The live seat maps of this process, one per show being read or booked (see LiveSeatMap). Each is loaded from one
 * snapshot and kept current:
 * - by this process's own committed changes, applied before the command that made them answers (read-your-writes);
 * - by other processes' changes from the event bus, as they arrive;
 * - by a repair, which reads from PostgreSQL every change the map's version may lack (the same query as
 *   `seatsChangedSince`, an index probe when nothing is missing): every `repairIntervalMs`, when the bus reconnects
 *   (events may have been lost meanwhile), and when a claim finds taken a seat the map thought free.
 * So a map is never further behind another process than the bus's delay, or one repair interval when the bus loses
 * events. PostgreSQL stays the only truth; the maps are a read model and an allocation hint.
 */
export class LiveSeatMaps {
  private readonly entries = new Map<string, Entry>();
  private timer: NodeJS.Timeout | null = null;
  private liveSeats = 0;
  /** Maps dropped from outside while they were loading (a reader waiting for one then loads it again). */
  private loadsDropped = 0;

  constructor(private readonly options: LiveSeatMapsOptions) {}

  /** The show's live map, loaded on first use; null when there is no such show. */
  async get(showId: string): Promise<LiveSeatMap | null> {
    if (!isUuid(showId)) return null;
    const loadsDroppedBefore = this.loadsDropped;
    let map = await this.mapOf(showId);
    // Dropped while it loaded (the show changed): what it read may predate the change, so read it once more.
    if (!map && this.loadsDropped !== loadsDroppedBefore) map = await this.mapOf(showId);
    if (map) map.lastUsed = performance.now();
    return map;
  }

  private async mapOf(showId: string): Promise<LiveSeatMap | null> {
    const entry = this.entries.get(showId) ?? this.load(showId);
    return entry.map ?? (await entry.loading);
  }

  /** The show's map if it is live in this process (never loads). */
  peek(showId: string): LiveSeatMap | null {
    return this.entries.get(showId)?.map ?? null;
  }

  /** The show's counts if it is live here; null otherwise. */
  countsOf(showId: string): SeatCounts | null {
    return this.peek(showId)?.seatCounts() ?? null;
  }

  /** Changes committed (by this process or reported by another), applied to the maps of shows that are live. */
  apply(changes: readonly SeatMapChange[]): void {
    for (const change of changes) {
      const entry = this.entries.get(change.showId);
      if (!entry) continue;
      if (entry.map) entry.map.apply(change.seats);
      else entry.early.push(change);
    }
  }

  /** Brings the show's map up to date with PostgreSQL (one repair in flight per show; callers share it). */
  repair(showId: string): Promise<void> {
    const entry = this.entries.get(showId);
    if (!entry?.map) return Promise.resolve();
    const map = entry.map;
    entry.repairing ??= (async () => {
      try {
        const { version, snapshot } = map.base;
        const repaired = await this.options.source.changedSince(showId, version, snapshot);
        map.apply(repaired.changes);
        map.rebase(repaired.snapshot);
      } finally {
        entry.repairing = null;
      }
    })();
    return entry.repairing;
  }

  /** Repairs every live map (after the event bus reconnected: events may have been lost while it was away). */
  async repairAll(): Promise<void> {
    await Promise.all([...this.entries.keys()].map((showId) => this.repair(showId).catch(() => {})));
  }

  /** Starts the periodic repairs and idle eviction. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.options.repairIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const showId of [...this.entries.keys()]) this.drop(showId);
  }

  private async tick(): Promise<void> {
    const idleBefore = performance.now() - this.options.idleMs;
    for (const [showId, entry] of this.entries) {
      if (entry.map && entry.map.lastUsed < idleBefore) this.drop(showId);
    }
    await Promise.all(
      [...this.entries.keys()].map((showId) =>
        this.repair(showId).catch((error: unknown) =>
          this.options.logger.warn("live seat map repair failed; retrying at the next interval", { showId, error }),
        ),
      ),
    );
  }

  private load(showId: string): Entry {
    // Subscribed before the snapshot is read, so no change committed after it can slip between the two.
    const feed = this.options.subscribe?.(showId) ?? null;
    const entry: Entry = { loading: Promise.resolve(null), map: null, early: [], feed, repairing: null };
    this.entries.set(showId, entry);
    entry.loading = (async () => {
      const loaded = await this.options.source.load(showId);
      if (!loaded || this.entries.get(showId) !== entry) return null;
      const map = new LiveSeatMap(showId, loaded.seats, loaded.snapshot);
      for (const change of entry.early.splice(0)) map.apply(change.seats);
      entry.map = map;
      this.liveSeats += map.size;
      this.evictOver(showId);
      return map;
    })();
    entry.loading.then(
      (map) => {
        if (!map && this.entries.get(showId) === entry) this.remove(showId);
      },
      () => {
        if (this.entries.get(showId) === entry) this.remove(showId);
      },
    );
    if (feed) void this.follow(showId, entry, feed);
    return entry;
  }

  private async follow(showId: string, entry: Entry, feed: AsyncIterator<SeatMapChange>): Promise<void> {
    try {
      for (let next = await feed.next(); !next.done; next = await feed.next()) {
        if (this.entries.get(showId) !== entry) break;
        this.apply([next.value]);
      }
    } catch (error) {
      this.options.logger.warn("live seat map feed failed; the periodic repair keeps the map current", {
        showId,
        error,
      });
    }
  }

  /** Drops the least recently used maps (never `keep`) while more seats than allowed are live. */
  private evictOver(keep: string): void {
    if (this.liveSeats <= this.options.maxSeats) return;
    const byAge = [...this.entries]
      .filter(([id, e]) => id !== keep && e.map)
      .sort(([, a], [, b]) => a.map!.lastUsed - b.map!.lastUsed);
    for (const [showId] of byAge) {
      if (this.liveSeats <= this.options.maxSeats) break;
      this.drop(showId);
    }
  }

  /** Drops every map (show changes may have been missed while the event bus was away). */
  dropAll(): void {
    for (const showId of [...this.entries.keys()]) this.drop(showId);
  }

  /**
   * Stops keeping a show's map (as when it falls idle, or when the show changed: its layout, prices or status): the
   * next read or hold loads it afresh, under a new revision.
   */
  drop(showId: string): void {
    if (this.entries.get(showId)?.map === null) this.loadsDropped++;
    this.remove(showId);
  }

  private remove(showId: string): void {
    const entry = this.entries.get(showId);
    if (!entry) return;
    this.entries.delete(showId);
    if (entry.map) this.liveSeats -= entry.map.size;
    void entry.feed?.return?.();
  }
}
