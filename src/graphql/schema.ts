import path from "node:path";
import { assertInputObjectType, type GraphQLSchema } from "graphql";
import { buildSchema as buildTypeGraphQLSchema, emitSchemaDefinitionFile, type PubSub } from "type-graphql";
import { AuditMiddleware, AuditResolver, auditRootMutations } from "../audit/index.js";
import { BookingResolver, BoxOfficeResolver, ONE_OF_INPUT_TYPES, ShowBookingsResolver } from "../bookings/index.js";
import { BookingEventsResolver, WEBHOOK_RESOLVERS } from "../events/index.js";
import { ReportsResolver } from "../reports/index.js";
import { SeatBlockingResolver } from "../seats/blocking/index.js";
import { LiveSeatMapResolver, SeatMapResolver, ShowSeatsResolver } from "../seats/index.js";
import { ShowResolver } from "../shows/index.js";
import { BookingPriceResolver, SeatDetailsResolver, ShowVenueResolver, VenueResolver } from "../venues/index.js";
import { authChecker } from "./auth-checker.js";
import { NODE_ID_RESOLVERS } from "./node-ids.js";
import { NodeResolver } from "./node.resolver.js";
import { publicErrorOf } from "./errors.js";
import { DateTimeScalar } from "./scalars.js";

/** Where the committed SDL lives; a test fails when it no longer matches the code. */
export const SCHEMA_FILE = path.resolve(__dirname, "../../schema.graphql");

const RESOLVERS = [
  ShowResolver,
  ShowSeatsResolver,
  LiveSeatMapResolver,
  BookingResolver,
  SeatMapResolver,
  VenueResolver,
  ShowVenueResolver,
  SeatDetailsResolver,
  BookingPriceResolver,
  SeatBlockingResolver,
  ReportsResolver,
  BoxOfficeResolver,
  ShowBookingsResolver,
  AuditResolver,
  BookingEventsResolver,
  ...WEBHOOK_RESOLVERS,
  NodeResolver,
  ...NODE_ID_RESOLVERS,
] as const;

/** Where each subscription topic's events come from: the stream for one id (e.g. a show), or a refusal. */
export type SubscriptionSources = Record<string, (id: string) => Promise<AsyncIterable<unknown>>>;

/** Resolver instances by class (the composition root). */
export interface ResolverContainer {
  get<T>(someClass: new (...args: never[]) => T): T;
}

/**
 * Builds the executable schema; resolvers come from the container. `emitSchemaFile` also writes the SDL there. Every
 * root mutation made by an admin is recorded in the audit log (the container's AuditMiddleware).
 */
export async function buildSchema(
  container: ResolverContainer,
  options: { subscriptions?: SubscriptionSources; emitSchemaFile?: string } = {},
): Promise<GraphQLSchema> {
  const sources = options.subscriptions ?? {};
  const schema = await buildTypeGraphQLSchema({
    pubSub: subscriptionPubSub(sources),
    resolvers: [...RESOLVERS],
    container: { get: (someClass) => container.get(someClass as new () => unknown) },
    authChecker,
    validate: { forbidUnknownValues: false },
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
  });
  markOneOfInputs(schema, ONE_OF_INPUT_TYPES);
  // Emitted here, not by type-graphql, so the SDL shows the schema as served (with its @oneOf marks).
  if (options.emitSchemaFile) await emitSchemaDefinitionFile(options.emitSchemaFile, schema, { sortedSchema: true });
  return auditRootMutations(schema, () => container.get(AuditMiddleware));
}

/**
 * Marks input types `@oneOf` (exactly one field set, and not null), a step of building the schema: type-graphql
 * 2.0.0-rc.4 has no option for it, and graphql-js (16.9+) reads `isOneOf` from the type whenever it validates a
 * document, coerces variables, prints the SDL or answers introspection, so marking the built type before the schema
 * serves anything is all it takes. Each type must be an input type whose fields are all nullable without defaults
 * (what @oneOf requires); anything else fails the build.
 */
export function markOneOfInputs(schema: GraphQLSchema, names: readonly string[]): void {
  for (const name of names) {
    const type = assertInputObjectType(schema.getType(name));
    for (const field of Object.values(type.getFields())) {
      if (field.type.toString().endsWith("!") || field.defaultValue !== undefined) {
        throw new Error(`@oneOf input ${name}.${field.name} must be nullable and have no default`);
      }
    }
    type.isOneOf = true;
  }
}

/**
 * type-graphql's hook for subscription streams (`@Subscription({ topics, topicId })`), backed by the modules'
 * sources. A source may refuse (an unknown show) before any stream exists: graphql-js awaits a subscribe resolver's
 * result, so that refusal reaches the client as the subscription's error, exactly as a thrown one would; type-graphql
 * passes our value through untouched (no `filter` is used), though its type says a stream.
 */
function subscriptionPubSub(sources: SubscriptionSources): PubSub {
  return {
    publish(topic) {
      throw new Error(`Publish ${topic} through its module's events, not through the schema`);
    },
    subscribe(topic, id) {
      const source = sources[topic];
      if (!source) throw new Error(`No subscription source for ${topic}`);
      const stream = source(String(id)).catch((error: unknown) => Promise.reject(publicErrorOf(error)));
      return stream as unknown as AsyncIterable<unknown>;
    },
  };
}
