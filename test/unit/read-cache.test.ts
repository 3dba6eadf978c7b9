import { createHash } from "node:crypto";
import { type DocumentNode, parse } from "graphql";
import { type GraphQLHttpResponse } from "../../src/server/graphql-handler";
import { readCache, type ReadRequest } from "../../src/server/read-cache/read-cache";

const SHOW = "5b0e7f52-8d0c-4f6b-9a55-3f1c2d4e6a70";
const seatMapQuery = (alias: string) => `{ ${alias}: show(id: "${SHOW}") { seats { seatNumber } } }`;
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** A read cache over documents parsed here (as the document preparer would hand them over), counting executions. */
function cacheAnswering(maxBytes: number, bodyBytes: number, fingerprint = async () => "v1") {
  const documents = new Map<string, DocumentNode>();
  const observed: string[] = [];
  const cache = readCache({
    maxBytes,
    maxStalenessMs: 0,
    versions: async () => ({ fingerprint: await fingerprint(), layouts: "1", allExist: true }),
    documentOf: (hash) => documents.get(hash),
    schemaDigest: "schema",
    tagScope: "",
    observer: { counted: (outcome) => observed.push(outcome), served: () => {} },
  });
  let executions = 0;
  const execute =
    (wait = Promise.resolve()) =>
    async (): Promise<GraphQLHttpResponse> => {
      executions++;
      await wait;
      return {
        status: 200,
        headers: [["content-type", "application/json"]],
        body: `{"data":"${"x".repeat(bodyBytes)}"}`,
      };
    };
  const request = (query: string, headers: Record<string, string> = {}, sent = Promise.resolve()): ReadRequest => {
    const queryHash = sha256(query);
    if (!documents.has(queryHash)) documents.set(queryHash, parse(query));
    return {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      operation: { operation: { query }, text: { queryHash, document: documents.get(queryHash) } },
      credentialsRefused: false,
      authenticated: false,
      requestId: "r",
      sent,
    };
  };
  const outcomeOf = (response: GraphQLHttpResponse) =>
    response.headers.find(([name]) => name === "x-seat-map-cache")?.[1] ?? null;
  return {
    cache,
    execute,
    request,
    observed,
    executions: () => executions,
    /** How the answer came: "hit", "miss", "coalesced", "not-modified", or null when not cacheable. */
    send: async (query: string, headers?: Record<string, string>) =>
      outcomeOf(await cache(request(query, headers), execute())),
    outcomeOf,
  };
}

describe("read cache bounds", () => {
  it("answers a repeated show-only read from the cache", async () => {
    const cache = cacheAnswering(1024 * 1024, 1000);
    expect(await cache.send(seatMapQuery("a"))).toBe("miss");
    expect(await cache.send(seatMapQuery("a"))).toBe("hit");
    expect(cache.executions()).toBe(1);
  });

  it("serves but does not keep a response larger than a quarter of its bytes", async () => {
    const cache = cacheAnswering(1024 * 1024, 300 * 1024);
    expect(await cache.send(seatMapQuery("a"))).toBe("miss");
    expect(await cache.send(seatMapQuery("a"))).toBe("miss");
    expect(cache.executions()).toBe(2);
  });

  it("drops the least recently used responses once their bytes exceed the budget, whatever their count", async () => {
    const cache = cacheAnswering(1024 * 1024, 100 * 1024);
    for (let i = 0; i < 20; i++) await cache.send(seatMapQuery(`a${i}`)); // 2 MB of distinct answers
    expect(await cache.send(seatMapQuery("a19"))).toBe("hit");
    expect(await cache.send(seatMapQuery("a0"))).toBe("miss");
  });

  it("counts the compressed forms it keeps against its bytes", async () => {
    // Random bytes do not compress: each coding kept adds about the body's size again.
    const cache = cacheAnswering(1024 * 1024, 0);
    const noise = createHash("sha256").update("seed").digest("hex");
    let body = "";
    while (body.length < 200 * 1024)
      body += createHash("sha256")
        .update(body.slice(-64) + noise)
        .digest("base64");
    const execute = async (): Promise<GraphQLHttpResponse> => ({ status: 200, headers: [], body: `"${body}"` });
    const first = await cache.cache(cache.request(seatMapQuery("n")), execute);
    await first.encoded!("gzip");
    // 200 KB identity + 200 KB gzip is over the quarter of a megabyte an entry may take: no longer kept.
    expect(cache.outcomeOf(await cache.cache(cache.request(seatMapQuery("n")), execute))).toBe("miss");
  });

  it("lets the next miss start once an answer is written, or a grace period after it is built", async () => {
    const cache = cacheAnswering(1024 * 1024, 10);
    const started: number[] = [];
    const execute = (i: number) => async (): Promise<GraphQLHttpResponse> => {
      started.push(i);
      return { status: 200, headers: [], body: '{"data":{}}' };
    };
    let written!: () => void;
    const unwritten = new Promise<void>((resolve) => (written = resolve));
    // Two answers built but not yet written hold both turns: a third miss waits.
    await cache.cache(cache.request(seatMapQuery("w1"), {}, unwritten), execute(1));
    await cache.cache(cache.request(seatMapQuery("w2"), {}, new Promise(() => {})), execute(2));
    const w2Built = Date.now();
    const third = cache.cache(cache.request(seatMapQuery("w3")), execute(3));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(started).toEqual([1, 2]);
    written();
    await third;
    expect(started).toEqual([1, 2, 3]);
    // w2's answer is never written (a reader that stalls); with w4 never written either, both turns are held, and
    // the next miss starts only when w2's grace period (2 s after it was built) runs out.
    await cache.cache(cache.request(seatMapQuery("w4"), {}, new Promise(() => {})), execute(4));
    const fifth = cache.cache(cache.request(seatMapQuery("w5")), execute(5));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(started).toEqual([1, 2, 3, 4]);
    await fifth;
    expect(Date.now() - w2Built).toBeGreaterThanOrEqual(1900);
  });

  it("builds at most two seat maps at a time, the other misses waiting their turn", async () => {
    const cache = cacheAnswering(1024 * 1024, 10);
    let running = 0;
    let most = 0;
    const execute = async (): Promise<GraphQLHttpResponse> => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 20));
      running--;
      return { status: 200, headers: [], body: '{"data":{}}' };
    };
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => cache.cache(cache.request(seatMapQuery(`m${i}`)), execute)),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(most).toBe(2);
  });
});

describe("read cache coalescing and validators", () => {
  it("executes simultaneous misses for the same answer once; the others share it", async () => {
    const cache = cacheAnswering(1024 * 1024, 1000);
    let finish!: () => void;
    const execute = cache.execute(new Promise<void>((resolve) => (finish = resolve)));
    const answers = Array.from({ length: 32 }, () => cache.cache(cache.request(seatMapQuery("c")), execute));
    await new Promise((resolve) => setTimeout(resolve, 20));
    finish();
    const outcomes = (await Promise.all(answers)).map(cache.outcomeOf);
    expect(cache.executions()).toBe(1);
    expect(outcomes.filter((o) => o === "miss")).toHaveLength(1);
    expect(outcomes.filter((o) => o === "coalesced")).toHaveLength(31);
  });

  it("lets each waiting request run for itself when the shared answer failed", async () => {
    const cache = cacheAnswering(1024 * 1024, 10);
    let calls = 0;
    let finish!: () => void;
    const failed = new Promise<void>((resolve) => (finish = resolve));
    const execute = async (): Promise<GraphQLHttpResponse> => {
      if (++calls === 1) {
        await failed;
        return { status: 429, headers: [], body: '{"errors":[{"message":"slow down"}]}' };
      }
      return { status: 200, headers: [], body: '{"data":{}}' };
    };
    const answers = Array.from({ length: 3 }, () => cache.cache(cache.request(seatMapQuery("f")), execute));
    await new Promise((resolve) => setTimeout(resolve, 20));
    finish();
    expect((await Promise.all(answers)).map((a) => a.status)).toEqual([429, 200, 200]);
  });

  it("answers 304 to a matching If-None-Match, and a new tag once the versions change", async () => {
    let version = "v1";
    const cache = cacheAnswering(1024 * 1024, 10, async () => version);
    const first = await cache.cache(cache.request(seatMapQuery("e")), cache.execute());
    const tag = first.headers.find(([name]) => name === "etag")![1];
    expect(tag).toMatch(/^W\/"[\w-]{27}"$/);
    const again = await cache.cache(cache.request(seatMapQuery("e"), { "if-none-match": tag }), cache.execute());
    expect(again).toMatchObject({ status: 304, body: "" });
    expect(again.headers).toContainEqual(["etag", tag]);
    version = "v2";
    const changed = await cache.cache(cache.request(seatMapQuery("e"), { "if-none-match": tag }), cache.execute());
    expect(changed.status).toBe(200);
    expect(changed.headers.find(([name]) => name === "etag")![1]).not.toBe(tag);
    expect(cache.executions()).toBe(2);
  });
});
