import { randomUUID } from "node:crypto";
import { type Prisma, type PrismaClient } from "../db/prisma.js";
import { type Show as ShowRecord } from "../generated/prisma/client.js";
import { decodeTimeIdCursor } from "../domain/cursor.js";
import { isUuid } from "../domain/ids.js";
import { ByteCache } from "../platform/byte-cache.js";
import { keysetPage, type Page } from "../domain/page.js";
import { failure, type Outcome, success } from "../domain/problem.js";
import { rowLabels } from "../domain/seat-layout.js";

export type { ShowRecord };

/** About 20,000 shows; a miss costs one lookup by primary key. */
const SHOW_CACHE_BYTES = 4 * 1024 * 1024;
/** A show record: its name (two bytes a character at worst) and its fixed fields with the object's overhead. */
const showBytes = (show: ShowRecord) => 2 * show.name.length + 200;

export interface NewShow {
  readonly name: string;
  readonly startsAt: Date;
  readonly rows: number;
  readonly seatsPerRow: number;
}

/** Responsible for creating shows (with their materialized seats) and reading them. */
export class ShowService {
  // Shows never change after creation, so their layout can be cached for the hot hold path. Only shows that exist
  // are kept (unknown ids are not), within a byte budget: the ids a client asks for cannot grow it past that.
  private readonly cache = new ByteCache<ShowRecord>({ maxBytes: SHOW_CACHE_BYTES, sizeOf: showBytes });

  /** `reader` serves show lists and lookups for reads (a replica when configured); holds look shows up on the primary. */
  constructor(
    private readonly prisma: PrismaClient,
    private readonly limits: { readonly maxSeatsPerShow: number },
    private readonly reader: PrismaClient = prisma,
  ) {}

  /** Creates the show and one seat row per seat, in one transaction; the seats in one statement. */
  async create(input: NewShow): Promise<Outcome<ShowRecord>> {
    const name = input.name.trim();
    if (name.length === 0) {
      return failure({ code: "INVALID_INPUT", message: "name must not be blank", field: ["input", "name"] });
    }
    if (input.startsAt.getTime() <= Date.now()) {
      return failure({
        code: "INVALID_INPUT",
        message: "startsAt must be in the future.",
        field: ["input", "startsAt"],
      });
    }
    const totalSeats = input.rows * input.seatsPerRow;
    if (totalSeats > this.limits.maxSeatsPerShow) {
      return failure({
        code: "INVALID_INPUT",
        message: `A show may have at most ${this.limits.maxSeatsPerShow} seats (asked for ${totalSeats}).`,
        field: ["input", "seatsPerRow"],
      });
    }
    const id = randomUUID();
    const [show] = await this.prisma.$transaction([
      this.prisma.show.create({
        data: { id, name, startsAt: input.startsAt, rowCount: input.rows, seatsPerRow: input.seatsPerRow, totalSeats },
      }),
      this.prisma.$executeRaw`
        /* materialize_seats */ INSERT INTO seats (show_id, seat_number, row_label, row_index, seat_in_row)
        SELECT ${id}::uuid, r.label || s.n, r.label, r.idx - 1, s.n
        FROM unnest(${rowLabels(input.rows)}::text[]) WITH ORDINALITY AS r(label, idx),
             generate_series(1, ${input.seatsPerRow}::int) AS s(n)
        ORDER BY r.idx, s.n`,
    ]);
    this.cache.set(show.id, show);
    return success(show);
  }

  /** A show by id, from the process cache when seen before; null for unknown or malformed ids. */
  async get(id: string): Promise<ShowRecord | null> {
    if (!isUuid(id)) return null;
    const cached = this.cache.get(id);
    if (cached) return cached;
    const show = await this.prisma.show.findUnique({ where: { id } });
    if (show) this.cache.set(id, show);
    return show;
  }

  /** Shows by id, in order (null where there is none), read through the process cache and the reader. */
  async getMany(ids: readonly string[]): Promise<(ShowRecord | null)[]> {
    const valid = ids.filter(isUuid);
    const found = new Map(valid.map((id) => [id, this.cache.get(id)]));
    const missing = valid.filter((id) => found.get(id) === undefined);
    if (missing.length > 0) {
      for (const show of await this.reader.show.findMany({ where: { id: { in: missing } } })) {
        this.cache.set(show.id, show);
        found.set(show.id, show);
      }
    }
    // (Read from `found`, not the cache: with more shows than it holds, some may already have left it.)
    return ids.map((id) => found.get(id) ?? null);
  }

  /** Shows ordered by start time (then id), keyset-paginated; BadCursorError for a cursor it did not issue. */
  async list(first: number, after?: string | null): Promise<Page<ShowRecord>> {
    let where: Prisma.ShowWhereInput = {};
    if (after) {
      const { at, id } = decodeTimeIdCursor(after);
      where = { OR: [{ startsAt: { gt: at } }, { startsAt: at, id: { gt: id } }] };
    }
    const [rows, totalCount] = await Promise.all([
      this.reader.show.findMany({ where, orderBy: [{ startsAt: "asc" }, { id: "asc" }], take: first + 1 }),
      this.reader.show.count(),
    ]);
    return keysetPage(rows, first, after, totalCount, (show) => show.startsAt);
  }
}
