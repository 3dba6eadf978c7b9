import { boundedArguments, outcomeOf, targetIdOf } from "../../src/audit/audit-entry";

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe("audit entries", () => {
  it("take the target from id, showId, bookingId or venueId, at the top level before inside input", () => {
    expect(targetIdOf({ id: "b1" })).toBe("b1");
    expect(targetIdOf({ input: { venueId: "v1", showId: "s1" } })).toBe("s1");
    expect(targetIdOf({ showId: "s2", input: { venueId: "v2" } })).toBe("s2");
    expect(targetIdOf({ input: { name: "x" } })).toBeNull();
    expect(targetIdOf({ input: null, id: 7 })).toBeNull();
  });

  it("keep arguments within the bound as they are, and cut longer ones to a marker within it", () => {
    const small = { input: { name: "Hamlet" } };
    expect(boundedArguments(small)).toBe(JSON.stringify(small));
    const large = { input: { name: "x".repeat(10_000), note: '"quoted"\\'.repeat(500) } };
    const marker = JSON.parse(boundedArguments(large)) as { truncated: boolean; bytes: number; prefix: string };
    expect(marker).toMatchObject({ truncated: true, bytes: Buffer.byteLength(JSON.stringify(large)) });
    expect(JSON.stringify(large).startsWith(marker.prefix)).toBe(true);
    expect(Buffer.byteLength(boundedArguments(large))).toBeLessThanOrEqual(8 * 1024);
  });

  it("never cut a surrogate pair in two (PostgreSQL's jsonb refuses a lone surrogate)", () => {
    // Emoji are two UTF-16 units; over these shifts a plain cut ends inside a pair (shift 0 does).
    for (let shift = 0; shift < 8; shift++) {
      const args = { input: { name: `${"a".repeat(shift)}${"😀".repeat(3000)}`, timeZone: "Europe/Vienna" } };
      const { prefix } = JSON.parse(boundedArguments(args)) as { prefix: string };
      expect(prefix).not.toMatch(LONE_SURROGATE);
      expect(JSON.stringify(args).startsWith(prefix)).toBe(true);
    }
  });

  it("never store a secret: an argument named secret, at any depth, is recorded as given but redacted", () => {
    const args = { input: { url: "https://crm.example.com/hook", secret: "whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQ=" } };
    const stored = boundedArguments(args);
    expect(stored).not.toContain("whsec_");
    expect(JSON.parse(stored)).toEqual({ input: { url: "https://crm.example.com/hook", secret: "[redacted]" } });
    // Not given: nothing to hide, and the entry says so.
    expect(JSON.parse(boundedArguments({ input: { id: "w1", secret: null } }))).toEqual({
      input: { id: "w1", secret: null },
    });
  });

  it("report OK, the distinct userError codes, or OK for a result without userErrors", () => {
    expect(outcomeOf({ venue: {}, userErrors: [] })).toBe("OK");
    const codes = [{ code: "INVALID_INPUT" }, { code: "NOT_FOUND" }, { code: "INVALID_INPUT" }];
    expect(outcomeOf({ userErrors: codes })).toBe("INVALID_INPUT,NOT_FOUND");
    expect(outcomeOf(true)).toBe("OK");
    expect(outcomeOf(null)).toBe("OK");
  });
});
