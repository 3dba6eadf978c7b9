import path from "node:path";
import { type GraphQLSchema } from "graphql";
import { createPubSub, type PubSub } from "@graphql-yoga/subscription";
import { buildSchema as buildTypeGraphQLSchema } from "type-graphql";
import { BookingResolver } from "./bookings/index.js";
import { type Container } from "./container.js";
import { type Events } from "./pubsub.js";
import { authChecker } from "./shared/auth-checker.js";
import { DateTimeScalar } from "./shared/scalars.js";
import { SeatMapResolver } from "./seats/index.js";
import { ShowResolver } from "./shows/index.js";

/** Where the committed SDL lives; a test fails when it no longer matches the code. */
export const SCHEMA_FILE = path.resolve(__dirname, "../schema.graphql");

export const RESOLVERS = [ShowResolver, BookingResolver, SeatMapResolver] as const;

/** Builds the executable schema; resolvers come from the container. `emitSchemaFile` also writes the SDL there. */
export function buildSchema(
  container: Pick<Container, "get">,
  options: { pubSub?: PubSub<Events>; emitSchemaFile?: string } = {},
): Promise<GraphQLSchema> {
  return buildTypeGraphQLSchema({
    pubSub: options.pubSub ?? createPubSub<Events>(),
    resolvers: [...RESOLVERS],
    container: { get: (someClass) => container.get(someClass as new () => unknown) },
    authChecker,
    validate: { forbidUnknownValues: false },
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    ...(options.emitSchemaFile ? { emitSchemaFile: { path: options.emitSchemaFile, sortedSchema: true } } : {}),
  });
}
