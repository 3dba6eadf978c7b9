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

export interface QueueOptions<T> {
  /** Called with each item the moment it arrives, before it waits for its turn. */
  readonly onArrival?: (value: T) => void;
  /** Bounds the items waiting here (see eagerQueue); unbounded without one. */
  readonly budget?: QueueBudget;
  readonly sizeOf?: (value: T) => number;
}

/**
 * Takes items from `source` as soon as they come and keeps them until the consumer asks for them.
 *
 * With a budget: the consumer (graphql-ws) asks for the next event only once the previous one is written to the
 * socket, so a client that stops reading makes events wait here without end; the budget bounds that. Slowness is
 * judged by the client's own backlog: the budget is exceeded when more than `limitBytes` wait here *while the
 * transport has unsent bytes* (the socket is not taking what it was given). Events that wait only because this
 * process is busy with earlier ones (the socket empty) are not the client's fault and never count against it, and one
 * event is always let through, whatever its size. On overflow the stream ends and `budget.overflow()` is called.
 */
export function eagerQueue<T>(source: AsyncIterator<T>, options: QueueOptions<T> = {}): AsyncIterableIterator<T> {
  const { onArrival, budget } = options;
  const sizeOf = options.sizeOf ?? ((value: T) => JSON.stringify(value).length);
  const queue: { value: T; bytes: number }[] = [];
  let waiting: ((result: IteratorResult<T>) => void) | undefined;
  let done = false;
  const release = (bytes: number) => {
    if (budget) budget.queuedBytes -= bytes;
  };
  const finish = () => {
    if (done) return;
    done = true;
    for (const item of queue.splice(0)) release(item.bytes);
    void source.return?.();
    waiting?.({ value: undefined, done: true });
    waiting = undefined;
  };
  void (async () => {
    try {
      for (let next = await source.next(); !next.done && !done; next = await source.next()) {
        onArrival?.(next.value);
        if (waiting) {
          const resolve = waiting;
          waiting = undefined;
          resolve({ value: next.value, done: false });
          continue;
        }
        const bytes = budget ? sizeOf(next.value) : 0;
        queue.push({ value: next.value, bytes });
        if (!budget) continue;
        budget.queuedBytes += bytes;
        if (budget.queuedBytes > budget.limitBytes && budget.transportBytes() > 0) {
          finish();
          budget.overflow();
        }
      }
    } finally {
      finish();
    }
  })();
  const iterator: AsyncIterableIterator<T> = {
    next() {
      const item = queue.shift();
      if (item) {
        release(item.bytes);
        return Promise.resolve({ value: item.value, done: false });
      }
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => (waiting = resolve));
    },
    return() {
      finish();
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
