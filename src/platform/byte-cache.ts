import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";

export interface ByteCacheOptions<V extends NonNullable<unknown>> {
  /** Most bytes the cache holds, keys and values together (least recently used entries go first). */
  readonly maxBytes: number;
  /** Entries larger than this are not kept at all (default: a tenth of maxBytes). */
  readonly maxEntryBytes?: number;
  /** The bytes a value takes (an estimate is fine; it must grow with what the client controls). */
  readonly sizeOf: (value: V) => number;
}

/** Bytes counted per key: keys are stored as SHA-256 digests (64 hex characters), whatever text they came from. */
const KEY_BYTES = 64;

/**
 * A least-recently-used cache bounded by bytes, for anything keyed or sized by what a client sends. Keys are hashed,
 * so a client's megabyte of query text costs 64 bytes to remember; values are counted by `sizeOf` and oversized
 * ones are not kept. Entry counts alone do not bound memory: a hundred entries of 40 MB are 4 GB.
 */
export class ByteCache<V extends NonNullable<unknown>> {
  private readonly cache: LRUCache<string, V>;
  private readonly maxEntryBytes: number;

  constructor(private readonly options: ByteCacheOptions<V>) {
    this.maxEntryBytes = options.maxEntryBytes ?? Math.floor(options.maxBytes / 10);
    this.cache = new LRUCache<string, V>({
      maxSize: options.maxBytes,
      sizeCalculation: (value) => Math.max(1, KEY_BYTES + options.sizeOf(value)),
    });
  }

  /** The stored key for a text: its digest. Hash once and pass the result when a key is used more than once. */
  static keyOf(text: string): string {
    return createHash("sha256").update(text).digest("hex");
  }

  get(key: string): V | undefined {
    return this.cache.get(ByteCache.keyOf(key));
  }

  /** Keeps `value` unless it is larger than the entry limit; returns whether it was kept. */
  set(key: string, value: V): boolean {
    const digest = ByteCache.keyOf(key);
    if (this.options.sizeOf(value) + KEY_BYTES > this.maxEntryBytes) {
      this.cache.delete(digest);
      return false;
    }
    this.cache.set(digest, value);
    return true;
  }

  delete(key: string): void {
    this.cache.delete(ByteCache.keyOf(key));
  }

  /** Bytes held now (as counted by sizeOf plus the keys). */
  get bytes(): number {
    return this.cache.calculatedSize;
  }

  get size(): number {
    return this.cache.size;
  }
}
