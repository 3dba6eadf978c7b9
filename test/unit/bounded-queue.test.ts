import { type ExecutionResult, GraphQLError } from "graphql";
import { eagerQueue, pushQueue, type QueueBudget } from "../../src/realtime/bounded-queue";
import { seatChangeConflation, seatResultConflation } from "../../src/seats/seat-change-conflation";

/** A source the test feeds by hand. */
function source<T>(): { push(value: T): void; readonly returned: boolean; iterator: AsyncIterator<T> } {
  const pending: T[] = [];
  const waiters: ((result: IteratorResult<T>) => void)[] = [];
  let returned = false;
  return {
    push(value: T) {
      const waiter = waiters.shift();
      if (waiter) waiter({ value, done: false });
      else pending.push(value);
    },
    get returned() {
      return returned;
    },
    iterator: {
      next: () =>
        pending.length > 0
          ? Promise.resolve({ value: pending.shift()!, done: false as const })
          : new Promise<IteratorResult<T>>((resolve) => waiters.push(resolve)),
      return: () => {
        returned = true;
        return Promise.resolve({ value: undefined, done: true as const });
      },
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

function budget(limitBytes: number, transportBytes: () => number) {
  const overflows: number[] = [];
  const value: QueueBudget = { limitBytes, queuedBytes: 0, transportBytes, overflow: () => overflows.push(1) };
  return { value, overflows };
}

describe("eagerQueue", () => {
  it("takes items as they arrive and hands them over in order", async () => {
    const feed = source<string>();
    const queue = eagerQueue(feed.iterator);
    feed.push("a");
    feed.push("b");
    await tick();
    await expect(queue.next()).resolves.toEqual({ value: "a", done: false });
    await expect(queue.next()).resolves.toEqual({ value: "b", done: false });
    const third = queue.next();
    feed.push("c");
    await expect(third).resolves.toEqual({ value: "c", done: false });
  });

  it("lets events wait without limit while the transport is empty (this process is busy, not the client)", async () => {
    const feed = source<string>();
    const { value, overflows } = budget(10, () => 0);
    const queue = eagerQueue(feed.iterator, { budget: value, sizeOf: () => 8 });
    for (let i = 0; i < 5; i++) feed.push(`e${i}`);
    await tick();
    expect(overflows).toEqual([]);
    expect(value.queuedBytes).toBe(40);
    await queue.next();
    expect(value.queuedBytes).toBe(32);
  });

  it("ends the stream and overflows once more than the limit waits behind a transport with unsent bytes", async () => {
    const feed = source<string>();
    let unsent = 0;
    const { value, overflows } = budget(10, () => unsent);
    const queue = eagerQueue(feed.iterator, { budget: value, sizeOf: () => 8 });
    const first = queue.next();
    feed.push("in flight"); // always let through, whatever its size
    await expect(first).resolves.toEqual({ value: "in flight", done: false });
    unsent = 100; // the socket stopped taking what it was given
    feed.push("waits 1");
    await tick();
    expect(overflows).toEqual([]); // 8 bytes waiting: within the limit
    feed.push("waits 2");
    await tick();
    expect(overflows).toEqual([1]);
    expect(value.queuedBytes).toBe(0);
    expect(feed.returned).toBe(true);
    await expect(queue.next()).resolves.toEqual({ value: undefined, done: true });
  });

  it("returns its source when the consumer stops", async () => {
    const feed = source<string>();
    const queue = eagerQueue(feed.iterator);
    const pending = queue.next();
    await queue.return!();
    await expect(pending).resolves.toEqual({ value: undefined, done: true });
    expect(feed.returned).toBe(true);
  });
});

type Change = { showId: string; version: string; seats: { seatNumber: string; status: string; version: string }[] };
const change = (...seats: [seatNumber: string, version: number][]): Change => ({
  showId: "s",
  version: String(Math.max(...seats.map(([, v]) => v))),
  seats: seats.map(([seatNumber, version]) => ({ seatNumber, status: "HELD", version: String(version) })),
});
const seatsOf = (value: Change | undefined) => value?.seats.map((s) => `${s.seatNumber}@${s.version}`);

/** Everything waiting in a queue (without waiting for more). */
async function waitingIn<T>(queue: AsyncIterableIterator<T>): Promise<T[]> {
  const items: T[] = [];
  for (;;) {
    const next = await Promise.race([queue.next(), tick().then(() => undefined)]);
    if (!next || next.done) return items;
    items.push(next.value);
  }
}

describe("pushQueue with seat conflation", () => {
  it("replaces a waiting seat change by the seat's newer change, keeping the rest of the older event", async () => {
    const queue = pushQueue<Change>({ conflation: seatChangeConflation() });
    queue.push(change(["A1", 1], ["A2", 2]));
    queue.push(change(["B1", 3]));
    queue.push(change(["A1", 4]));
    const [first, second, third, ...rest] = await waitingIn(queue);
    expect(seatsOf(first)).toEqual(["A2@2"]);
    expect(first!.version).toBe("2"); // still the highest version among its seats
    expect(seatsOf(second)).toEqual(["B1@3"]);
    expect(seatsOf(third)).toEqual(["A1@4"]);
    expect(rest).toEqual([]);
  });

  it("drops a waiting event once all its seats changed again, and never lets an older change replace a newer", async () => {
    const queue = pushQueue<Change>({ conflation: seatChangeConflation() });
    queue.push(change(["A1", 5], ["A2", 6]));
    queue.push(change(["A1", 7], ["A2", 8]));
    queue.push(change(["A1", 3])); // late and older: the waiting A1@7 stays
    expect((await waitingIn(queue)).map(seatsOf)).toEqual([["A1@7", "A2@8"], ["A1@3"]]);
  });

  it("keeps a stalled consumer's backlog bounded by the number of seats, not by the rate of changes", async () => {
    let unsent = 100;
    const { value, overflows } = budget(1_000_000, () => unsent);
    const queue = pushQueue<Change>({ conflation: seatChangeConflation(), budget: value });
    for (let version = 1; version <= 10_000; version++) queue.push(change([`S${version % 20}`, version]));
    expect(overflows).toEqual([]);
    const waiting = await waitingIn(queue);
    expect(waiting).toHaveLength(20);
    expect(waiting.map((c) => c.seats[0]!.version)).toEqual(
      Array.from({ length: 20 }, (_, i) => String(10_000 - 19 + i)),
    );
    expect(value.queuedBytes).toBe(0);
    unsent = 0;
  });

  it("counts conflated bytes against the budget, and always lets one event through, whatever its size", async () => {
    const { value, overflows } = budget(100, () => 1);
    const queue = pushQueue<Change>({ conflation: seatChangeConflation(), budget: value });
    const huge = change(...Array.from({ length: 50 }, (_, i): [string, number] => [`H${i}`, i + 1]));
    queue.push(huge);
    expect(overflows).toEqual([]); // one event waits, far over the limit: let through
    queue.push(change(...Array.from({ length: 50 }, (_, i): [string, number] => [`H${i}`, i + 100])));
    expect(overflows).toEqual([]); // the newer event replaced the older entirely: still one waiting
    queue.push(change(["X", 500]));
    expect(overflows).toEqual([1]); // two events and more than the limit behind a socket with unsent bytes
    expect(value.queuedBytes).toBe(0);
  });
});

describe("seatResultConflation", () => {
  const result = (seats: [string, number][], extra: Record<string, unknown> = {}) => ({
    data: { seatMapChanged: { ...change(...seats), ...extra } },
  });

  it("conflates subscription results that select seat numbers and versions", async () => {
    const queue = pushQueue({ conflation: seatResultConflation });
    queue.push(
      result([
        ["A1", 1],
        ["A2", 2],
      ]),
    );
    queue.push(result([["A1", 3]]));
    const waiting = await waitingIn(queue);
    expect(waiting.map((r) => seatsOf(r.data!.seatMapChanged as Change))).toEqual([["A2@2"], ["A1@3"]]);
  });

  it("keeps results it cannot judge: errors, or a selection without seat versions", async () => {
    const queue = pushQueue<ExecutionResult>({ conflation: seatResultConflation });
    queue.push({ data: { seatMapChanged: { version: "1", seats: [{ seatNumber: "A1" }] } } });
    queue.push({ errors: [new GraphQLError("masked")] });
    queue.push(result([["A1", 2]]));
    queue.push(result([["A1", 3]]));
    expect(await waitingIn(queue)).toHaveLength(3);
  });
});
