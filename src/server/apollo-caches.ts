import { createHash } from "node:crypto";
import { type DocumentNode, type GraphQLSchema, printSchema, type Token } from "graphql";
import { ByteCache } from "../platform/byte-cache.js";

/** Apollo Server's cache interface (as in @apollo/utils.keyvaluecache), met by a ByteCache. */
interface KeyValueCache<V> {
  get(key: string): Promise<V | undefined>;
  set(key: string, value: V, options?: { ttl?: number | null }): Promise<void>;
  delete(key: string): Promise<boolean | void>;
}

/** Bytes counted per token of a parsed document (the token and the AST node it becomes; measured ~300-350). */
const BYTES_PER_TOKEN = 400;

/**
 * The parsed and validated documents Apollo executes, by the sha256 (hex) of their text: what Apollo's pipeline
 * computes from a text, and what an automatic persisted query names. A document put here is one Apollo will execute
 * without parsing or validating it again, so only documents that pass Apollo's validation may be put here.
 */
export interface ValidatedDocuments {
  get(queryHash: string): DocumentNode | undefined;
  set(queryHash: string, document: DocumentNode): void;
}

/**
 * Apollo Server's two caches, bounded by real bytes: `cache` holds automatic persisted queries (texts), and
 * `documentStore` parsed and validated documents. Apollo's defaults count a document by its JSON, which leaves out
 * its tokens and the query text it keeps (a 2 MB comment counts as a few bytes), so thousands of distinct texts would
 * hold gigabytes. Here a document counts its text and its tokens, and one larger than a tenth of its share is not kept
 * (it is parsed again when sent again). `ttl` is ignored: entries leave by recency, within the bytes.
 *
 * `documents` is the same store under the keys Apollo uses for `schema` (ApolloServer's generateSchemaDerivedData:
 * the sha256 of the printed schema, a colon, then the text's sha256), so a document parsed in front of Apollo is
 * handed to it rather than parsed twice, and the read cache plans from the document Apollo executes.
 */
export function apolloCaches(
  maxBytes: number,
  schema?: GraphQLSchema,
): {
  cache: KeyValueCache<string>;
  documentStore: KeyValueCache<DocumentNode>;
  documents: ValidatedDocuments;
} {
  const store = new ByteCache<DocumentNode>({
    maxBytes: maxBytes - Math.floor(maxBytes / 3),
    sizeOf: documentBytes,
  });
  const prefix = schema ? `${schemaDigest(schema)}:` : "";
  return {
    cache: keyValueCache(
      new ByteCache<string>({ maxBytes: Math.floor(maxBytes / 3), sizeOf: (text) => 2 * text.length }),
    ),
    documentStore: keyValueCache(store),
    documents: {
      get: (queryHash) => store.get(prefix + queryHash),
      set: (queryHash, document) => void store.set(prefix + queryHash, document),
    },
  };
}

/** The sha256 (hex) of the printed schema, as Apollo computes it for its document keys. */
export function schemaDigest(schema: GraphQLSchema): string {
  return createHash("sha256").update(printSchema(schema)).digest("hex");
}

function keyValueCache<V extends NonNullable<unknown>>(bytes: ByteCache<V>): KeyValueCache<V> {
  return {
    get: async (key) => bytes.get(key),
    set: async (key, value) => {
      bytes.set(key, value);
    },
    delete: async (key) => bytes.delete(key),
  };
}

/** What a parsed document holds: the source text it points to (two bytes a character at worst) and its tokens. */
export function documentBytes(document: DocumentNode): number {
  const loc = document.loc;
  // Apollo's own parse always keeps locations; a document without them is its nodes (a few times their JSON).
  if (!loc) return 8 * JSON.stringify(document).length;
  let tokens = 0;
  for (let token: Token | null = loc.startToken; token; token = token.next) tokens++;
  return 2 * loc.source.body.length + BYTES_PER_TOKEN * tokens;
}
