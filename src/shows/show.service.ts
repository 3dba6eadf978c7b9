import { randomUUID } from "node:crypto";
import { type Prisma, type PrismaClient } from "../db/prisma.js";
import { type Show as ShowRecord } from "../generated/prisma/client.js";
import { decodeTimeIdCursor } from "../domain/cursor.js";
import { isUuid } from "../domain/ids.js";
import { ByteCache } from "../platform/byte-cache.js";
import { keysetPage, type Page } from "../domain/page.js";
import { failure, invalidInput, type Outcome, type Problem, success } from "../domain/problem.js";
import { canonicalTimeZone } from "../domain/time-zone.js";
import { type LayoutDefinition, rectangularLayout } from "../venues/layout/index.js";
import { unknownTimeZone, type VenueService } from "../venues/venue.service.js";
import { planShowTerms, type ShowTerms } from "./show-plan.js";
import { materializeShow } from "./show.store.js";

export type { ShowRecord };

/** About 20,000 shows; a miss costs one lookup by primary key. */
const SHOW_CACHE_BYTES = 4 * 1024 * 1024;
/** A show record: its name (two bytes a character at worst) and its fixed fields with the object's overhead. */
const showBytes = (show: ShowRecord) => 2 * show.name.length + 200;

const newShowCache = () => new ByteCache<ShowRecord>({ maxBytes: SHOW_CACHE_BYTES, sizeOf: showBytes });

export interface NewShow extends ShowTerms {
  readonly name: string;
  readonly venueId?: string | null;
  readonly layoutVersion?: number | null;
  readonly rows?: number | null;
  readonly seatsPerRow?: number | null;
  readonly timeZone?: string | null;
  readonly noOrphanSeats?: boolean | null;
  /** Seats one user may own on the show (≥ 1); null or absent: no cap. */
  readonly maxSeatsPerUser?: number | null;
  readonly ownerRefunds?: boolean | null;
}

/**
 * Responsible for creating shows (with their materialized seats) and reading them.
 *
 * Freshness of the per-process cache of show records (read on every hold, so kept in memory): a show changes only
 * through updateShow and cancelShow, which announce the change (ShowChanges) after it commits. This process forgets
 * the show before the mutation answers (read-your-writes); every other process forgets it when the show-changed event
 * reaches it (the bus's delay), and forgets every show when its bus reconnects (events may have been lost). A
 * forgotten show is read again from the primary, never the replica: a lagging replica would put the old record back
 * for as long as it stays cached.
 */
export class ShowService {
  // Only shows that exist are kept (unknown ids are not), within a byte budget: the ids a client asks for cannot grow
  // it past that.
  private cache = newShowCache();
  /** Counts forgets: a lookup that saw one happen while it read keeps nothing (what it read may predate the change). */
  private forgets = 0;

  /** `reader` serves show lists (a replica when configured); lookups by id go to the primary (see above). */
  constructor(
    private readonly prisma: PrismaClient,
    private readonly venues: VenueService,
    private readonly limits: { readonly maxSeatsPerShow: number },
    private readonly reader: PrismaClient = prisma,
  ) {}

  /**
   * Creates the show on a venue's layout (or, for the rows × seatsPerRow shortcut, on a one-section venue made for
   * it) with its prices, and one seat row per seat of the layout: in one transaction, the seats in one statement.
   */
  async create(input: NewShow): Promise<Outcome<ShowRecord>> {
    const name = input.name.trim();
    if (name.length === 0) return failure(invalidInput("name must not be blank", "name"));
    const hall = await this.hallOf(input);
    if (!hall.ok) return failure(hall.problems);
    const terms = planShowTerms(input, { ...hall, pricesRequired: hall.venueId !== null }, new Date());
    if (!terms.ok) return failure(terms.problems);
    if (hall.totalSeats > this.limits.maxSeatsPerShow) {
      const message = `A show may have at most ${this.limits.maxSeatsPerShow} seats (asked for ${hall.totalSeats}).`;
      return failure(invalidInput(message, hall.venueId ? "venueId" : "seatsPerRow"));
    }
    let layoutId = hall.layoutId;
    let venueId = hall.venueId;
    if (!layoutId) {
      const made = await this.venues.create({ name, timeZone: hall.timeZone, layout: hall.layout! });
      if (!made.ok) return failure(made.problems);
      venueId = made.value.id;
      layoutId = (await this.venues.layout(venueId, 1))!.id;
    }
    const show = await materializeShow(this.prisma, {
      id: randomUUID(),
      name,
      startsAt: terms.plan.startsAt,
      venueId: venueId!,
      layoutId,
      timeZone: hall.timeZone,
      currency: terms.plan.currency,
      prices: terms.plan.prices,
      noOrphanSeats: input.noOrphanSeats ?? hall.venueId !== null,
      maxSeatsPerUser: input.maxSeatsPerUser ?? null,
      ownerRefunds: input.ownerRefunds ?? false,
    });
    if (!show) {
      const message = "The venue's layout was changed while the show was being created: create it again.";
      return failure({ code: "NOT_FOUND", message, field: ["input", "layoutVersion"] });
    }
    this.cache.set(show.id, show);
    return success(show);
  }

  /** The venue and layout a new show goes on, or the rectangle to make one of; problems with the input otherwise. */
  private async hallOf(input: NewShow): Promise<
    | {
        ok: true;
        venueId: string | null;
        layoutId: string | null;
        layout: LayoutDefinition | null;
        timeZone: string;
        categories: string[];
        totalSeats: number;
      }
    | { ok: false; problems: Problem[] }
  > {
    const rectangle = input.rows != null || input.seatsPerRow != null;
    if (rectangle === (input.venueId != null)) {
      return { ok: false, problems: [invalidInput("Give either venueId or rows and seatsPerRow.", "venueId")] };
    }
    if (input.venueId != null) {
      const venue = await this.venues.get(input.venueId);
      if (!venue)
        return {
          ok: false,
          problems: [{ code: "NOT_FOUND", message: "No venue with this id.", field: ["input", "venueId"] }],
        };
      const layout = await this.venues.layout(venue.id, input.layoutVersion ?? null);
      if (!layout) {
        const message = `The venue has no layout version ${input.layoutVersion}.`;
        return { ok: false, problems: [{ code: "NOT_FOUND", message, field: ["input", "layoutVersion"] }] };
      }
      const definition = layout.definition as unknown as LayoutDefinition;
      return {
        ok: true,
        venueId: venue.id,
        layoutId: layout.id,
        layout: null,
        timeZone: venue.timeZone,
        categories: definition.categories.map((category) => category.key),
        totalSeats: layout.totalSeats,
      };
    }
    if (input.rows == null || input.seatsPerRow == null) {
      return {
        ok: false,
        problems: [invalidInput("Give both rows and seatsPerRow.", input.rows == null ? "rows" : "seatsPerRow")],
      };
    }
    if (input.layoutVersion != null)
      return { ok: false, problems: [invalidInput("layoutVersion needs a venueId.", "layoutVersion")] };
    const timeZone = canonicalTimeZone(input.timeZone ?? "UTC");
    if (!timeZone) {
      return {
        ok: false,
        problems: [unknownTimeZone(input.timeZone ?? "UTC")],
      };
    }
    const totalSeats = input.rows * input.seatsPerRow;
    // Too large to expand: refused before a layout of that size is built.
    const layout = totalSeats <= this.limits.maxSeatsPerShow ? rectangularLayout(input.rows, input.seatsPerRow) : null;
    return { ok: true, venueId: null, layoutId: null, layout, timeZone, categories: ["STANDARD"], totalSeats };
  }

  /** A show by id, from the process cache when seen before; null for unknown or malformed ids. */
  async get(id: string): Promise<ShowRecord | null> {
    if (!isUuid(id)) return null;
    const cached = this.cache.get(id);
    if (cached) return cached;
    const forgetsBefore = this.forgets;
    const show = await this.prisma.show.findUnique({ where: { id } });
    if (show && this.forgets === forgetsBefore) this.cache.set(id, show);
    return show;
  }

  /** Shows by id, in order (null where there is none), read through the process cache and the primary. */
  async getMany(ids: readonly string[]): Promise<(ShowRecord | null)[]> {
    const valid = ids.filter(isUuid);
    const found = new Map(valid.map((id) => [id, this.cache.get(id)]));
    const missing = valid.filter((id) => found.get(id) === undefined);
    if (missing.length > 0) {
      const forgetsBefore = this.forgets;
      for (const show of await this.prisma.show.findMany({ where: { id: { in: missing } } })) {
        if (this.forgets === forgetsBefore) this.cache.set(show.id, show);
        found.set(show.id, show);
      }
    }
    // (Read from `found`, not the cache: with more shows than it holds, some may already have left it.)
    return ids.map((id) => found.get(id) ?? null);
  }

  /** Forgets a show this process keeps (it changed): the next lookup reads it again. */
  forget(showId: string): void {
    this.forgets++;
    this.cache.delete(showId);
  }

  /** Forgets every show (changes may have been missed). */
  forgetAll(): void {
    this.forgets++;
    this.cache = newShowCache();
  }

  /**
   * Shows ordered by start time (then id), keyset-paginated, narrowed by the filter (every part optional);
   * BadCursorError for a cursor it did not issue. The total counts the filtered shows.
   */
  async list(first: number, after?: string | null, filter: ShowFilter = {}): Promise<Page<ShowRecord>> {
    const filtered = showFilterWhere(filter);
    let where: Prisma.ShowWhereInput = filtered;
    if (after) {
      const { at, id } = decodeTimeIdCursor(after);
      where = { AND: [filtered, { OR: [{ startsAt: { gt: at } }, { startsAt: at, id: { gt: id } }] }] };
    }
    const [rows, totalCount] = await Promise.all([
      this.reader.show.findMany({ where, orderBy: [{ startsAt: "asc" }, { id: "asc" }], take: first + 1 }),
      this.reader.show.count({ where: filtered }),
    ]);
    return keysetPage(rows, first, after, totalCount, (show) => show.startsAt);
  }
}

/** What a list of shows may be narrowed to. */
export interface ShowFilter {
  /** Shows starting at or after this instant. */
  readonly from?: Date | null;
  /** Shows starting before this instant. */
  readonly to?: Date | null;
  readonly venueId?: string | null;
  /** Words that must all appear in the show's or its venue's name (case-insensitive). */
  readonly search?: string | null;
}

function showFilterWhere({ from, to, venueId, search }: ShowFilter): Prisma.ShowWhereInput {
  const words = (search ?? "").split(/\s+/).filter(Boolean).slice(0, 8);
  return {
    ...(from || to ? { startsAt: { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) } } : {}),
    // A malformed venue id matches no venue (and must not reach a uuid column).
    ...(venueId ? { venueId: isUuid(venueId) ? venueId : "00000000-0000-0000-0000-000000000000" } : {}),
    ...(words.length > 0
      ? {
          AND: words.map((word) => ({
            OR: [
              { name: { contains: word, mode: "insensitive" as const } },
              { venue: { name: { contains: word, mode: "insensitive" as const } } },
            ],
          })),
        }
      : {}),
  };
}
