import {
  type SeatChangeFieldsFragment,
  type SeatMapChangedSubscription,
  type SeatStatus,
  type ShowAvailabilityQuery,
  type ShowLayoutQuery,
} from "./gql/graphql";

type Layout = NonNullable<ShowLayoutQuery["show"]>["layout"];
type Availability = NonNullable<ShowAvailabilityQuery["show"]>["availability"];
type SeatMapChange = SeatMapChangedSubscription["seatMapChanged"];
type Counts = Pick<SeatMapChange, "availableSeats" | "heldSeats" | "bookedSeats" | "blockedSeats">;

/** What a client library gives the live seat map: the three reads and the subscription, over its own links. */
export interface SeatMapSource {
  layout(showId: string): Promise<Layout>;
  availability(showId: string): Promise<Availability>;
  changesSince(showId: string, seatMapVersion: string): Promise<readonly SeatChangeFieldsFragment[]>;
  /** Subscribes to seatMapChanged; returns the unsubscribe function. */
  subscribe(showId: string, onChange: (change: SeatMapChange) => void, onError: (error: unknown) => void): () => void;
  /** Calls `listener` whenever the WebSocket (re)connects; returns the function that stops it. */
  onConnected(listener: () => void): () => void;
}

const countsOf = ({ availableSeats, heldSeats, bookedSeats, blockedSeats }: Counts): Counts => ({
  availableSeats,
  heldSeats,
  bookedSeats,
  blockedSeats,
});

const STATUS_OF: Readonly<Record<string, SeatStatus>> = { A: "AVAILABLE", H: "HELD", B: "BOOKED", X: "BLOCKED" };

/**
 * graphql-ws does not say when the server has registered a subscription, so the gap query goes out a moment after
 * subscribing (and after every reconnect), and once more later; both are idempotent.
 */
const SUBSCRIBE_SETTLE_MS = 150;
const SAFETY_RESYNC_MS = 2500;

/**
 * A whole hall's seat statuses from the compact layout + availability, kept converged by the version rule, outside
 * any normalised cache (10,000 normalised Seat objects cost Apollo's InMemoryCache about half a second to write or
 * read, and every event another tenth of a second).
 *
 * The compact snapshot carries no version per seat, only `seatMapVersion` ("<highest seat version>@<snapshot>").
 * Every change the snapshot saw has a version at or below that highest version, so:
 * - a live change (an event, a mutation's `seats`) is applied when its version is higher than the seat's last applied
 *   change, or than the snapshot's highest version if none was applied since; a change at or below that, for a seat
 *   with none applied since, may be one the snapshot saw or one that took its number earlier and committed later:
 *   only the gap query can tell, so `applyLive` asks for one (it returns true);
 * - a `seatsChangedSince(seatMapVersion)` answer lists exactly the seats whose last change the snapshot did not see
 *   (possibly with a lower version, committed late), so it is applied over the snapshot's state, and over a change
 *   applied since only when its version is higher.
 * Events may come late, twice or out of order; these two comparisons make that harmless.
 */
export class CompactSeatMap {
  /** Seat numbers in layout order, the order of `availability.statuses`. */
  readonly seatNumbers: readonly string[];
  /** The resume point for `seatsChangedSince`: always the snapshot's, never an event's version. */
  readonly seatMapVersion: string;
  counts: Counts;
  private readonly indexOf = new Map<string, number>();
  private readonly statuses: SeatStatus[];
  /** Version of the last change applied to a seat since the snapshot (absent: the seat is as the snapshot read it). */
  private readonly applied = new Map<number, bigint>();
  private readonly snapshotVersion: bigint;
  private countsVersion: bigint;

  constructor(layout: Layout, availability: Availability) {
    this.seatNumbers = layout.rows.flatMap((row) => row.seats.map((seat) => seat.seatNumber));
    this.seatNumbers.forEach((seatNumber, index) => this.indexOf.set(seatNumber, index));
    // An admin may move an unsold show to another layout between the two reads: then read the layout again.
    if (availability.statuses.length !== this.seatNumbers.length) throw new Error("The layout has changed: reload it.");
    this.statuses = [...availability.statuses].map((code) => STATUS_OF[code] ?? "BLOCKED");
    this.seatMapVersion = availability.seatMapVersion;
    this.snapshotVersion = BigInt(availability.seatMapVersion.split("@")[0]!);
    this.counts = countsOf(availability);
    this.countsVersion = this.snapshotVersion;
  }

  statusOf(seatNumber: string): SeatStatus | undefined {
    const index = this.indexOf.get(seatNumber);
    return index === undefined ? undefined : this.statuses[index];
  }

  /**
   * A mutation payload's seats, or an event's (with its counts: those of the event with the highest version win).
   * Returns true when a change may have committed after the snapshot was read: then run the gap query again.
   */
  applyLive(
    changes: readonly Pick<SeatChangeFieldsFragment, "seatNumber" | "status" | "version">[],
    event?: Counts & { version: string },
  ): boolean {
    let needsGapQuery = false;
    for (const change of changes) {
      const index = this.indexOf.get(change.seatNumber);
      if (index === undefined || this.apply(change, this.snapshotVersion)) continue;
      if (!this.applied.has(index)) needsGapQuery = true;
    }
    if (event && BigInt(event.version) > this.countsVersion) {
      this.countsVersion = BigInt(event.version);
      this.counts = countsOf(event);
    }
    return needsGapQuery;
  }

  /** A `seatsChangedSince(seatMapVersion)` answer. */
  applyGap(changes: readonly Pick<SeatChangeFieldsFragment, "seatNumber" | "status" | "version">[]) {
    for (const change of changes) this.apply(change, -1n);
  }

  /** Applies a change newer than what the seat has (`baseline` when none was applied since the snapshot). */
  private apply(change: Pick<SeatChangeFieldsFragment, "seatNumber" | "status" | "version">, baseline: bigint) {
    const index = this.indexOf.get(change.seatNumber);
    if (index === undefined) return false;
    const version = BigInt(change.version); // decimal strings: compare as big integers, never as text
    if (version <= (this.applied.get(index) ?? baseline)) return false; // stale, duplicate or already seen
    this.applied.set(index, version);
    this.statuses[index] = change.status;
    return true;
  }
}

export interface LiveSeatMap {
  readonly map: CompactSeatMap;
  /** Fills the gap since the snapshot again (e.g. when a hidden browser tab becomes visible). */
  resync(): Promise<void>;
  close(): void;
}

/**
 * The three steps of the version rule: load the snapshot (layout + availability), subscribe, then fill the gap with
 * `seatsChangedSince(seatMapVersion)` once the subscription runs and after every reconnect.
 */
export async function openLiveSeatMap(
  source: SeatMapSource,
  showId: string,
  onError: (error: unknown) => void = () => {},
): Promise<LiveSeatMap> {
  const [layout, availability] = await Promise.all([source.layout(showId), source.availability(showId)]);
  const map = new CompactSeatMap(layout, availability);
  let gapQueryQueued = false;
  const resync = async () => {
    gapQueryQueued = false;
    map.applyGap(await source.changesSince(showId, map.seatMapVersion));
  };
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const later = (ms: number) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      resync().catch(onError); // the next reconnect resyncs again
    }, ms);
    timers.add(timer);
  };
  const fillGap = () => [SUBSCRIBE_SETTLE_MS, SAFETY_RESYNC_MS].forEach(later);
  const unsubscribe = source.subscribe(
    showId,
    (change) => {
      if (map.applyLive(change.seats, change) && !gapQueryQueued) {
        gapQueryQueued = true; // one gap query answers every change that arrived before it is sent
        later(0);
      }
    },
    onError,
  );
  const stopListening = source.onConnected(fillGap);
  fillGap();
  return {
    map,
    resync,
    close() {
      stopListening();
      unsubscribe();
      timers.forEach(clearTimeout);
    },
  };
}
