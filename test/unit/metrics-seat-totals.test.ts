import { Metrics } from "../../src/server/metrics";

const held = (text: string) => Number(/^booking_api_seats\{status="held"\} (\d+)$/m.exec(text)?.[1]);

/** Metrics whose seat totals come from `load`, counted in `loads`. */
function metricsWith(intervalMs: number, load: () => Promise<number>) {
  const metrics = new Metrics(intervalMs);
  let loads = 0;
  metrics.watch({
    poolStats: () => ({ total: 0, idle: 0, waiting: 0 }),
    webSocketConnections: () => 0,
    activeSubscriptions: () => 0,
    expiryLagSeconds: async () => 0,
    seatTotals: async () => {
      loads++;
      return { available: 0, held: await load(), booked: 0, blocked: 0 };
    },
  });
  return { scrape: () => metrics.registry.metrics(), loads: () => loads };
}

describe("the seat totals gauge", () => {
  afterEach(() => jest.useRealTimers());

  it("answers with the latest totals at once and refreshes them in the background once the interval has passed", async () => {
    jest.useFakeTimers({ doNotFake: ["nextTick", "setImmediate", "queueMicrotask"], now: 0 });
    let release: (value: number) => void = () => undefined;
    let next = 1;
    const gauge = metricsWith(15_000, () =>
      next === 1 ? Promise.resolve(next++) : new Promise<number>((resolve) => (release = resolve)),
    );
    expect(held(await gauge.scrape())).toBe(1); // the first scrape waits for the first totals
    jest.setSystemTime(15_000);
    expect(held(await gauge.scrape())).toBe(1); // due: a refresh starts, the scrape does not wait for it
    expect(held(await gauge.scrape())).toBe(1); // still refreshing: not a second refresh
    expect(gauge.loads()).toBe(2);
    release(7);
    await new Promise((resolve) => setImmediate(resolve));
    expect(held(await gauge.scrape())).toBe(7);
    expect(gauge.loads()).toBe(2);
  });

  it("is loaded at every scrape, and waited for, when the interval is 0", async () => {
    let totals = 0;
    const gauge = metricsWith(0, async () => ++totals);
    expect(held(await gauge.scrape())).toBe(1);
    expect(held(await gauge.scrape())).toBe(2);
  });
});
