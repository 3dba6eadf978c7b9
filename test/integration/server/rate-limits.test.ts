import { HoldSeatsDocument, ShowsDocument } from "../../__generated__/graphql";
import { describeNeeding, redisUrl } from "../../support/external-services";
import { createShow, uniqueUser } from "../../support/factories";
import { startTestApp, type TestApp, withTestApp } from "../../support/test-app";

describe("rate limits on mutations", () => {
  // Each test has an app of its own, so it starts with every allowance full and its counts are exact.
  const LIMITS = {
    RATE_LIMIT_USER_POINTS: "5",
    RATE_LIMIT_USER_WINDOW_SECONDS: "60",
    RATE_LIMIT_IP_POINTS: "40",
    RATE_LIMIT_IP_WINDOW_SECONDS: "60",
  };

  it("stop one user's burst with RATE_LIMITED, HTTP 429 and retryAfter, and leave other users and reads alone", async () => {
    await withTestApp(LIMITS, async (t) => {
      const show = await createShow(t, { rows: 5, seatsPerRow: 10 });
      const hoarder = uniqueUser("hoarder");
      const answers = [];
      for (let i = 0; i < 8; i++) {
        answers.push(
          await t.request(
            HoldSeatsDocument,
            { input: { showId: show.id, seatNumbers: [`A${i + 1}`] } },
            { as: hoarder },
          ),
        );
      }
      const limited = answers.filter((a) => a.errors?.[0]?.extensions?.code === "RATE_LIMITED");
      expect(limited).toHaveLength(3);
      expect(limited[0]!.status).toBe(429);
      expect(limited[0]!.errors![0]!.extensions!.retryAfter).toEqual(expect.any(Number));
      expect(limited[0]!.errors![0]!.message).toMatch(/try again in \d+ s/);
      // A refused mutation did nothing: 5 got through, of which 3 became holds (MAX_ACTIVE_HOLDS_PER_USER).
      expect(answers.slice(3, 5).map((a) => a.data?.holdSeats.userErrors[0]?.code)).toEqual([
        "LIMIT_EXCEEDED",
        "LIMIT_EXCEEDED",
      ]);
      expect(await t.prisma.booking.count({ where: { userId: hoarder } })).toBe(3);
      const someoneElse = await t.request(
        HoldSeatsDocument,
        { input: { showId: show.id, seatNumbers: ["B1"] } },
        { as: uniqueUser() },
      );
      expect(someoneElse.errors).toBeUndefined();
      const read = await t.request(ShowsDocument, {}, { as: hoarder });
      expect(read.errors).toBeUndefined();
    });
  });

  it("cap one address across many users", async () => {
    await withTestApp(LIMITS, async (t) => {
      const show = await createShow(t, { rows: 5, seatsPerRow: 10 });
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          t.request(
            HoldSeatsDocument,
            { input: { showId: show.id, seatNumbers: [`${"ABCDE"[i % 5]}${Math.floor(i / 5) + 1}`] } },
            { as: uniqueUser() },
          ),
        ),
      );
      // 40 per window for this address, one of them used by createShow: 39 holds get through, 11 are refused.
      const limited = answers.filter((a) => a.errors?.[0]?.extensions?.code === "RATE_LIMITED").length;
      expect(limited).toBe(11);
    });
  });
});

describeNeeding("redis", "rate limits across API instances (Redis store)", () => {
  let first: TestApp;
  let second: TestApp;
  beforeAll(async () => {
    // Counters in a shared Redis are keyed by user: this test's users are new, so nothing else counts against them.
    const env = { REDIS_URL: redisUrl(), RATE_LIMIT_USER_POINTS: "4", RATE_LIMIT_USER_WINDOW_SECONDS: "60" };
    first = await startTestApp(env);
    second = await startTestApp(env);
  });
  afterAll(async () => {
    await first.stop();
    await second.stop();
  });

  it("count a user's mutations on every instance together", async () => {
    const show = await createShow(first, { rows: 2, seatsPerRow: 10, createdBy: uniqueUser("admin") });
    const user = uniqueUser("spread");
    const codes = [];
    for (let i = 0; i < 6; i++) {
      // Each instance here has its own database; the second answers NOT_FOUND for this show, which still counts.
      const app = i % 2 === 0 ? first : second;
      const answer = await app.request(
        HoldSeatsDocument,
        { input: { showId: show.id, seatNumbers: [`A${i + 1}`] } },
        { as: user },
      );
      codes.push(answer.errors?.[0]?.extensions?.code ?? "OK");
    }
    expect(codes.filter((c) => c === "RATE_LIMITED")).toHaveLength(2);
  });
});

describe("client addresses behind a proxy (TRUST_PROXY)", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: "1", RATE_LIMIT_IP_POINTS: "2", RATE_LIMIT_IP_WINDOW_SECONDS: "60" });
  });
  afterAll(() => t.stop());

  it("counts each forwarded client address on its own", async () => {
    const show = await createShow(t, { rows: 1, seatsPerRow: 10 });
    const holdFrom = async (address: string, seat: string) => {
      const { status } = await t.post(
        JSON.stringify({
          query: `mutation { holdSeats(input: { showId: "${show.id}", seatNumbers: ["${seat}"] }) { booking { id } } }`,
        }),
        { authorization: `Bearer ${t.token(uniqueUser())}`, "x-forwarded-for": address },
      );
      return status;
    };
    expect([
      await holdFrom("203.0.113.7", "A1"),
      await holdFrom("203.0.113.7", "A2"),
      await holdFrom("203.0.113.7", "A3"),
    ]).toEqual([200, 200, 429]);
    expect(await holdFrom("198.51.100.9", "A4")).toBe(200);
  });
});

describe("rate limits on rows read (RATE_LIMIT_IP_ROWS)", () => {
  it("refuse an address's new seat reads with 429 once it has read its allowance, but not its cheap or cached queries", async () => {
    await withTestApp(
      { TRUST_PROXY: "1", RATE_LIMIT_IP_ROWS: "250", RATE_LIMIT_IP_ROWS_WINDOW_SECONDS: "60" },
      async (t) => {
        const show = await createShow(t, { rows: 10, seatsPerRow: 10 });
        const read = async (selection: string, address = "203.0.113.7") => {
          const response = await fetch(t.app.address, {
            method: "POST",
            headers: { "content-type": "application/json", "x-forwarded-for": address },
            body: JSON.stringify({ query: `{ show(id: "${show.id}") { ${selection} } }` }),
          });
          const body = (await response.json()) as {
            data?: unknown;
            errors?: { message: string; extensions: Record<string, unknown> }[];
          };
          const { status, headers } = response;
          return { status, retryAfter: headers.get("retry-after"), cache: headers.get("x-seat-map-cache"), body };
        };
        // Three different seat maps of 100 seats (each a new read, not a cached answer): 300 rows, over 250.
        for (const fields of ["seatNumber", "status", "seatNumber status"]) {
          expect((await read(`seats { ${fields} }`)).status).toBe(200);
        }
        const refused = await read("seats { version }");
        expect(refused.status).toBe(429);
        expect(refused.retryAfter).toMatch(/^\d+$/);
        expect(refused.body).toEqual({
          errors: [
            {
              message: expect.stringMatching(/try again in \d+ s/),
              extensions: { code: "RATE_LIMITED", retryAfter: Number(refused.retryAfter) },
            },
          ],
        });
        // Fields that read no rows still answer (a page polls counts), and so does an answer the cache already has.
        expect((await read("availableSeats heldSeats")).body.errors).toBeUndefined();
        const cached = await read("seats { seatNumber }");
        expect([cached.status, cached.cache]).toEqual([200, "hit"]);
        // Another address has its own allowance.
        expect((await read("seats { version }", "198.51.100.9")).status).toBe(200);
      },
    );
  });
});

describeNeeding("redis", "rows read across API instances (Redis store)", () => {
  it("count an address's rows on every instance together", async () => {
    // Counters in a shared Redis are keyed by address: a forwarded address of this test's own keeps them apart.
    const address = `198.18.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    const env = { REDIS_URL: redisUrl(), TRUST_PROXY: "1", RATE_LIMIT_IP_ROWS: "150" };
    await withTestApp(env, async (first) => {
      await withTestApp(env, async (second) => {
        const read = async (app: TestApp, showId: string, fields: string) => {
          const { status } = await app.post(
            JSON.stringify({ query: `{ show(id: "${showId}") { seats { ${fields} } } }` }),
            {
              "x-forwarded-for": address,
            },
          );
          return status;
        };
        const firstShow = await createShow(first, { rows: 10, seatsPerRow: 10, createdBy: uniqueUser("admin") });
        const secondShow = await createShow(second, { rows: 10, seatsPerRow: 10, createdBy: uniqueUser("admin") });
        expect(await read(first, firstShow.id, "seatNumber")).toBe(200); // 100 rows, counted in Redis
        expect(await read(second, secondShow.id, "seatNumber")).toBe(200); // 200: over, learnt by the second
        expect(await read(second, secondShow.id, "status")).toBe(429);
      });
    });
  });
});
