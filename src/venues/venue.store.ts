import { randomUUID } from "node:crypto";
import { type Prisma, type PrismaClient } from "../db/prisma.js";
import { type Venue as VenueRecord, type VenueLayout as VenueLayoutRecord } from "../generated/prisma/client.js";
import { accessibilityFlags } from "./accessibility.js";
import { type ExpandedLayout, type LayoutDefinition } from "./layout/index.js";

export type { VenueRecord, VenueLayoutRecord };

/** Where venues and their layout versions are kept; a layout's seats are stored once, for every show on it. */
export class VenueStore {
  constructor(private readonly prisma: PrismaClient) {}

  /** A new venue with its first layout version, in one transaction. */
  async create(venue: { name: string; timeZone: string }, layout: LayoutDefinition, expanded: ExpandedLayout) {
    const id = randomUUID();
    const layoutId = randomUUID();
    const [created] = await this.prisma.$transaction([
      this.prisma.venue.create({ data: { id, name: venue.name, timeZone: venue.timeZone } }),
      this.insertLayout(layoutId, id, 1, layout, expanded.seats.length),
      this.insertLayoutSeats(layoutId, expanded),
    ]);
    return created;
  }

  /**
   * Adds a layout version: the latest one is replaced in place while no show uses it, otherwise a new version
   * follows it. The latest version is locked first (shows lock the version they are created on in share mode), so
   * a show cannot be created on a version while it is being replaced.
   */
  async addLayout(venueId: string, layout: LayoutDefinition, expanded: ExpandedLayout): Promise<VenueLayoutRecord> {
    return this.prisma.$transaction(async (tx) => {
      // Layout changes of one venue take turns on the venue row, so each reads the versions the last one left. NO KEY
      // UPDATE: a show being created holds its layout version and takes a key-share lock on the venue (its foreign
      // key), which a plain FOR UPDATE would wait for while that show waits for the version: a deadlock.
      await tx.$queryRaw`/* venue_lock */ SELECT id FROM venues WHERE id = ${venueId}::uuid FOR NO KEY UPDATE`;
      const [latest] = await tx.$queryRaw<{ id: string; version: number }[]>`
        /* venue_layout_latest */ SELECT id, version FROM venue_layouts
        WHERE venue_id = ${venueId}::uuid ORDER BY version DESC LIMIT 1 FOR UPDATE`;
      // Asked after the lock, in a statement of its own (a new snapshot): a show created while the lock was awaited
      // is seen, so a used version is never replaced.
      const [{ used } = { used: false }] = latest
        ? await tx.$queryRaw<{ used: boolean }[]>`
            /* venue_layout_used */ SELECT EXISTS (SELECT 1 FROM shows WHERE layout_id = ${latest.id}::uuid) AS used`
        : [];
      const layoutId = randomUUID();
      if (latest && !used) await tx.venueLayout.delete({ where: { id: latest.id } });
      const version = latest ? (used ? latest.version + 1 : latest.version) : 1;
      await this.insertLayout(layoutId, venueId, version, layout, expanded.seats.length, tx);
      await this.insertLayoutSeats(layoutId, expanded, tx);
      return tx.venueLayout.findUniqueOrThrow({ where: { id: layoutId } });
    });
  }

  /** Venues by id, in the order asked, null where none (one statement). */
  async getMany(ids: readonly string[]): Promise<(VenueRecord | null)[]> {
    const rows = await this.prisma.venue.findMany({ where: { id: { in: [...ids] } } });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  get(id: string): Promise<VenueRecord | null> {
    return this.prisma.venue.findUnique({ where: { id } });
  }

  /** A layout version of a venue; the latest when `version` is null. */
  layout(venueId: string, version: number | null): Promise<VenueLayoutRecord | null> {
    return version === null
      ? this.prisma.venueLayout.findFirst({ where: { venueId }, orderBy: { version: "desc" } })
      : this.prisma.venueLayout.findUnique({ where: { venueId_version: { venueId, version } } });
  }

  /** Venues by name (then id), keyset-paginated after (name, id). */
  async list(first: number, after: { name: string; id: string } | null) {
    const where: Prisma.VenueWhereInput = after
      ? { OR: [{ name: { gt: after.name } }, { name: after.name, id: { gt: after.id } }] }
      : {};
    const [rows, totalCount] = await Promise.all([
      this.prisma.venue.findMany({ where, orderBy: [{ name: "asc" }, { id: "asc" }], take: first + 1 }),
      this.prisma.venue.count(),
    ]);
    return { rows, totalCount };
  }

  private insertLayout(
    id: string,
    venueId: string,
    version: number,
    layout: LayoutDefinition,
    totalSeats: number,
    client: Prisma.TransactionClient | PrismaClient = this.prisma,
  ) {
    return client.venueLayout.create({
      data: { id, venueId, version, totalSeats, definition: layout as unknown as Prisma.InputJsonValue },
    });
  }

  /** Every seat of the layout in one statement (one array per column). */
  private insertLayoutSeats(
    layoutId: string,
    { seats }: ExpandedLayout,
    client: Prisma.TransactionClient | PrismaClient = this.prisma,
  ) {
    const column = <T>(read: (seat: ExpandedLayout["seats"][number]) => T) => seats.map(read);
    return client.$executeRaw`
      /* venue_layout_seats_insert */ INSERT INTO venue_layout_seats
        (layout_id, ordinal, seat_number, section_key, row_label, row_index, seat_in_row, run_index, category_key,
         accessibility, x, y)
      SELECT ${layoutId}::uuid, s.* FROM unnest(
        ${column((s) => s.ordinal)}::int[], ${column((s) => s.seatNumber)}::text[], ${column((s) => s.sectionKey)}::text[],
        ${column((s) => s.rowLabel)}::text[], ${column((s) => s.rowIndex)}::int[], ${column((s) => s.seatInRow)}::int[],
        ${column((s) => s.runIndex)}::int[], ${column((s) => s.categoryKey)}::text[],
        ${column((s) => accessibilityFlags(s.accessibility))}::smallint[], ${column((s) => s.x)}::float8[],
        ${column((s) => s.y)}::float8[]
      ) AS s`;
  }
}
