import { decodeNameIdCursor, encodeNameIdCursor } from "../domain/cursor.js";
import { isUuid } from "../domain/ids.js";
import { type Page } from "../domain/page.js";
import { failure, invalidInput, type Outcome, type Problem, success } from "../domain/problem.js";
import { canonicalTimeZone } from "../domain/time-zone.js";
import { expandLayout, type LayoutDefinition, type LayoutLimits, validateLayout } from "./layout/index.js";
import { type VenueLayoutRecord, type VenueRecord, type VenueStore } from "./venue.store.js";

export interface NewVenue {
  readonly name: string;
  readonly timeZone: string;
  readonly layout: LayoutDefinition;
}

/** Venues (halls) defined once and reused by many shows; their layouts are validated here and versioned. */
export class VenueService {
  constructor(
    private readonly store: VenueStore,
    private readonly limits: LayoutLimits,
  ) {}

  async create(input: NewVenue): Promise<Outcome<VenueRecord>> {
    const name = input.name.trim();
    const timeZone = canonicalTimeZone(input.timeZone);
    const problems: Problem[] = [];
    if (name.length === 0) problems.push(invalidInput("name must not be blank.", "name"));
    if (!timeZone) {
      problems.push(unknownTimeZone(input.timeZone));
    }
    problems.push(...validateLayout(input.layout, this.limits, ["input", "layout"]));
    if (problems.length > 0) return failure(problems);
    return success(
      await this.store.create({ name, timeZone: timeZone! }, input.layout, expandLayout(input.layout, this.limits)),
    );
  }

  /** A new layout version of a venue (or the latest, replaced, while no show uses it). */
  async changeLayout(venueId: string, layout: LayoutDefinition): Promise<Outcome<VenueLayoutRecord>> {
    if (!(await this.get(venueId))) {
      return failure({ code: "NOT_FOUND", message: "No venue with this id.", field: ["venueId"] });
    }
    const problems = validateLayout(layout, this.limits, ["layout"]);
    if (problems.length > 0) return failure(problems);
    return success(await this.store.addLayout(venueId, layout, expandLayout(layout, this.limits)));
  }

  get(id: string): Promise<VenueRecord | null> {
    return isUuid(id) ? this.store.get(id) : Promise.resolve(null);
  }

  /** Venues by id, in the order asked, null where none (for `node`). */
  async getMany(ids: readonly string[]): Promise<(VenueRecord | null)[]> {
    const found = await this.store.getMany(ids.filter(isUuid));
    const byId = new Map(found.flatMap((venue) => (venue ? [[venue.id, venue] as const] : [])));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** A venue's layout version (the latest when `version` is null); null when there is none. */
  layout(venueId: string, version: number | null): Promise<VenueLayoutRecord | null> {
    return isUuid(venueId) ? this.store.layout(venueId, version) : Promise.resolve(null);
  }

  /** Venues by name; BadCursorError for a cursor it did not issue. */
  async list(first: number, after?: string | null): Promise<Page<VenueRecord>> {
    const { rows, totalCount } = await this.store.list(first, after ? decodeNameIdCursor(after) : null);
    const items = rows.slice(0, first);
    return {
      items,
      cursors: items.map((venue) => encodeNameIdCursor(venue.name, venue.id)),
      hasNextPage: rows.length > first,
      hasPreviousPage: Boolean(after),
      totalCount,
    };
  }
}

/** INVALID_INPUT for a time zone Intl does not know. */
export const unknownTimeZone = (name: string): Problem =>
  invalidInput(`Unknown time zone "${name}": give an IANA name, e.g. "Europe/Vienna".`, "timeZone");
