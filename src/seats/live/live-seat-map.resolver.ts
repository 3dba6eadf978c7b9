import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { type Context } from "../../graphql/context.js";
import { toGlobalId } from "../../graphql/global-id.js";
import { Show, type ShowRecord } from "../../shows/index.js";
import { type LiveSeatMap } from "./live-seat-map.js";
import { type LiveSeatMaps } from "./live-seat-maps.js";
import { type LayoutRow, SeatAvailability, SeatLayout } from "./seat-map.type.js";

/** The compact seat map of `Show`: the static layout once, then a small availability value served from memory. */
@Resolver(() => Show)
export class LiveSeatMapResolver {
  constructor(private readonly maps: LiveSeatMaps) {}

  @FieldResolver(() => SeatLayout, {
    description: "The static layout of the hall: changes only if an admin moves the unsold show to another layout.",
  })
  async layout(@Root() show: ShowRecord, @Ctx() ctx: Context): Promise<SeatLayout> {
    // Every seat is rendered: charged like a seat map.
    ctx.rowBudget.charge(show.totalSeats);
    const map = await this.mapOf(show);
    return { seatCount: map.size, rows: layoutRows(map) };
  }

  @FieldResolver(() => SeatAvailability, {
    description: "Every seat's status in one short string (layout order), with its version and the counts.",
  })
  async availability(@Root() show: ShowRecord): Promise<SeatAvailability> {
    const map = await this.mapOf(show);
    return { seatMapVersion: map.version, statuses: map.availability(), ...countsOf(map) };
  }

  private async mapOf(show: ShowRecord): Promise<LiveSeatMap> {
    const map = await this.maps.get(show.id);
    if (!map) throw new Error(`show ${show.id} has no seats`);
    return map;
  }
}

const countsOf = (map: LiveSeatMap) => {
  const counts = map.seatCounts();
  return {
    availableSeats: counts.available,
    heldSeats: counts.held,
    bookedSeats: counts.booked,
    blockedSeats: counts.blocked,
  };
};

/** A map's seat ids as the API shows them, encoded once per map (a layout is read often and never changes). */
const globalIdsOf = new WeakMap<readonly string[], readonly string[]>();

function globalSeatIds(ids: readonly string[]): readonly string[] {
  let global = globalIdsOf.get(ids);
  if (!global) {
    global = ids.map((id) => toGlobalId("Seat", id));
    globalIdsOf.set(ids, global);
  }
  return global;
}

/** The map's runs joined into rows (a row split by aisles is one row), seats in layout order. */
function layoutRows(map: LiveSeatMap): LayoutRow[] {
  const { layout } = map;
  const ids = globalSeatIds(map.ids);
  const rows: LayoutRow[] = [];
  for (const run of map.rows) {
    let row = rows[rows.length - 1];
    if (!row || row.index !== run.index) {
      row = { section: run.sectionKey, label: run.label, index: run.index, seats: [] };
      rows.push(row);
    }
    for (let k = 0; k < run.length; k++) {
      const i = run.first + k;
      row.seats.push({
        id: ids[i]!,
        seatNumber: map.seatNumbers[i]!,
        number: map.seatInRow[i]!,
        x: layout.x[i]!,
        y: layout.y[i]!,
        category: layout.categoryKeys[layout.categoryOf[i]!]!,
        accessibility: layout.accessibility[i]!,
        adjacentToNext: k < run.length - 1,
      });
    }
  }
  return rows;
}
