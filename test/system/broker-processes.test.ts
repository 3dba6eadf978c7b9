import pg from "pg";
import { ConfirmBookingDocument, HoldSeatsDocument } from "../__generated__/graphql";
import { type ApiProcess, startApiProcess } from "../support/api-process";
import { BOX_OFFICE_SETTINGS } from "../support/box-office";
import { describeNeeding, rabbitMqUrl } from "../support/external-services";
import { createShowAt } from "../support/factories";
import { signToken } from "../support/from-src";
import { postGraphQL } from "../support/graphql";
import { type EventTap, tapExchange, uniqueExchange, useSharedBroker } from "../support/rabbitmq";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import { waitUntil } from "../support/time";

jest.setTimeout(60_000);
const SECRET = "broker-processes-secret-long-enough";

/** What one test runs against: a database, processes over it, a tap on its exchange; all gone afterwards. */
function brokerRig() {
  const rig = {
    exchange: uniqueExchange(),
    database: undefined as TestDatabase | undefined,
    tap: undefined as EventTap | undefined,
    db: undefined as pg.Client | undefined,
    processes: [] as ApiProcess[],
    env(amqpUrl: string): Record<string, string> {
      return {
        ...BOX_OFFICE_SETTINGS,
        DATABASE_URL: rig.database!.url,
        JWT_SECRET: SECRET,
        AMQP_URL: amqpUrl,
        AMQP_EXCHANGE: rig.exchange,
        EVENT_RELAY_INTERVAL_MS: "50",
      };
    },
    async start(amqpUrl: string): Promise<ApiProcess> {
      const api = await startApiProcess(rig.env(amqpUrl));
      rig.processes.push(api);
      return api;
    },
    /** The log's ids in sequence order, with each event's booking, once every committed event is sequenced. */
    async log() {
      await waitUntil(
        async () =>
          (await rig.db!.query<{ n: number }>("SELECT count(*)::int AS n FROM booking_outbox")).rows[0]!.n === 0,
        { message: "the outbox to be sequenced" },
      );
      const { rows } = await rig.db!.query<{ id: string; sequence: string; booking_id: string | null }>(
        "SELECT e.id, e.sequence::text AS sequence, e.booking_id FROM booking_events AS e ORDER BY e.sequence",
      );
      return rows;
    },
    async cursor() {
      const { rows } = await rig.db!.query<{ last_sequence: string; leased_by: string | null; live: boolean }>(
        `SELECT last_sequence::text, leased_by, coalesce(leased_until > now(), false) AS live
         FROM broker_cursors WHERE exchange = $1`,
        [rig.exchange],
      );
      return rows[0];
    },
  };
  beforeAll(async () => {
    rig.database = await createTestDatabase();
    rig.db = new pg.Client({ connectionString: rig.database.url });
    rig.db.on("error", () => undefined); // dropping the database ends it
    await rig.db.connect();
    rig.tap = await tapExchange(rabbitMqUrl(), rig.exchange);
  });
  afterAll(async () => {
    await Promise.all(rig.processes.map((p) => p.stop("SIGKILL")));
    await rig.db?.end();
    await rig.tap?.close();
    await rig.database?.drop();
  });
  return rig;
}

/** `count` customers, each holding one seat through one process and confirming through the other, all at once. */
async function burst(processes: ApiProcess[], showId: string, seats: string[], tag: string): Promise<void> {
  await Promise.all(
    seats.map(async (seat, i) => {
      const token = signToken(SECRET, { sub: `${tag}-${i}`, role: "user" });
      const via = (n: number) => processes[n % processes.length]!.url;
      const held = await postGraphQL(via(i), HoldSeatsDocument, { input: { showId, seatNumbers: [seat] } }, token);
      expect(held.data?.holdSeats.userErrors).toEqual([]);
      const id = held.data!.holdSeats.booking!.id;
      const confirmed = await postGraphQL(via(i + 1), ConfirmBookingDocument, { id }, token);
      expect(confirmed.data?.confirmBooking.booking?.status).toBe("CONFIRMED");
    }),
  );
}

const seatsOf = (row: string, count: number) => Array.from({ length: count }, (_, i) => `${row}${i + 1}`);
const pidOf = (holder: string | null | undefined) => Number(holder?.split(":")[1]);

describeNeeding("rabbitmq", "the broker publisher across API processes", () => {
  useSharedBroker();

  describe("two processes publishing one exchange", () => {
    const rig = brokerRig();

    it("never publish at once: every event once, in log order; a stopped holder hands over at once", async () => {
      const [first, second] = await Promise.all([rig.start(rabbitMqUrl()), rig.start(rabbitMqUrl())]);
      const both = [first!, second!];
      await waitUntil(async () => (await rig.cursor()) !== undefined, { message: "the cursor" });
      const show = await createShowAt(first!.url, SECRET, { rows: 3, seatsPerRow: 30 });
      // Both processes sequence and publish on their own intervals, each woken by its own requests.
      await burst(both, show.id, seatsOf("A", 30), "a");
      await burst(both, show.id, seatsOf("B", 30), "b");
      const log = await rig.log();
      expect(log).toHaveLength(1 + 60 * 2);
      const messages = await rig.tap!.waitForCount(log.length, 20_000);
      // Two publishers at once would publish the same events twice (and interleave them).
      expect(messages.map((m) => m.body.id)).toEqual(log.map((event) => event.id));
      const sequences = messages.map((m) => Number(m.body.sequence));
      expect(sequences).toEqual([...sequences].sort((a, b) => a - b));

      // SIGTERM the lease holder: it gives the lease up, and the other one publishes without waiting it out.
      const holder = pidOf((await rig.cursor())!.leased_by);
      const [stopping, staying] = first!.child.pid === holder ? [first!, second!] : [second!, first!];
      expect(stopping.child.pid).toBe(holder);
      expect(await stopping.stop("SIGTERM")).toBe(0);
      expect((await rig.cursor())!.leased_by).toBeNull();
      const before = messages.length;
      const started = Date.now();
      await burst([staying], show.id, seatsOf("C", 5), "c");
      await rig.tap!.waitForCount(before + 10, 10_000);
      const handoverMs = Date.now() - started;
      expect(handoverMs).toBeLessThan(3000); // the lease (5 s) was not waited out
      expect(pidOf((await rig.cursor())!.leased_by)).toBe(staying.child.pid);
      expect(rig.tap!.messages.map((m) => m.body.id)).toEqual((await rig.log()).map((event) => event.id));
    });
  });

  describe("kill -9 of the publishing process", () => {
    const rig = brokerRig();
    let proxy: TcpProxy;
    beforeAll(async () => {
      proxy = await startTcpProxy(rabbitMqUrl(), "forward");
    });
    afterAll(() => proxy?.close());

    it("loses nothing committed: the next process publishes it once the dead one's lease runs out", async () => {
      const doomed = await rig.start(proxy.url);
      const show = await createShowAt(doomed.url, SECRET, { rows: 2, seatsPerRow: 20 });
      await burst([doomed], show.id, seatsOf("A", 10), "a");
      await rig.tap!.waitForCount(1 + 10 * 2, 10_000);

      // The network to the broker goes silent: the process keeps its connection, publishes into the void and holds
      // the lease while it waits for confirms that never come. The bookings themselves commit.
      proxy.mode("blackhole");
      await burst([doomed], show.id, seatsOf("B", 10), "b");
      const head = (await rig.log()).length;
      expect(head).toBe(1 + 20 * 2);
      await waitUntil(
        async () => {
          const cursor = await rig.cursor();
          return pidOf(cursor?.leased_by) === doomed.child.pid && cursor!.live && Number(cursor!.last_sequence) < head;
        },
        { message: "the doomed process to hold the lease with events unconfirmed" },
      );
      const killedAt = Date.now();
      await doomed.stop("SIGKILL");

      const next = await rig.start(rabbitMqUrl());
      await rig.tap!.waitForCount(head, 20_000);
      const recoveredMs = Date.now() - killedAt;
      const messages = rig.tap!.messages;
      expect(messages.map((m) => m.body.id)).toEqual((await rig.log()).map((event) => event.id));
      expect(pidOf((await rig.cursor())!.leased_by)).toBe(next.child.pid);
      // Start-up of the new process plus what was left of the dead one's 5 s lease.
      expect(recoveredMs).toBeLessThan(10_000);
    });
  });
});
