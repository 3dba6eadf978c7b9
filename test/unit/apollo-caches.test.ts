import { parse } from "graphql";
import { apolloCaches, documentBytes } from "../../src/server/apollo-caches";

describe("Apollo's caches, bounded by bytes", () => {
  it("count a parsed document by its text and its tokens, not by its JSON", () => {
    const commented = parse(`# ${"x".repeat(1_000_000)}\n{ __typename }`);
    expect(documentBytes(commented)).toBeGreaterThanOrEqual(2_000_000);
    const wide = parse(`{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: __typename`).join(" ")} }`);
    expect(documentBytes(wide)).toBeGreaterThanOrEqual(1000 * 3 * 300);
  });

  it("do not keep a document larger than a tenth of the store, and keep small ones", async () => {
    const { documentStore } = apolloCaches(3 * 1024 * 1024);
    await documentStore.set("big", parse(`# ${"x".repeat(200_000)}\n{ __typename }`));
    await documentStore.set("small", parse("{ __typename }"));
    expect(await documentStore.get("big")).toBeUndefined();
    expect(await documentStore.get("small")).toBeDefined();
  });

  it("keep persisted query texts within their bytes", async () => {
    const { cache } = apolloCaches(3 * 1024 * 1024);
    for (let i = 0; i < 100; i++) await cache.set(`q${i}`, `{ __typename } # ${i} ${"x".repeat(50_000)}`);
    expect(await cache.get("q99")).toBeDefined();
    expect(await cache.get("q0")).toBeUndefined();
  });
});
