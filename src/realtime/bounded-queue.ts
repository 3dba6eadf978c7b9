/**
 * How many bytes of events one connection may have waiting, shared by all its subscriptions, and what to do when a
 * client falls behind by more than that.
 */
export interface QueueBudget {
  readonly limitBytes: number;
  /** Bytes queued now across the connection's subscriptions (maintained by the queues). */
  queuedBytes: number;
  /** Bytes the transport holds but has not written yet (e.g. the socket's bufferedAmount). */
  transportBytes(): number;
  overflow(): void;
}

/**
 * How a newer item makes parts of older waiting items pointless (e.g. a seat's newer change makes its older change
 * moot, since clients apply a seat's change only if its version is newer than what they have).
 */
export interface Conflation<T> {
  /** The parts an item changes, each with its version; undefined when the item cannot be conflated. */
  partsOf(value: T): ReadonlyMap<string, bigint> | undefined;
  /** What is left of `value` without `parts` (each changed again by a newer item); undefined when nothing is. */
  without(value: T, parts: ReadonlySet<string>): T | undefined;
}

export interface QueueOptions<T> {
  /** Bounds the items waiting here (see eagerQueue); unbounded without one. */
  readonly budget?: QueueBudget;
  readonly sizeOf?: (value: T) => number;
  /** Lets a newer item replace the parts of older waiting items it changes again. */
  readonly conflation?: Conflation<T>;
  /** Called once when the queue ends (consumer returned, source ended, or overflow). */
  readonly onEnd?: () => void;
}

/** A queue fed by `push`, read as an async iterator; ending it (either side) drops what waits. */
export interface PushQueue<T> extends AsyncIterableIterator<T> {
  push(value: T): void;
  end(): void;
}

interface Entry<T> {
  value: T;
  bytes: number;
  /** The parts this entry is still the latest waiting change of (see Conflation). */
  readonly parts: Map<string, bigint>;
  live: boolean;
}

/**
 * Keeps pushed items until the consumer asks for them, conflating them per part when a conflation is given: while
 * items wait, a newer change of a part replaces the older one, so a slow consumer's backlog is bounded by the number of
 * parts (e.g. a show's seats), not by the rate of changes.
 *
 * With a budget, slowness is judged by the client's own backlog: the budget is exceeded when more than `limitBytes`
 * wait here *while the transport has unsent bytes* (the socket is not taking what it was given). Items that wait only
 * because this process is busy (the socket empty) never count against the client, and the oldest waiting item is
 * always let through, whatever its size. On overflow the queue ends and `budget.overflow()` is called.
 */
export function pushQueue<T>(options: QueueOptions<T> = {}): PushQueue<T> {
  const { budget, conflation } = options;
  const sizeOf = options.sizeOf ?? ((value: T) => JSON.stringify(value).length);
  let queue: Entry<T>[] = [];
  let live = 0;
  /** For each part, the waiting entry holding its latest change. */
  const holders = new Map<string, Entry<T>>();
  let waiting: ((result: IteratorResult<T>) => void) | undefined;
  let done = false;

  const account = (bytes: number) => {
    if (budget) budget.queuedBytes += bytes;
  };
  const drop = (entry: Entry<T>) => {
    entry.live = false;
    live--;
    account(-entry.bytes);
    for (const [part] of entry.parts) if (holders.get(part) === entry) holders.delete(part);
  };
  /** Removes from waiting entries the parts `parts` changes again. */
  const supersede = (parts: ReadonlyMap<string, bigint>) => {
    const stale = new Map<Entry<T>, Set<string>>();
    for (const [part, version] of parts) {
      const holder = holders.get(part);
      if (!holder || holder.parts.get(part)! >= version) continue;
      const gone = stale.get(holder) ?? new Set<string>();
      stale.set(holder, gone.add(part));
    }
    for (const [entry, gone] of stale) {
      const rest = conflation!.without(entry.value, gone);
      if (rest === undefined) {
        drop(entry);
        continue;
      }
      for (const part of gone) {
        entry.parts.delete(part);
        holders.delete(part);
      }
      const bytes = budget ? sizeOf(rest) : 0;
      account(bytes - entry.bytes);
      entry.value = rest;
      entry.bytes = bytes;
    }
    // Dropped entries stay in the array until read; compact once they outnumber the live ones.
    if (queue.length > 2 * live + 16) queue = queue.filter((entry) => entry.live);
  };
  const end = () => {
    if (done) return;
    done = true;
    for (const entry of queue) if (entry.live) account(-entry.bytes);
    queue = [];
    holders.clear();
    live = 0;
    options.onEnd?.();
    waiting?.({ value: undefined, done: true });
    waiting = undefined;
  };

  const push = (value: T) => {
    if (done) return;
    if (waiting) {
      const resolve = waiting;
      waiting = undefined;
      resolve({ value, done: false });
      return;
    }
    const parts = conflation?.partsOf(value);
    if (parts) supersede(parts);
    const entry: Entry<T> = { value, bytes: budget ? sizeOf(value) : 0, parts: new Map(parts), live: true };
    for (const [part, version] of entry.parts) {
      const holder = holders.get(part);
      if (holder && holder.parts.get(part)! >= version) entry.parts.delete(part);
      else holders.set(part, entry);
    }
    queue.push(entry);
    live++;
    if (!budget) return;
    account(entry.bytes);
    if (live > 1 && budget.queuedBytes > budget.limitBytes && budget.transportBytes() > 0) {
      end();
      budget.overflow();
    }
  };

  const iterator: PushQueue<T> = {
    push,
    end,
    next() {
      for (let entry = queue.shift(); entry; entry = queue.shift()) {
        if (!entry.live) continue;
        drop(entry);
        return Promise.resolve({ value: entry.value, done: false });
      }
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => (waiting = resolve));
    },
    return() {
      end();
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

/**
 * Takes items from `source` as soon as they come and keeps them (see pushQueue) until the consumer asks for them.
 *
 * With a budget: the consumer (graphql-ws) asks for the next event only once the previous one is written to the
 * socket, so a client that stops reading makes events wait here; conflation bounds that by the show's size and the
 * budget cuts the client off once it is clearly not reading.
 */
export function eagerQueue<T>(source: AsyncIterator<T>, options: QueueOptions<T> = {}): AsyncIterableIterator<T> {
  const queue = pushQueue<T>({
    ...options,
    onEnd: () => {
      void source.return?.();
      options.onEnd?.();
    },
  });
  void (async () => {
    try {
      for (let next = await source.next(); !next.done; next = await source.next()) queue.push(next.value);
    } finally {
      queue.end();
    }
  })();
  return queue;
}
