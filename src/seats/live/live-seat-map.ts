import { type SeatChange, SeatStatus } from "../../domain/seat-change.js";
import { type SeatCounts } from "../seat.service.js";
import { formatSeatMapVersion } from "../seat-map-version.js";
import { type LayoutRun, type LoadedSeat, StaticLayout } from "./static-layout.js";

export type { LoadedSeat };

/** Numbers every change applied to any map of this process, so a map's revision never repeats, even across reloads. */
let revisions = 0;

const STATUS_CODE: Record<SeatStatus, number> = { available: 0, held: 1, booked: 2, blocked: 3 };
const STATUS_OF = [SeatStatus.AVAILABLE, SeatStatus.HELD, SeatStatus.BOOKED, SeatStatus.BLOCKED] as const;
/** The availability string's characters, by status code: A available, H held, B booked, X blocked (off sale). */
const STATUS_CHAR = [65, 72, 66, 88] as const;
/** Seats no picker can be offered until an admin or a refund changes them (booked, blocked). */
const isUnsold = (code: number) => code < 2;
/**
 * A hold whose expiry passed this long ago (by this process's clock) counts as free for allocation: the margin
 * covers a small skew against the database clock, which decides (a seat picked too early only fails its claim).
 */
const LAPSE_MARGIN_MS = 1000;

/**
 * One show's seat map held in this process: the static layout, and every seat's status, version and hold expiry,
 * loaded from one snapshot and kept current by applying committed seat changes. A change is applied only when its
 * version is newer than the seat's, so changes may arrive twice, late or out of order (own, from the bus, from a
 * repair) and the map still ends at each seat's latest state. It is a read model and an allocation hint: PostgreSQL
 * decides every claim.
 *
 * Its version is (highest version applied, base snapshot): every change this map may lack either has a higher
 * version or was made by a transaction the base snapshot did not see, so `seatsChangedSince` of that version returns
 * at least what is missing (see LiveSeatMaps for how the base moves forward).
 */
export class LiveSeatMap {
  readonly size: number;
  /** What never changes about the seats. */
  readonly layout: StaticLayout;
  /** The runs of adjacent seats, the rows of allocation (a row split by aisles has several). */
  readonly rows: readonly LayoutRun[];
  readonly ids: readonly string[];
  readonly seatNumbers: readonly string[];
  readonly seatInRow: Int32Array;
  private readonly positions = new Map<string, number>();
  private readonly statuses: Uint8Array;
  private readonly versions: Float64Array;
  private readonly holdExpiries: Float64Array;
  /** Seats promised to pickers of this process whose claims are under way (a count, as explicit holds may overlap). */
  private readonly reserved: Uint8Array;
  /** The availability characters, one per seat; their text is rebuilt only after a change. */
  private readonly chars: Uint8Array;
  private availabilityText: string | null = null;
  private readonly counts = [0, 0, 0, 0];
  /** Per row, seats neither booked nor blocked: an upper bound of the seats a picker could be offered there. */
  private readonly unsoldInRow: Int32Array;
  private readonly rowOfSeat: Int32Array;
  private highestVersion = 0;
  private baseSnapshot: string;
  /** When the map was last read (performance.now()): idle maps are dropped. */
  lastUsed = performance.now();
  /** Changes with every change applied (unique in this process): what a cached answer built from this map is for. */
  revision = ++revisions;

  constructor(
    readonly showId: string,
    seats: readonly LoadedSeat[],
    snapshot: string,
  ) {
    this.size = seats.length;
    this.baseSnapshot = snapshot;
    this.ids = seats.map((seat) => seat.id);
    this.seatNumbers = seats.map((seat) => seat.seatNumber);
    this.seatInRow = Int32Array.from(seats, (seat) => seat.seatInRow);
    this.statuses = new Uint8Array(this.size);
    this.versions = new Float64Array(this.size);
    this.holdExpiries = new Float64Array(this.size);
    this.reserved = new Uint8Array(this.size);
    this.chars = new Uint8Array(this.size);
    this.layout = new StaticLayout(seats);
    const rows = this.layout.runs;
    this.rowOfSeat = this.layout.runOf;
    seats.forEach((seat, i) => {
      this.positions.set(seat.seatNumber, i);
      this.versions[i] = -1;
      this.set(i, seat.status, Number(seat.version), seat.holdExpiresAt);
      this.counts[STATUS_CODE[seat.status]]!++;
    });
    this.rows = rows;
    this.unsoldInRow = new Int32Array(rows.length);
    seats.forEach((seat, i) => {
      if (isUnsold(STATUS_CODE[seat.status])) this.unsoldInRow[this.rowOfSeat[i]!]!++;
    });
  }

  /** Applies committed changes of this show; returns how many seats changed. */
  apply(changes: readonly SeatChange[]): number {
    let applied = 0;
    for (const change of changes) {
      const i = this.positions.get(change.seatNumber);
      const version = Number(change.version);
      if (i === undefined || version <= this.versions[i]!) continue;
      const wasUnsold = isUnsold(this.statuses[i]!);
      this.counts[this.statuses[i]!]!--;
      this.set(i, change.status, version, change.holdExpiresAt);
      this.counts[this.statuses[i]!]!++;
      this.unsoldInRow[this.rowOfSeat[i]!]! += (isUnsold(this.statuses[i]!) ? 1 : 0) - (wasUnsold ? 1 : 0);
      applied++;
    }
    if (applied > 0) {
      this.availabilityText = null;
      this.revision = ++revisions;
    }
    return applied;
  }

  /** After a repair that read every change the base snapshot missed, as of `snapshot`: the new, smaller base. */
  rebase(snapshot: string): void {
    this.baseSnapshot = snapshot;
  }

  get version(): string {
    return formatSeatMapVersion(BigInt(this.highestVersion), this.baseSnapshot);
  }

  /** The highest seat version applied, and the base snapshot (for repairs). */
  get base(): { readonly version: bigint; readonly snapshot: string } {
    return { version: BigInt(this.highestVersion), snapshot: this.baseSnapshot };
  }

  /** Seats by status per section or per category (keys in layout order of first appearance). */
  countsBy(kind: "section" | "category"): Map<string, SeatCounts & { total: number }> {
    const keys = kind === "section" ? this.layout.sectionKeys : this.layout.categoryKeys;
    const of = kind === "section" ? this.layout.sectionOf : this.layout.categoryOf;
    const tallies = keys.map(() => [0, 0, 0, 0]);
    for (let i = 0; i < this.size; i++) tallies[of[i]!]![this.statuses[i]!]!++;
    return new Map(
      keys.map((key, k) => {
        const [available, held, booked, blocked] = tallies[k] as [number, number, number, number];
        return [key, { available, held, booked, blocked, total: available + held + booked + blocked }];
      }),
    );
  }

  seatCounts(): SeatCounts {
    return { available: this.counts[0]!, held: this.counts[1]!, booked: this.counts[2]!, blocked: this.counts[3]! };
  }

  /** One character per seat in layout order: A available, H held, B booked, X blocked. */
  availability(): string {
    return (this.availabilityText ??= Buffer.from(this.chars.buffer, this.chars.byteOffset, this.size).toString(
      "latin1",
    ));
  }

  positionOf(seatNumber: string): number | undefined {
    return this.positions.get(seatNumber);
  }

  /** The seat at a layout position as the map has it. */
  seatAt(i: number): { status: SeatStatus; version: string; holdExpiresAt: Date | null } {
    return {
      status: STATUS_OF[this.statuses[i]!]!,
      version: String(this.versions[i]),
      holdExpiresAt: this.holdExpiries[i] ? new Date(this.holdExpiries[i]!) : null,
    };
  }

  /** Whether a seat may be offered to a picker now: claimable as far as this map knows, and promised to nobody. */
  isOffered(i: number, now: number): boolean {
    if (this.reserved[i]) return false;
    const status = this.statuses[i];
    return status === 0 || (status === 1 && this.holdExpiries[i]! < now - LAPSE_MARGIN_MS);
  }

  /** At least as many as the seats of the row (index in `rows`) a picker could be offered now. */
  unsoldSeatsInRow(row: number): number {
    return this.unsoldInRow[row]!;
  }

  /** Promises seats to one picker until the returned function is called (any number of times). */
  reserve(positions: readonly number[]): () => void {
    for (const i of positions) this.reserved[i]!++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const i of positions) this.reserved[i]!--;
    };
  }

  private set(i: number, status: SeatStatus, version: number, holdExpiresAt: string | null): void {
    const code = STATUS_CODE[status];
    this.statuses[i] = code;
    this.chars[i] = STATUS_CHAR[code];
    this.versions[i] = version;
    this.holdExpiries[i] = holdExpiresAt ? Date.parse(holdExpiresAt) : 0;
    if (version > this.highestVersion) this.highestVersion = version;
  }
}
