import { eagerQueue, type QueueBudget } from "../../src/realtime/bounded-queue";

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
  it("takes items as they arrive, noting each on arrival, and hands them over in order", async () => {
    const feed = source<string>();
    const arrived: string[] = [];
    const queue = eagerQueue(feed.iterator, { onArrival: (value) => arrived.push(value) });
    feed.push("a");
    feed.push("b");
    await tick();
    expect(arrived).toEqual(["a", "b"]);
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
