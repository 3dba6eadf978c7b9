import { SeatCountCache } from "../../src/seats/seat-counts";
import {
  type CountedShow,
  type SeatCounts,
  type SeatCountStore,
  type SeatMapStamp,
} from "../../src/seats/seat-counts.store";

const SHOW_A = "00000000-0000-4000-8000-00000000000a";
const SHOW_B = "00000000-0000-4000-8000-00000000000b";

/** A store whose answers the test releases by hand: counts come from `seats`, changes from `changed`. */
class FakeStore {
  readonly seats = new Map<string, SeatCounts>();
  readonly changedShows = new Set<string>();
  readonly counted: string[][] = [];
  readonly checked: string[][] = [];
  private readonly waiting: (() => void)[] = [];
  holdCounts = false;

  async count(showIds: readonly string[]): Promise<Map<string, CountedShow>> {
    this.counted.push([...showIds]);
    if (this.holdCounts) await new Promise<void>((resolve) => this.waiting.push(resolve));
    const counted = new Map<string, CountedShow>();
    for (const id of showIds) {
      const counts = this.seats.get(id);
      if (counts) counted.set(id, { counts: { ...counts }, version: "1", snapshot: "10:10:" });
    }
    return counted;
  }

  async changed(shows: readonly (readonly [string, SeatMapStamp])[]): Promise<Set<string>> {
    this.checked.push(shows.map(([id]) => id));
    return new Set(shows.map(([id]) => id).filter((id) => this.changedShows.has(id)));
  }

  async showIds(after: string | null, limit: number): Promise<string[]> {
    return [...this.seats.keys()]
      .sort()
      .filter((id) => after === null || id > after)
      .slice(0, limit);
  }

  release(): void {
    this.holdCounts = false;
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}

const cacheOver = (store: FakeStore, live?: Map<string, SeatCounts>) =>
  new SeatCountCache(store as unknown as SeatCountStore, live && { countsOf: (id) => live.get(id) ?? null });

describe("SeatCountCache", () => {
  it("counts missing shows together, then only checks them until they change", async () => {
    const store = new FakeStore();
    store.seats.set(SHOW_A, { available: 5, held: 0, booked: 0, blocked: 0 });
    store.seats.set(SHOW_B, { available: 2, held: 1, booked: 0, blocked: 0 });
    const cache = cacheOver(store);
    expect(await cache.countsOf([SHOW_A, SHOW_B, SHOW_A])).toEqual([
      { available: 5, held: 0, booked: 0, blocked: 0 },
      { available: 2, held: 1, booked: 0, blocked: 0 },
      { available: 5, held: 0, booked: 0, blocked: 0 },
    ]);
    expect(store.counted).toEqual([[SHOW_A, SHOW_B]]);

    store.seats.set(SHOW_B, { available: 1, held: 2, booked: 0, blocked: 0 });
    expect((await cache.countsOf([SHOW_A, SHOW_B]))[1]).toEqual({ available: 2, held: 1, booked: 0, blocked: 0 }); // unchanged
    store.changedShows.add(SHOW_B);
    expect((await cache.countsOf([SHOW_A, SHOW_B]))[1]).toEqual({ available: 1, held: 2, booked: 0, blocked: 0 });
    expect(store.counted).toEqual([[SHOW_A, SHOW_B], [SHOW_B]]);
    expect(store.checked).toEqual([
      [SHOW_A, SHOW_B],
      [SHOW_A, SHOW_B],
    ]);
  });

  it("answers shows live in this process from their live map, without a statement", async () => {
    const store = new FakeStore();
    const cache = cacheOver(store, new Map([[SHOW_A, { available: 1, held: 2, booked: 3, blocked: 0 }]]));
    expect(await cache.countsOf([SHOW_A])).toEqual([{ available: 1, held: 2, booked: 3, blocked: 0 }]);
    expect(store.counted).toEqual([]);
    expect(store.checked).toEqual([]);
  });

  it("answers ids that name no show with no seats, counting only UUIDs (in lower case)", async () => {
    const store = new FakeStore();
    store.seats.set(SHOW_A, { available: 5, held: 0, booked: 0, blocked: 0 });
    const cache = cacheOver(store);
    expect(await cache.countsOf(["not-a-show", SHOW_A.toUpperCase(), SHOW_B])).toEqual([
      { available: 0, held: 0, booked: 0, blocked: 0 },
      { available: 5, held: 0, booked: 0, blocked: 0 },
      { available: 0, held: 0, booked: 0, blocked: 0 },
    ]);
    expect(store.counted).toEqual([[SHOW_A, SHOW_B]]);
    expect(cache.size).toBe(1); // a show without seats is not kept
  });

  it("shares a count sent after a caller began, never one sent before", async () => {
    const store = new FakeStore();
    store.seats.set(SHOW_A, { available: 5, held: 0, booked: 0, blocked: 0 });
    const cache = cacheOver(store);
    store.holdCounts = true;
    const first = cache.countsOf([SHOW_A]); // sends its count at once
    // Began after that count was sent: the count may predate a change this caller made before asking.
    const second = cache.countsOf([SHOW_A]);
    expect(store.counted).toHaveLength(2);
    store.release();
    await Promise.all([first, second]);

    // Two callers checking at once find the show changed: the first count sent answers both.
    store.changedShows.add(SHOW_A);
    store.seats.set(SHOW_A, { available: 4, held: 1, booked: 0, blocked: 0 });
    store.holdCounts = true;
    const readers = [cache.countsOf([SHOW_A]), cache.countsOf([SHOW_A])];
    await new Promise((resolve) => setImmediate(resolve));
    store.release();
    expect(await Promise.all(readers)).toEqual([
      [{ available: 4, held: 1, booked: 0, blocked: 0 }],
      [{ available: 4, held: 1, booked: 0, blocked: 0 }],
    ]);
    expect(store.counted).toHaveLength(3);
  });

  it("totals every show, a chunk at a time", async () => {
    const store = new FakeStore();
    for (let i = 0; i < 2500; i++) {
      store.seats.set(`00000000-0000-4000-8000-${String(i).padStart(12, "0")}`, {
        available: 2,
        held: 1,
        booked: 0,
        blocked: 0,
      });
    }
    const cache = cacheOver(store);
    expect(await cache.totals()).toEqual({ available: 5000, held: 2500, booked: 0, blocked: 0 });
    expect(store.counted.map((ids) => ids.length)).toEqual([1000, 1000, 500]);
    expect(await cache.totals()).toEqual({ available: 5000, held: 2500, booked: 0, blocked: 0 });
    expect(store.counted).toHaveLength(3); // the second time: checks only
  });
});
