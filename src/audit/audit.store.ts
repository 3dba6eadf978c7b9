import { Prisma } from "../db/prisma.js";
import { keysetPage, type Page } from "../domain/page.js";
import { decodeTimeIdCursor } from "../domain/cursor.js";
import { parseInt8 } from "../domain/ids.js";
import { type AuditEntryRecord, type AuditFilter, type AuditStart } from "./audit-entry.js";

interface AuditRow {
  id: string;
  at: Date;
  actor: string;
  action: string;
  target_id: string | null;
  request_id: string;
  arguments: string;
  outcome: string | null;
  finished_at: Date | null;
}

/**
 * Sends a statement, planned for its values (Prisma's pool): the log's page reads through the index its filters
 * choose, which the booking statements' generic plans would not do.
 */
export interface AuditSql {
  query<T>(statement: Prisma.Sql): Promise<T[]>;
}

/** Where admin mutations are recorded (audit_log): an entry is opened before the mutation runs and closed after. */
export class AuditStore {
  constructor(private readonly sql: AuditSql) {}

  /** Records a mutation about to run (no outcome yet); returns the entry's id. Fails when it cannot be recorded. */
  async open(entry: AuditStart): Promise<string> {
    const [row] = await this.sql.query<{ id: string }>(Prisma.sql`/* audit_open */
      INSERT INTO audit_log (actor, action, target_id, request_id, arguments)
      VALUES (${entry.actor}, ${entry.action}, ${entry.targetId}, ${entry.requestId}, ${entry.arguments}::jsonb)
      RETURNING id::text AS id`);
    return row!.id;
  }

  /** Sets how the mutation of an open entry ended, and when. */
  async close(id: string, outcome: string): Promise<void> {
    await this.sql.query(Prisma.sql`/* audit_close */
      UPDATE audit_log SET outcome = ${outcome}, finished_at = now() WHERE id = ${id}::bigint`);
  }

  /** Entries matching `filter`, newest first, keyset-paginated; BadCursorError for a cursor it did not issue. */
  async page(filter: AuditFilter, first: number, after: string | null | undefined): Promise<Page<AuditEntryRecord>> {
    const matching = matchingFilter(filter);
    const position = after ? decodeTimeIdCursor(after, "after", isEntryId) : null;
    const beyond = position
      ? Prisma.sql`AND (at, id) < (${position.at.toISOString()}::timestamptz, ${position.id}::bigint)`
      : Prisma.empty;
    const [rows, [counted]] = await Promise.all([
      this.sql.query<AuditRow>(Prisma.sql`/* audit_log_page */
        SELECT id::text AS id, at, actor, action, target_id, request_id, arguments::text AS arguments, outcome,
               finished_at
        FROM audit_log WHERE ${matching} ${beyond}
        ORDER BY at DESC, id DESC LIMIT ${first + 1}`),
      this.sql.query<{ count: number }>(Prisma.sql`/* audit_log_count */
        SELECT count(*)::int AS count FROM audit_log WHERE ${matching}`),
    ]);
    return keysetPage(rows.map(toRecord), first, after, counted!.count, (entry) => entry.at);
  }
}

/** The WHERE condition of a filter: only the filters given, so each reads through the index that serves it. */
function matchingFilter(filter: AuditFilter): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  if (filter.actor != null) conditions.push(Prisma.sql`actor = ${filter.actor}`);
  if (filter.action != null) conditions.push(Prisma.sql`action = ${filter.action}`);
  if (filter.targetId != null) conditions.push(Prisma.sql`target_id = ${filter.targetId}`);
  if (filter.from != null) conditions.push(Prisma.sql`at >= ${filter.from.toISOString()}::timestamptz`);
  if (filter.to != null) conditions.push(Prisma.sql`at < ${filter.to.toISOString()}::timestamptz`);
  return conditions.length > 0 ? Prisma.join(conditions, " AND ") : Prisma.sql`TRUE`;
}

function toRecord(row: AuditRow): AuditEntryRecord {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action,
    targetId: row.target_id,
    requestId: row.request_id,
    arguments: row.arguments,
    outcome: row.outcome,
    finishedAt: row.finished_at,
  };
}

/** Entries are numbered by a bigserial (from 1), not a UUID: the ids their cursors may carry. */
const isEntryId = (id: string): boolean => !id.startsWith("0") && parseInt8(id) !== null;
