import { createHash } from "node:crypto";
import { request } from "node:http";
import { brotliDecompressSync, gunzipSync } from "node:zlib";

/** An HTTP answer as it came over the wire: the bytes as sent (compressed or not) and their decoded text. */
export interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  /** The body as sent. */
  readonly wire: Buffer;
  /** The body once decoded (Content-Encoding undone). */
  readonly text: string;
  header(name: string): string | null;
}

/**
 * Sends a request with node:http (fetch would add an Accept-Encoding of its own and undo the coding): what the
 * server sent, byte for byte.
 */
export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: options.method ?? "GET", headers: options.headers }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
      incoming.on("error", reject);
      incoming.on("end", () => {
        const wire = Buffer.concat(chunks);
        const coding = incoming.headers["content-encoding"];
        const decoded = coding === "gzip" ? gunzipSync(wire) : coding === "br" ? brotliDecompressSync(wire) : wire;
        resolve({
          status: incoming.statusCode ?? 0,
          headers: incoming.headers,
          wire,
          text: decoded.toString("utf8"),
          header: (name) => {
            const value = incoming.headers[name.toLowerCase()];
            return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
          },
        });
      });
    });
    outgoing.on("error", reject);
    outgoing.end(options.body);
  });
}

/** Apollo's CSRF prevention lets a GET through with this header (a browser sends it only after a preflight). */
export const PREFLIGHT = { "apollo-require-preflight": "true" } as const;

/** The URL of a GET operation: `query` (or none, for a persisted query), `variables` and `extensions` as JSON. */
export function getUrl(
  endpoint: string,
  operation: { query?: string; variables?: unknown; extensions?: unknown; operationName?: string },
): string {
  const url = new URL(endpoint);
  if (operation.query !== undefined) url.searchParams.set("query", operation.query);
  if (operation.operationName !== undefined) url.searchParams.set("operationName", operation.operationName);
  if (operation.variables !== undefined) url.searchParams.set("variables", JSON.stringify(operation.variables));
  if (operation.extensions !== undefined) url.searchParams.set("extensions", JSON.stringify(operation.extensions));
  return url.toString();
}

/** An automatic persisted query's extension for `query` (Apollo's APQ: the sha256 of the text). */
export const persistedQuery = (query: string) => ({
  persistedQuery: { version: 1, sha256Hash: createHash("sha256").update(query).digest("hex") },
});
