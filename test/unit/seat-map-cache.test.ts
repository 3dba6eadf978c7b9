import { type Request } from "express";
import { seatMapCache } from "../../src/server/seat-map-cache";
import { type GraphQLHttpResponse } from "../../src/server/graphql-handler";

const SHOW = "5b0e7f52-8d0c-4f6b-9a55-3f1c2d4e6a70";
const request = (query: string) => ({ method: "POST", body: { query } }) as Request;
const seatMapQuery = (alias: string) => `{ ${alias}: show(id: "${SHOW}") { seats { seatNumber } } }`;

/** A cache whose misses answer with `bodyBytes` of JSON, counting how often GraphQL ran. */
function cacheAnswering(maxBytes: number, bodyBytes: number) {
  const cache = seatMapCache({ maxBytes, maxStalenessMs: 0, fingerprint: async () => "v1" });
  let executions = 0;
  const execute = async (): Promise<GraphQLHttpResponse> => {
    executions++;
    return {
      status: 200,
      headers: [["content-type", "application/json"]],
      body: `{"data":"${"x".repeat(bodyBytes)}"}`,
    };
  };
  return {
    executions: () => executions,
    /** Whether the answer came from the cache. */
    send: async (query: string) =>
      (await cache(request(query), false, execute, Promise.resolve())).headers.some(
        ([name]) => name === "x-seat-map-cache",
      ),
  };
}

describe("seat-map response cache bounds", () => {
  it("answers a repeated show-only read from the cache", async () => {
    const cache = cacheAnswering(1024 * 1024, 1000);
    expect(await cache.send(seatMapQuery("a"))).toBe(false);
    expect(await cache.send(seatMapQuery("a"))).toBe(true);
    expect(cache.executions()).toBe(1);
  });

  it("serves but does not keep a response larger than a quarter of its bytes", async () => {
    const cache = cacheAnswering(1024 * 1024, 300 * 1024);
    expect(await cache.send(seatMapQuery("a"))).toBe(false);
    expect(await cache.send(seatMapQuery("a"))).toBe(false);
    expect(cache.executions()).toBe(2);
  });

  it("drops the least recently used responses once their bytes exceed the budget, whatever their count", async () => {
    const cache = cacheAnswering(1024 * 1024, 100 * 1024);
    for (let i = 0; i < 20; i++) await cache.send(seatMapQuery(`a${i}`)); // 2 MB of distinct answers
    expect(await cache.send(seatMapQuery("a19"))).toBe(true);
    expect(await cache.send(seatMapQuery("a0"))).toBe(false);
  });

  it("answers texts with a huge comment without keeping them (a different comment is a different text)", async () => {
    const cache = cacheAnswering(1024 * 1024, 100);
    const commented = (n: number) => `# ${n} ${"x".repeat(2_000_000)}\n${seatMapQuery("a")}`;
    for (let i = 0; i < 50; i++) expect(await cache.send(commented(i))).toBe(false);
    expect(await cache.send(commented(49))).toBe(true);
  });

  it("lets the next miss start once an answer is written, or a grace period after it is built", async () => {
    const cache = seatMapCache({ maxBytes: 1024 * 1024, maxStalenessMs: 0, fingerprint: async () => "v1" });
    const started: number[] = [];
    const execute = (i: number) => async (): Promise<GraphQLHttpResponse> => {
      started.push(i);
      return { status: 200, headers: [], body: '{"data":{}}' };
    };
    let written!: () => void;
    const unwritten = new Promise<void>((resolve) => (written = resolve));
    // Two answers built but not yet written hold both turns: a third miss waits.
    await cache(request(seatMapQuery("w1")), false, execute(1), unwritten);
    await cache(request(seatMapQuery("w2")), false, execute(2), new Promise(() => {}));
    const w2Built = Date.now();
    const third = cache(request(seatMapQuery("w3")), false, execute(3), Promise.resolve());
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(started).toEqual([1, 2]);
    written();
    await third;
    expect(started).toEqual([1, 2, 3]);
    // w2's answer is never written (a reader that stalls); with w4 never written either, both turns are held, and
    // the next miss starts only when w2's grace period (2 s after it was built) runs out.
    await cache(request(seatMapQuery("w4")), false, execute(4), new Promise(() => {}));
    const fifth = cache(request(seatMapQuery("w5")), false, execute(5), Promise.resolve());
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(started).toEqual([1, 2, 3, 4]);
    await fifth;
    expect(Date.now() - w2Built).toBeGreaterThanOrEqual(1900);
  });

  it("builds at most two seat maps at a time, the other misses waiting their turn", async () => {
    const cache = seatMapCache({ maxBytes: 1024 * 1024, maxStalenessMs: 0, fingerprint: async () => "v1" });
    let running = 0;
    let most = 0;
    const execute = async (): Promise<GraphQLHttpResponse> => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 20));
      running--;
      return { status: 200, headers: [], body: '{"data":{}}' };
    };
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => cache(request(seatMapQuery(`m${i}`)), false, execute, Promise.resolve())),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(most).toBe(2);
  });
});
