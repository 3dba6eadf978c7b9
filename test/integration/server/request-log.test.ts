import { CreateShowDocument, ShowsDocument } from "../../__generated__/graphql";
import { gql } from "../../support/graphql";
import { capturingLogger } from "../../support/log-capture";
import { startTestApp, type TestApp } from "../../support/test-app";

const { logger, lines } = capturingLogger();

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({}, { logger });
});
afterAll(() => t.stop());

describe("request logging", () => {
  it("writes one line per request with its id, operation, duration and outcome, and puts the id on errors", async () => {
    lines.length = 0;
    const response = await fetch(t.app.address, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": "req-123" },
      body: JSON.stringify({ query: "query Listing { shows { totalCount } }" }),
    });
    expect(response.headers.get("x-request-id")).toBe("req-123");
    const [line] = lines.filter((l) => l.message === "graphql request");
    expect(line).toMatchObject({
      level: "info",
      fields: { requestId: "req-123", operation: "Listing", type: "query", outcome: "ok" },
    });
    expect(line!.fields!.durationMs).toEqual(expect.any(Number));

    lines.length = 0;
    const refused = await t.request(
      CreateShowDocument,
      { input: { name: "x", startsAt: "2030-01-01T00:00:00Z", rows: 1, seatsPerRow: 1 } },
      { as: "u" },
    );
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: "FORBIDDEN", requestId: expect.any(String) });
    expect(lines.find((l) => l.message === "graphql request")?.fields).toMatchObject({
      operation: "CreateShow",
      outcome: "FORBIDDEN",
    });
    expect((await t.request(ShowsDocument, {})).errors).toBeUndefined();
  });

  it("logs an unexpected error in full under the request id while the client gets a masked answer", async () => {
    lines.length = 0;
    // Rename a column under the running API to force a failure no client input could cause.
    await t.prisma.$executeRaw`ALTER TABLE shows RENAME COLUMN name TO title`;
    try {
      const answer = await t.request(gql<unknown>("query Broken { shows { edges { node { name } } } }"), {});
      const error = answer.errors?.[0];
      expect(error).toMatchObject({ message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR" } });
      expect(JSON.stringify(answer)).not.toMatch(/title|does not exist|prisma|select/i);
      const logged = lines.find((l) => l.message === "unexpected error");
      expect(logged?.fields?.requestId).toBe(error!.extensions!.requestId);
      expect(String((logged?.fields?.error as Error).message)).toMatch(/name/);
    } finally {
      await t.prisma.$executeRaw`ALTER TABLE shows RENAME COLUMN title TO name`;
    }
  });
});
