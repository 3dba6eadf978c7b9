import { gunzipSync } from "node:zlib";
import { compress, EncodedBody, preferredCoding } from "../../src/server/read-cache/content-coding";

describe("content codings", () => {
  it("follows Accept-Encoding's preferences, brotli first among equals", () => {
    expect(preferredCoding(undefined)).toBeNull();
    expect(preferredCoding("gzip, deflate")).toBe("gzip");
    expect(preferredCoding("gzip, br")).toBe("br");
    expect(preferredCoding("br;q=0.5, gzip")).toBe("gzip");
    expect(preferredCoding("*")).toBe("br");
    expect(preferredCoding("br;q=0, gzip;q=0")).toBeNull();
    expect(preferredCoding("identity")).toBeNull();
  });

  it("fits the statuses of 10,000 seats in any mix of A, H and B well under 4 KB of gzip", async () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const statuses = Array.from({ length: 10_000 }, () => "AHB"[Math.floor(random() * 3)]).join("");
    const body = Buffer.from(JSON.stringify({ data: { show: { availability: { statuses } } } }));
    const gzip = await compress(body, "gzip");
    expect(gunzipSync(gzip).equals(body)).toBe(true);
    expect(gzip.byteLength).toBeLessThan(3000); // an even mix of three symbols: about 1.6 bits a seat
  });

  it("computes each coding of an answer once, however many ask for it at once", async () => {
    let added = 0;
    const body = new EncodedBody(Buffer.from("x".repeat(5000)), (bytes) => (added += bytes));
    const [a, b] = await Promise.all([body.in("gzip"), body.in("gzip")]);
    expect(a).toBe(b);
    expect(await body.in("gzip")).toBe(a);
    expect(added).toBe(a.byteLength);
    expect(body.bytes).toBe(5000 + a.byteLength);
  });
});
