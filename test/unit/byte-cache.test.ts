import { ByteCache } from "../../src/platform/byte-cache";

describe("ByteCache", () => {
  it("keeps entries until their bytes exceed the limit, dropping the least recently used first", () => {
    const cache = new ByteCache<string>({ maxBytes: 1000, maxEntryBytes: 1000, sizeOf: (v) => v.length });
    cache.set("a", "x".repeat(300));
    cache.set("b", "x".repeat(300));
    expect(cache.get("a")).toBeDefined(); // a is now the most recently used
    cache.set("c", "x".repeat(300));
    expect(cache.bytes).toBeLessThanOrEqual(1000);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBeDefined();
    expect(cache.get("c")).toBeDefined();
  });

  it("counts a long key as its digest, not its text", () => {
    const cache = new ByteCache<number>({ maxBytes: 10_000, sizeOf: () => 8 });
    const hugeKey = "#".repeat(2_000_000);
    expect(cache.set(hugeKey, 1)).toBe(true);
    expect(cache.get(hugeKey)).toBe(1);
    expect(cache.bytes).toBeLessThan(100);
  });

  it("refuses entries larger than the entry limit", () => {
    const cache = new ByteCache<string>({ maxBytes: 1000, sizeOf: (v) => v.length });
    expect(cache.set("big", "x".repeat(200))).toBe(false);
    expect(cache.get("big")).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("never holds more than its limit however many entries are written", () => {
    const cache = new ByteCache<string>({ maxBytes: 50_000, sizeOf: (v) => v.length });
    for (let i = 0; i < 10_000; i++) cache.set(`key ${i}`, "v".repeat(i % 4000));
    expect(cache.bytes).toBeLessThanOrEqual(50_000);
  });
});
