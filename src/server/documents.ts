import {
  type DocumentNode,
  type GraphQLSchema,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type ValidationRule,
} from "graphql";
import { ByteCache } from "../platform/byte-cache.js";
import { type Config } from "../platform/config.js";
import { type ValidatedDocuments } from "./apollo-caches.js";
import { shapeRefusal, tokensExceed } from "./query-shape.js";

/** Verdicts on documents already measured: a hashed key and a small refusal (or none) each. */
const VERDICT_CACHE_BYTES = 1024 * 1024;

/** What is known of a text once it has been parsed: refused for its shape, or whether Apollo's validation passes. */
interface Verdict {
  readonly refusal: GraphQLError | null;
  readonly valid: boolean;
}

export interface DocumentPreparerOptions {
  readonly schema: GraphQLSchema;
  readonly limits: Config["queryLimits"];
  /** Whether introspection is allowed (Apollo validates against it: `introspection` in ApolloServer's config). */
  readonly introspection: boolean;
  /** Apollo Server's store of validated documents (apollo-caches.ts). */
  readonly documents: ValidatedDocuments;
}

/** A text that passed the checks: its sha256 (hex), and its validated document unless it fails validation. */
export interface PreparedText {
  readonly queryHash: string;
  readonly document?: DocumentNode;
}

export interface DocumentPreparer {
  /**
   * Checks a query text before anything else parses it, for every transport, and returns its sha256 (hex): throws a
   * GraphQLError with a clear code for documents of more than `maxTokens` tokens, documents whose shape is over the
   * query limits (query-shape.ts: before graphql-js validates them, since validation recurses along fragment spreads
   * and a chain of thousands of fragments overflows the stack) and documents nested too deeply to parse.
   */
  prepare(query: string): PreparedText;
  /** The validated document of a text by its sha256, when it is in Apollo's store (no parsing). */
  documentOf(queryHash: string): DocumentNode | undefined;
}

/**
 * The one place a query text is parsed: first sight of a text is parsed once here, checked for its shape, validated
 * with the rules Apollo Server validates with, and put in Apollo's document store under Apollo's own key, so that
 * Apollo finds it there instead of parsing and validating it again, and the read cache plans from the same document.
 * Later requests with the same text parse nothing (verdicts and documents are kept by the text's digest). A text that
 * does not parse or validate is left to Apollo, which parses it again and reports the errors precisely.
 */
export function documentPreparer(options: DocumentPreparerOptions): DocumentPreparer {
  const { limits, documents } = options;
  const rules = apolloValidationRules(options.introspection);
  const verdicts = new ByteCache<Verdict>({
    maxBytes: VERDICT_CACHE_BYTES,
    sizeOf: (verdict) => 16 + (verdict.refusal ? 200 + verdict.refusal.message.length : 0),
  });

  /** Parses `query` once and judges it (storing the document when it is valid). */
  const judge = (query: string, queryHash: string): Verdict & { readonly document?: DocumentNode } => {
    let document: DocumentNode;
    try {
      // The parser stops at maxTokens, as Apollo's does (same options: the document is the one Apollo would build).
      document = parse(query, { maxTokens: limits.maxTokens });
    } catch (error) {
      // The parser recurses per nesting level: a few thousand levels overflow it.
      if (error instanceof RangeError) return { refusal: tooDeepToParse(), valid: false };
      // Counted again only for texts that do not parse: is it the token limit, or a syntax error for Apollo to report?
      if (tokensExceed(query, limits.maxTokens)) return { refusal: tooManyTokens(limits.maxTokens), valid: false };
      return { refusal: null, valid: false };
    }
    const refusal = shapeRefusal(document, limits);
    if (refusal) return { refusal, valid: false };
    if (validate(options.schema, document, rules).length > 0) return { refusal: null, valid: false };
    documents.set(queryHash, document);
    return { refusal: null, valid: true, document };
  };

  return {
    prepare(query) {
      const queryHash = ByteCache.keyOf(query); // hashed once: the verdict's key and Apollo's
      const known = verdicts.get(queryHash);
      if (known?.refusal) throw known.refusal;
      const stored = known?.valid ? documents.get(queryHash) : undefined;
      if (known && (stored || !known.valid)) return { queryHash, document: stored };
      // First sight, or a valid text whose document has left Apollo's store: parsed here rather than by Apollo.
      const { document, ...verdict } = judge(query, queryHash);
      verdicts.set(queryHash, verdict);
      if (verdict.refusal) throw verdict.refusal;
      return { queryHash, document };
    },
    documentOf: (queryHash) => documents.get(queryHash),
  };
}

/**
 * The rules Apollo Server 5 validates with when configured as graphql-handler.ts does (no `validationRules`, no
 * `maxRecursiveSelections`): graphql-js's specified rules, and without introspection a rule refusing `__schema` and
 * `__type` (Apollo's NoIntrospection, not exported). A document refused here is left to Apollo, which refuses it in
 * its own words; this set must never accept what Apollo's refuses.
 */
export function apolloValidationRules(introspection: boolean): readonly ValidationRule[] {
  const noIntrospection: ValidationRule = (context) => ({
    Field(node) {
      if (node.name.value === "__schema" || node.name.value === "__type")
        context.reportError(new GraphQLError("Introspection is not allowed.", { nodes: [node] }));
    },
  });
  return introspection ? specifiedRules : [...specifiedRules, noIntrospection];
}

const tooDeepToParse = () =>
  new GraphQLError("Syntax Error: Document nested too deeply to parse.", {
    extensions: { code: "GRAPHQL_PARSE_FAILED" },
  });

const tooManyTokens = (maxTokens: number) =>
  new GraphQLError(`Syntax Error: Document contains more than ${maxTokens} tokens. Parsing aborted.`, {
    extensions: { code: "GRAPHQL_PARSE_FAILED" },
  });
