import { createServer, type Server } from "node:http";
import { type AddressInfo } from "node:net";
import { type ApiProcess, startApiProcess } from "../support/api-process";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import { waitUntil } from "../support/time";

/**
 * OpenTelemetry tracing switched on by the standard variables: the API process exports its spans over OTLP/HTTP
 * (JSON, so this test can read them) to a receiver here. One GraphQL request that reads PostgreSQL gives one trace
 * with the HTTP server span (carrying the request id), GraphQL's spans and the SQL statements' spans.
 */

jest.setTimeout(60_000);

/** The parts of an OTLP/JSON span this test reads. */
interface Span {
  readonly traceId: string;
  readonly name: string;
  readonly scope: string;
  readonly attributes: Record<string, unknown>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string;
  boolValue?: boolean;
  arrayValue?: { values?: OtlpValue[] };
}

const valueOf = (value: OtlpValue): unknown =>
  value.arrayValue
    ? (value.arrayValue.values ?? []).map(valueOf)
    : (value.stringValue ?? value.intValue ?? value.boolValue);

/** A minimal OTLP/HTTP receiver of JSON trace exports. */
function otlpReceiver(): { server: Server; spans: Span[]; paths: string[] } {
  const spans: Span[] = [];
  const paths: string[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      paths.push(req.url ?? "");
      if (req.url === "/v1/traces") {
        const exported = JSON.parse(body) as {
          resourceSpans: {
            scopeSpans: {
              scope: { name: string };
              spans: { traceId: string; name: string; attributes?: { key: string; value: OtlpValue }[] }[];
            }[];
          }[];
        };
        for (const resource of exported.resourceSpans)
          for (const scoped of resource.scopeSpans)
            for (const span of scoped.spans)
              spans.push({
                traceId: span.traceId,
                name: span.name,
                scope: scoped.scope.name,
                attributes: Object.fromEntries((span.attributes ?? []).map(({ key, value }) => [key, valueOf(value)])),
              });
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  return { server, spans, paths };
}

let database: TestDatabase;
let api: ApiProcess | undefined;
const receiver = otlpReceiver();
beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.server.listen(0, "127.0.0.1", resolve));
  database = await createTestDatabase();
});
afterAll(async () => {
  await api?.stop();
  receiver.server.close();
  await database.drop();
});

describe("tracing", () => {
  it("exports one trace per request with its HTTP, GraphQL and PostgreSQL spans, tagged with the request id", async () => {
    const { port } = receiver.server.address() as AddressInfo;
    api = await startApiProcess({
      DATABASE_URL: database.url,
      JWT_SECRET: "tracing-test-secret-long-enough",
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      // Exported within a fraction of a second instead of every 5 s.
      OTEL_BSP_SCHEDULE_DELAY: "100",
    });
    const response = await fetch(api.url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": "trace-me-1" },
      body: JSON.stringify({ query: "query Listing { shows(first: 5) { totalCount edges { node { id } } } }" }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();

    const serverSpan = () =>
      receiver.spans.find((span) => {
        const ids = span.attributes["http.response.header.x-request-id"];
        return Array.isArray(ids) && ids.includes("trace-me-1");
      });
    await waitUntil(() => serverSpan() !== undefined, { timeoutMs: 15_000, message: "the request's HTTP span" });
    const traceId = serverSpan()!.traceId;
    const inTrace = () => receiver.spans.filter((span) => span.traceId === traceId);
    const scopes = () => new Set(inTrace().map((span) => span.scope));
    const wanted = [
      "@opentelemetry/instrumentation-http",
      "@opentelemetry/instrumentation-express",
      "@opentelemetry/instrumentation-graphql",
      "@opentelemetry/instrumentation-pg",
    ];
    await waitUntil(() => wanted.every((scope) => scopes().has(scope)), {
      timeoutMs: 15_000,
      message: `spans of ${wanted.join(", ")} in trace ${traceId}`,
    }).catch((error: Error) => {
      throw new Error(`${error.message}; got ${JSON.stringify(inTrace().map((s) => [s.scope, s.name]))}`);
    });
    const names = inTrace().map((span) => `${span.scope.replace("@opentelemetry/instrumentation-", "")}: ${span.name}`);
    expect(names).toEqual(expect.arrayContaining([expect.stringMatching(/^graphql: query Listing/)]));
    expect(names).toEqual(expect.arrayContaining([expect.stringMatching(/^pg: .*SELECT|^pg: pg\.query/i)]));
    expect(receiver.paths.every((path) => path === "/v1/traces")).toBe(true); // traces only: no metrics, no logs
  });
});
