import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { type GraphQLClient, OPERATIONS } from "../lib/graphql";
import { now, Recorder, round } from "../lib/stats";

/** The two ways to read a seat map: the compact availability value, or the full list of seats. */
export type SeatMapRead = "availability" | "full";

const READS: Record<SeatMapRead, { query: string; prefix: string }> = {
  availability: { query: OPERATIONS.availability, prefix: '{"data":{"show":{"availability":{' },
  full: { query: OPERATIONS.seatMap, prefix: '{"data":{"show":{"seats":[{' },
};

/** One in this many compressed answers is decompressed and checked (all uncompressed ones are). */
const CHECK_EVERY = 25;

export interface SeatMapReadResult {
  readonly read: SeatMapRead;
  readonly users: number;
  readonly acceptEncoding: string | null;
  readonly seconds: number;
  readonly requestsPerSecond: number;
  /** Bytes per response as received (compressed when the API compressed). */
  readonly averageResponseKiB: number;
  readonly encodings: Record<string, number>;
  readonly latency: ReturnType<Recorder["summary"]>;
}

/**
 * C clients reading one show's seat map back to back, until `seconds` pass or `until` settles (whichever first),
 * so a read measured "while booking" stops when the bookers do. Bodies are not parsed: that would measure the load
 * generator, not the API.
 */
export async function seatMapReads(
  client: GraphQLClient,
  showId: string,
  options: { read: SeatMapRead; users: number; seconds: number; acceptEncoding?: string; until?: Promise<unknown> },
): Promise<SeatMapReadResult> {
  const { query, prefix } = READS[options.read];
  const reads = new Recorder();
  const encodings = new Map<string, number>();
  let bytes = 0;
  let stopped = false;
  void options.until?.finally(() => (stopped = true));
  const deadline = now() + options.seconds * 1000;
  const started = now();
  const reader = async () => {
    while (!stopped && now() < deadline) {
      const start = now();
      try {
        const { status, contentEncoding, body } = await client.requestBytes(
          query,
          { id: showId },
          options.acceptEncoding,
        );
        const encoding = contentEncoding ?? "identity";
        encodings.set(encoding, (encodings.get(encoding) ?? 0) + 1);
        const check = encoding === "identity" || reads.count % CHECK_EVERY === 0;
        const ok = status === 200 && (!check || decoded(body, encoding).startsWith(prefix));
        reads.record(now() - start, ok ? "OK" : status === 200 ? "BAD_BODY" : `HTTP_${status}`);
        bytes += body.byteLength;
      } catch {
        reads.record(now() - start, "NETWORK");
      }
    }
  };
  await Promise.all(Array.from({ length: options.users }, () => reader()));
  const seconds = (now() - started) / 1000;
  return {
    read: options.read,
    users: options.users,
    acceptEncoding: options.acceptEncoding ?? null,
    seconds: round(seconds, 2),
    requestsPerSecond: round((reads.codes.get("OK") ?? 0) / seconds),
    averageResponseKiB: round(bytes / Math.max(1, reads.count) / 1024),
    encodings: Object.fromEntries(encodings),
    latency: reads.summary(),
  };
}

/** One answer's size on the wire, asked with and without `Accept-Encoding: gzip`. */
export async function responseSize(client: GraphQLClient, showId: string, read: SeatMapRead) {
  const { query, prefix } = READS[read];
  const plain = await client.requestBytes(query, { id: showId });
  const gzip = await client.requestBytes(query, { id: showId }, "gzip");
  const gzipEncoding = gzip.contentEncoding ?? "identity";
  return {
    read,
    uncompressedBytes: plain.body.byteLength,
    gzipBytes: gzip.body.byteLength,
    /** What the API answered to `Accept-Encoding: gzip` ("identity": it did not compress). */
    gzipContentEncoding: gzipEncoding,
    ok: plain.status === 200 && plain.body.toString("utf8").startsWith(prefix) && gzip.status === 200,
  };
}

function decoded(body: Buffer, encoding: string): string {
  if (encoding === "gzip") return gunzipSync(body).toString("utf8");
  if (encoding === "br") return brotliDecompressSync(body).toString("utf8");
  return body.toString("utf8");
}
