import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";
import Negotiator from "negotiator";
import { byHeaderValue } from "./http-caching.js";

/** The content codings the API sends (RFC 9110 §8.4.1), brotli preferred when a client accepts both equally. */
export type ContentCoding = "br" | "gzip";

/** Bodies smaller than this go as they are: a few hundred bytes gain little and cost a compression each. */
export const MIN_COMPRESSED_BYTES = 1024;

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/** Negotiator takes a preference among equally acceptable codings (the types do not say so). */
type EncodingNegotiator = { encoding(available: readonly string[], options: { preferred: string[] }): string };

/**
 * The coding to send a body in for this Accept-Encoding (q-values honoured; `identity;q=0` is not, as no server can
 * send anything else), or null for the body as it is.
 */
export const preferredCoding = byHeaderValue((acceptEncoding: string | undefined): ContentCoding | null => {
  if (!acceptEncoding) return null;
  const negotiator = new Negotiator({
    headers: { "accept-encoding": acceptEncoding },
  }) as unknown as EncodingNegotiator;
  const coding = negotiator.encoding(["br", "gzip", "identity"], { preferred: ["br", "gzip", "identity"] });
  return coding === "br" || coding === "gzip" ? coding : null;
});

/**
 * Compresses off the event loop (zlib runs on libuv's thread pool). Brotli at quality 5, not its default 11: for a
 * 1 MB seat map 11 costs seconds of CPU per answer, 5 costs about as much as gzip and is still 25 % smaller.
 */
export function compress(body: Buffer, coding: ContentCoding): Promise<Buffer> {
  if (coding === "gzip") return gzipAsync(body);
  return brotliAsync(body, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 5,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength,
    },
  });
}

/**
 * One answer's bytes, as they are and in each coding asked for so far: each coding is computed once, however many
 * requests ask for it (concurrently or later), and then kept with the answer. `grown` is called with the bytes a new
 * coding adds, once it is there (a cache recounts the entry).
 */
export class EncodedBody {
  private readonly codings = new Map<ContentCoding, Promise<Buffer>>();
  private encodedBytes = 0;

  constructor(
    readonly identity: Buffer,
    private readonly grown: (bytes: number) => void = () => {},
  ) {}

  /** The body in `coding`, compressed on first request. */
  in(coding: ContentCoding): Promise<Buffer> {
    let encoded = this.codings.get(coding);
    if (!encoded) {
      encoded = compress(this.identity, coding);
      this.codings.set(coding, encoded);
      encoded.then(
        (bytes) => {
          this.encodedBytes += bytes.byteLength;
          this.grown(bytes.byteLength);
        },
        () => this.codings.delete(coding), // asked again, tried again
      );
    }
    return encoded;
  }

  /** Bytes held: the body and every coding computed so far. */
  get bytes(): number {
    return this.identity.byteLength + this.encodedBytes;
  }
}
