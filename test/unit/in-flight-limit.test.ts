import { createServer, type Server } from "node:http";
import { type AddressInfo } from "node:net";
import express from "express";
import { inFlightLimit } from "../../src/server/memory-budget";

const MB = 1024 * 1024;
let server: Server;
let url: string;
/** Requests that reached the handler wait here until released. */
let release: () => void;
let gate: Promise<void>;
const closeGate = () => {
  gate = new Promise((resolve) => (release = resolve));
};

beforeAll(async () => {
  const app = express();
  app.use(inFlightLimit({ cacheBytes: 0, inFlightBodyBytes: 4 * MB, inFlightRequestsPerAddress: 3 }, 2 * MB));
  app.use(express.json({ limit: 2 * MB }));
  app.post("/", async (_req, res) => {
    await gate;
    res.json({ ok: true });
  });
  server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const post = async (bytes: number) => {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ pad: "x".repeat(bytes) }),
  });
  return { status: response.status, retryAfter: response.headers.get("retry-after"), body: await response.json() };
};
/** Lets the requests sent so far reach the server. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 200));

describe("in-flight limit", () => {
  it("refuses, with 503 and Retry-After, bodies beyond the bytes in progress, then admits again", async () => {
    closeGate();
    const admitted = [post(1.5 * MB), post(1.5 * MB)];
    await settle();
    const refused = await post(1.5 * MB);
    expect(refused).toEqual({
      status: 503,
      retryAfter: "1",
      body: { errors: [expect.objectContaining({ extensions: { code: "SERVER_BUSY", retryAfter: 1 } })] },
    });
    release();
    expect((await Promise.all(admitted)).map((r) => r.status)).toEqual([200, 200]);
    expect((await post(1.5 * MB)).status).toBe(200);
  });

  it("refuses an address more requests in progress than its limit", async () => {
    closeGate();
    const admitted = [post(10), post(10), post(10)];
    await settle();
    expect((await post(10)).status).toBe(503);
    release();
    expect((await Promise.all(admitted)).map((r) => r.status)).toEqual([200, 200, 200]);
    expect((await post(10)).status).toBe(200);
  });
});
