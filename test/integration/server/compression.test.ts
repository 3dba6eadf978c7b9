import { SeatAvailabilityDocument, SeatLayoutDocument } from "../../__generated__/graphql";
import { print } from "graphql";
import { createShow, hold, uniqueUser } from "../../support/factories";
import { getUrl, PREFLIGHT, rawRequest } from "../../support/http-reads";
import { startTestApp, type TestApp } from "../../support/test-app";

let t: TestApp;
let showId: string;
beforeAll(async () => {
  // Holds from one address spread over the hall (the per-address cap would stop them at 60 seats).
  t = await startTestApp({ MAX_HELD_SEATS_PER_ADDRESS: "0" });
  showId = (await createShow(t, { rows: 100, seatsPerRow: 100 })).id; // 10,000 seats
});
afterAll(() => t.stop());

const SEATS = "query Seats($id: ID!) { show(id: $id) { seatMapVersion seats { seatNumber status } } }";
const read = (query: string, acceptEncoding?: string) =>
  rawRequest(getUrl(t.app.address, { query, variables: { id: showId } }), {
    headers: { ...PREFLIGHT, ...(acceptEncoding ? { "accept-encoding": acceptEncoding } : {}) },
  });

/** Row labels as the API writes them: A…Z, then AA, AB… */
const rowLabel = (index: number): string =>
  index < 26 ? String.fromCharCode(65 + index) : rowLabel(Math.floor(index / 26) - 1) + rowLabel(index % 26);

/** A deterministic shuffle (the same seats every run). */
function shuffled<T>(items: T[]): T[] {
  const result = [...items];
  let seed = 42;
  for (let i = result.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [result[i], result[j]] = [result[j]!, result[i]!];
  }
  return result;
}

describe("compression", () => {
  it("sends a 10,000-seat map in the coding the client prefers, kept with the cached answer", async () => {
    const plain = await read(SEATS);
    expect(plain.header("content-encoding")).toBeNull();
    expect(plain.header("vary")).toMatch(/Accept-Encoding/i);
    const gzip = await read(SEATS, "gzip, deflate");
    expect(gzip.header("x-seat-map-cache")).toBe("hit");
    expect(gzip.header("content-encoding")).toBe("gzip");
    expect(gzip.text).toBe(plain.text);
    expect(gzip.wire.byteLength).toBeLessThan(plain.wire.byteLength / 5);
    const br = await read(SEATS, "gzip;q=0.8, br");
    expect(br.header("content-encoding")).toBe("br");
    expect(br.text).toBe(plain.text);
    expect(br.wire.byteLength).toBeLessThan(gzip.wire.byteLength);
    // Each coding is computed once per answer: later hits send the very same bytes.
    expect((await read(SEATS, "gzip")).wire.equals(gzip.wire)).toBe(true);
    expect(Number(gzip.header("content-length"))).toBe(gzip.wire.byteLength);
    // Equal preference: brotli; refused codings are not sent.
    expect((await read(SEATS, "gzip, br")).header("content-encoding")).toBe("br");
    expect((await read(SEATS, "br;q=0, gzip;q=0")).header("content-encoding")).toBeNull();
    process.stdout.write(
      `10,000-seat seats read: ${plain.wire.byteLength} B, gzip ${gzip.wire.byteLength} B, br ${br.wire.byteLength} B\n`,
    );
  });

  it("sends a 10,000-seat availability, one in ten seats held at random, in well under 4 KB of gzip", async () => {
    const seatNumbers = Array.from({ length: 10_000 }, (_, i) => `${rowLabel(Math.floor(i / 100))}${(i % 100) + 1}`);
    const picked = shuffled(seatNumbers).slice(0, 1000);
    for (let batch = 0; batch < 100; batch += 20) {
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          hold(t, uniqueUser(), {
            showId,
            seatNumbers: picked.slice((batch + i) * 10, (batch + i + 1) * 10),
          }),
        ),
      );
    }
    const availability = print(SeatAvailabilityDocument);
    const plain = await read(availability);
    const statuses = JSON.parse(plain.text).data.show.availability.statuses as string;
    expect(statuses.match(/H/g)).toHaveLength(1000);
    const gzip = await read(availability, "gzip");
    const br = await read(availability, "br");
    expect(gzip.wire.byteLength).toBeLessThan(4096);
    expect(br.text).toBe(plain.text);
    const layout = await read(print(SeatLayoutDocument), "gzip");
    expect(layout.header("cache-control")).toBe("public, no-cache");
    process.stdout.write(
      `10,000-seat availability: ${plain.wire.byteLength} B, gzip ${gzip.wire.byteLength} B, br ${br.wire.byteLength} B; ` +
        `layout gzip ${layout.wire.byteLength} B (of ${layout.text.length})\n`,
    );
  });

  it("compresses answers that are not cached, and leaves small ones as they are", async () => {
    const list = await rawRequest(getUrl(t.app.address, { query: "{ shows { edges { node { id name } } } }" }), {
      headers: { ...PREFLIGHT, "accept-encoding": "gzip" },
    });
    expect(list.header("x-seat-map-cache")).toBeNull();
    expect(list.header("content-encoding")).toBeNull(); // one show: a few hundred bytes
    const many = Array.from({ length: 25 }, (_, i) => `s${i}: show(id: $id) { id name startsAt createdAt }`).join(" ");
    const big = await rawRequest(t.app.address, {
      method: "POST",
      headers: { "content-type": "application/json", "accept-encoding": "gzip" },
      body: JSON.stringify({ query: `query ($id: ID!) { __typename ${many} }`, variables: { id: showId } }),
    });
    expect(big.status).toBe(200);
    expect(big.header("x-seat-map-cache")).toBeNull(); // not made only of show fields
    expect(big.header("content-encoding")).toBe("gzip");
    expect(Object.keys(JSON.parse(big.text).data)).toHaveLength(26);
    // Codings the API does not send are not sent by anything else either.
    const deflate = await read(SEATS, "deflate");
    expect(deflate.header("content-encoding")).toBeNull();
    expect(deflate.header("x-seat-map-cache")).not.toBeNull();
  });

  it("compresses the seat-map page and its scripts", async () => {
    const base = t.app.address.replace(/\/graphql$/, "");
    for (const path of ["/", "/style.css", "/js/live.js"]) {
      const page = await rawRequest(`${base}${path}`, { headers: { "accept-encoding": "br, gzip" } });
      expect(page.status).toBe(200);
      expect(page.header("content-encoding")).toBe("br");
      expect(page.header("vary")).toMatch(/Accept-Encoding/i);
    }
  });
});
