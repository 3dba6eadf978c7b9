import "reflect-metadata";
import { type TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";
import {
  type App,
  type Config,
  createApp,
  createDatabase,
  createLogger,
  loadConfig,
  type Logger,
  type PrismaClient,
  type Role,
  signToken,
  silentLogger,
} from "./from-src";
import { createTestDatabase, type TestDatabase } from "./test-database";

export const JWT_SECRET = "test-secret-that-is-long-enough";

export interface GraphQLResponse<TData> {
  readonly status: number;
  readonly data?: TData | null;
  readonly errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[];
}

export interface TestApp {
  readonly app: App;
  readonly prisma: PrismaClient;
  readonly database: TestDatabase;
  readonly config: Config;
  /** SQL statements sent to the primary pool (tests reset it themselves). */
  readonly statements: string[];
  /** SQL statements sent to the replica pool, when DATABASE_REPLICA_URL is set. */
  readonly replicaStatements: string[];
  /** Sends an operation over real HTTP; `token` (a raw JWT) or `as` (a user to sign one for) authenticates it. */
  request<TData, TVariables>(
    document: TypedDocumentNode<TData, TVariables>,
    variables?: TVariables,
    auth?: { token?: string; as?: string; role?: Role },
  ): Promise<GraphQLResponse<TData>>;
  /** Like request, but fails the test (printing query and body) on any top-level error. */
  ok<TData, TVariables>(
    document: TypedDocumentNode<TData, TVariables>,
    variables?: TVariables,
    auth?: { token?: string; as?: string; role?: Role },
  ): Promise<TData>;
  /** Sends a raw body (for malformed requests). */
  post(body: string, headers?: Record<string, string>): Promise<{ status: number; text: string }>;
  token(sub: string, role?: Role): string;
  stop(): Promise<void>;
}

/** A real API (HTTP server, schema, services) over its own freshly migrated database. */
export async function startTestApp(
  env: Record<string, string> = {},
  /** runEventRelay: run the booking-event relay on its interval (off: tests drive app.container.events by hand). */
  options: { logger?: Logger; runEventRelay?: boolean } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: "test",
    PORT: "0",
    HOST: "127.0.0.1",
    JWT_SECRET,
    DATABASE_URL: database.url,
    ...env,
  });
  const statements: string[] = [];
  const db = createDatabase(database.url, 20, { onStatement: (sql) => statements.push(sql) });
  // With DATABASE_REPLICA_URL the "replica" is a second pool on the same database: routing is what is tested.
  const replicaStatements: string[] = [];
  const replica = config.database.replicaUrl
    ? createDatabase(database.url, 5, { onStatement: (sql) => replicaStatements.push(sql) })
    : undefined;
  const app = await createApp({
    config,
    prisma: db.prisma,
    sql: db.sql,
    replica: replica?.prisma,
    poolStats: db.poolStats,
    jwtSecret: JWT_SECRET,
    logger: options.logger ?? (process.env.TEST_LOG ? createLogger("debug", false) : silentLogger),
    runExpiryTask: false,
    runEventRelay: options.runEventRelay ?? false,
  });

  const token = (sub: string, role: Role = "user") => signToken(JWT_SECRET, { sub, role });
  const post = async (body: string, headers: Record<string, string> = {}) => {
    const response = await fetch(app.address, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    });
    return { status: response.status, text: await response.text() };
  };
  const request: TestApp["request"] = async (document, variables, auth = {}) => {
    const bearer = auth.token ?? (auth.as ? token(auth.as, auth.role) : undefined);
    const { status, text } = await post(
      JSON.stringify({ query: print(document), variables }),
      bearer ? { authorization: `Bearer ${bearer}` } : {},
    );
    return { status, ...(JSON.parse(text) as object) };
  };
  return {
    app,
    prisma: db.prisma,
    database,
    config,
    statements,
    replicaStatements,
    request,
    async ok(document, variables, auth) {
      const response = await request(document, variables, auth);
      if (response.errors?.length || !response.data) {
        throw new Error(
          `GraphQL errors for\n${print(document)}\nvariables ${JSON.stringify(variables)}\n→ ${JSON.stringify(response, null, 2)}`,
        );
      }
      return response.data;
    },
    post,
    token,
    async stop() {
      await app.stop();
      await db.disconnect();
      await replica?.disconnect();
      await database.drop();
    },
  };
}

/** For a test that needs an app of its own (its own settings, limiter state or database): stopped afterwards. */
export async function withTestApp<T>(env: Record<string, string>, use: (t: TestApp) => Promise<T>): Promise<T> {
  const t = await startTestApp(env);
  try {
    return await use(t);
  } finally {
    await t.stop();
  }
}

/** The SQL statements the primary pool received while `run` ran. */
export async function statementsDuring(t: TestApp, run: () => Promise<unknown>): Promise<string[]> {
  t.statements.length = 0;
  await run();
  return [...t.statements];
}
