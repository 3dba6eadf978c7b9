import { createHash } from "node:crypto";
import type pg from "pg";
import { sqlState } from "./db-errors.js";

/** A statement with `$n` placeholders and their values, as `Prisma.sql` builds it. */
export interface SqlStatement {
  readonly text: string;
  readonly values: unknown[];
}

/** Sends one statement and returns its rows. */
export interface SqlClient {
  query<T>(statement: SqlStatement): Promise<T[]>;
}

/** Distinct statement texts prepared per process (so per connection); texts past it are sent unnamed. */
export const MAX_PREPARED_STATEMENTS = 64;

/** `/* claim *\/ WITH …` → "claim": the name a statement gives itself in its leading comment. */
const LEADING_NAME = /^\s*\/\*\s*([a-z][a-z0-9_]*)\s*\*\//i;

/**
 * Session settings of the pool's connections: plan prepared statements once, without looking at the values, and
 * through indexes. A plan is made once per connection and kept; made while a table looked small (a new database, or
 * just after VACUUM), it would read the whole table for as long as the connection lives.
 */
const SESSION_SETTINGS = "SET plan_cache_mode = force_generic_plan; SET enable_seqscan = off";

/** PostgreSQL's answer to a prepared statement whose result columns changed under it (a migration added one). */
const STALE_PLAN = "0A000";

/**
 * A SqlClient over a `pg` pool of its own that sends every statement named by a leading comment (`/* claim *\/ …`)
 * as a named prepared statement, planned once per connection: PostgreSQL then neither parses nor plans it again.
 * Planning the claim cost more than executing it.
 *
 * The pool's sessions always use the generic plan, and indexes. Left to choose, PostgreSQL plans the claim afresh on
 * every call: its estimate for a plan that knows the values (two seats) always beats the generic one (ten seats
 * assumed), though both are the same index probes by key. The statements sent here are written for such plans (each
 * finds its rows by key, and no value decides which index serves it), so the pool must not be shared with other code:
 * a read whose best plan depends on its values (the live seat map's "changed since") would scan a whole show here.
 *
 * A statement's name is its comment's name plus a hash of its text (a statement's text varies by variant, e.g. the
 * claim's target), so different texts never share a name. At most `maxPrepared` texts are prepared; the rest are sent
 * unnamed, so a connection holds a bounded number of statements whatever the callers build.
 *
 * Rows come as `pg` parses them: int8 as a string, timestamptz as a Date, json parsed (see bookings/sql/rows.ts).
 */
export function preparedSqlClient(pool: pg.Pool, maxPrepared = MAX_PREPARED_STATEMENTS): SqlClient {
  // Texts by length, then compared whole: a Map keyed by the text would hash all of its 5 KB on every call (~50 µs
  // for the claim); a freshly built text of a length seen before costs one comparison.
  const byLength = new Map<number, { text: string; name: string }[]>();
  let prepared = 0;
  const nameOf = (text: string): string | undefined => {
    const known = byLength.get(text.length);
    for (const statement of known ?? []) if (statement.text === text) return statement.name;
    const label = LEADING_NAME.exec(text)?.[1];
    if (label === undefined || prepared >= maxPrepared) return undefined;
    const name = `${label.toLowerCase()}_${createHash("sha1").update(text).digest("hex").slice(0, 12)}`;
    if (known) known.push({ text, name });
    else byLength.set(text.length, [{ text, name }]);
    prepared++;
    return name;
  };
  const configured = new WeakSet<pg.PoolClient>();
  const send = async <T>(text: string, values: unknown[], name: string | undefined, retried: boolean): Promise<T[]> => {
    const client = await pool.connect();
    let result: pg.QueryResult;
    try {
      if (!configured.has(client)) {
        await client.query(SESSION_SETTINGS);
        configured.add(client);
      }
      result = await client.query({ name, text, values });
    } catch (error) {
      const state = sqlState(error);
      const stale = name !== undefined && state === STALE_PLAN;
      // A connection that answered with an SQL error is healthy and keeps its prepared statements (pg's own
      // pool.query would close it); one that failed without an answer, or holds a stale statement, is closed.
      client.release(state === undefined || stale ? (error as Error) : undefined);
      if (stale && !retried) return send(text, values, name, true);
      throw error;
    }
    client.release();
    return result.rows as T[];
  };
  return {
    query: <T>(statement: SqlStatement) => {
      const text = statement.text;
      return send<T>(text, statement.values, nameOf(text), false);
    },
  };
}
