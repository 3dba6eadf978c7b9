import { Prisma, type PrismaClient } from "../../db/prisma.js";
import { type BookingEventRow, type EventEnvelope, EVENT_COLUMNS, toEnvelope } from "../event-envelope.js";
import { type WebhookDeliveryStatusValue } from "./webhook.type.js";

/** A webhook as the API shows it (never its secrets), with its backlog counts. */
export interface WebhookRecord {
  readonly id: string;
  readonly url: string;
  readonly description: string | null;
  readonly eventTypes: string[];
  readonly enabled: boolean;
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly previousSecretExpiresAt: Date | null;
  readonly pendingDeliveries: number;
  readonly deadDeliveries: number;
}

export interface DeliveryRecord {
  readonly id: string;
  readonly event: EventEnvelope;
  readonly status: WebhookDeliveryStatusValue;
  readonly attempts: number;
  readonly nextAttemptAt: Date | null;
  readonly lastAttemptAt: Date | null;
  readonly lastStatusCode: number | null;
  readonly lastError: string | null;
  readonly deliveredAt: Date | null;
  readonly createdAt: Date;
}

export interface AttemptLogRecord {
  readonly deliveryId: string;
  readonly attempt: number;
  readonly startedAt: Date;
  readonly durationMs: number;
  readonly statusCode: number | null;
  readonly error: string | null;
}

// The backlog counts come from the partial indexes on pending and dead deliveries.
const WEBHOOK_COLUMNS = Prisma.sql`w.id::text AS "id", w.url, w.description, w.event_types AS "eventTypes", w.enabled,
  w.created_by AS "createdBy", w.created_at AS "createdAt",
  CASE WHEN w.previous_secret_expires_at > now() THEN w.previous_secret_expires_at END AS "previousSecretExpiresAt",
  (SELECT count(*) FROM webhook_deliveries AS d WHERE d.webhook_id = w.id AND d.status = 'pending')::int
    AS "pendingDeliveries",
  (SELECT count(*) FROM webhook_deliveries AS d WHERE d.webhook_id = w.id AND d.status = 'dead')::int
    AS "deadDeliveries"`;

type DeliveryRow = BookingEventRow & Omit<DeliveryRecord, "event"> & { delivery_id: string };

/** Webhooks and their deliveries, in SQL (ids are checked to be UUIDs by the service). */
export class WebhookStore {
  constructor(private readonly prisma: PrismaClient) {}

  async create(webhook: {
    url: string;
    eventTypes: string[];
    secret: string;
    description: string | null;
    createdBy: string;
  }): Promise<WebhookRecord> {
    const [row] = await this.prisma.$queryRaw<WebhookRecord[]>(Prisma.sql`/* webhook_insert */
      WITH w AS (
        INSERT INTO webhooks (url, event_types, secret, description, created_by)
        VALUES (${webhook.url}, ${webhook.eventTypes}::text[], ${webhook.secret}, ${webhook.description},
                ${webhook.createdBy})
        RETURNING *
      )
      SELECT ${WEBHOOK_COLUMNS} FROM w`);
    return row!;
  }

  async get(id: string): Promise<WebhookRecord | null> {
    const [row] = await this.prisma.$queryRaw<WebhookRecord[]>(Prisma.sql`/* webhook_by_id */
      SELECT ${WEBHOOK_COLUMNS} FROM webhooks AS w WHERE w.id = ${id}::uuid`);
    return row ?? null;
  }

  /** Webhooks by id, in the order asked, null where none (one statement). */
  async getMany(ids: readonly string[]): Promise<(WebhookRecord | null)[]> {
    const rows = await this.prisma.$queryRaw<WebhookRecord[]>(Prisma.sql`/* webhooks_by_id */
      SELECT ${WEBHOOK_COLUMNS} FROM webhooks AS w WHERE w.id = ANY(${[...ids]}::uuid[])`);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** Newest first, after the keyset (created_at, id) of `after`; `limit` rows. */
  async page(limit: number, after: { at: Date; id: string } | null): Promise<WebhookRecord[]> {
    return this.prisma.$queryRaw<WebhookRecord[]>(Prisma.sql`/* webhooks_page */
      SELECT ${WEBHOOK_COLUMNS} FROM webhooks AS w
      WHERE ${after === null} OR (w.created_at, w.id) < (${after?.at ?? null}::timestamptz, ${after?.id ?? null}::uuid)
      ORDER BY w.created_at DESC, w.id DESC LIMIT ${limit}::int`);
  }

  async count(): Promise<number> {
    const [row] = await this.prisma.$queryRaw<{ count: number }[]>(
      Prisma.sql`/* webhooks_count */ SELECT count(*)::int AS count FROM webhooks`,
    );
    return row?.count ?? 0;
  }

  async setEnabled(id: string, enabled: boolean): Promise<WebhookRecord | null> {
    const [row] = await this.prisma.$queryRaw<WebhookRecord[]>(Prisma.sql`/* webhook_set_enabled */
      WITH w AS (UPDATE webhooks SET enabled = ${enabled}, updated_at = now() WHERE id = ${id}::uuid RETURNING *)
      SELECT ${WEBHOOK_COLUMNS} FROM w`);
    return row ?? null;
  }

  /** Deletes the webhook with its deliveries and their attempts (cascade); whether it existed. */
  async delete(id: string): Promise<boolean> {
    const deleted = await this.prisma.$executeRaw(
      Prisma.sql`/* webhook_delete */ DELETE FROM webhooks WHERE id = ${id}::uuid`,
    );
    return deleted > 0;
  }

  /** The new secret signs from now; the current one keeps signing for `graceSeconds` (none at 0). */
  async rotate(id: string, secret: string, graceSeconds: number): Promise<WebhookRecord | null> {
    const [row] = await this.prisma.$queryRaw<WebhookRecord[]>(Prisma.sql`/* webhook_rotate_secret */
      WITH w AS (
        UPDATE webhooks SET secret = ${secret},
          previous_secret = CASE WHEN ${graceSeconds}::int > 0 THEN secret END,
          previous_secret_expires_at = CASE WHEN ${graceSeconds}::int > 0
                                            THEN now() + ${graceSeconds}::int * interval '1 second' END,
          updated_at = now()
        WHERE id = ${id}::uuid RETURNING *
      )
      SELECT ${WEBHOOK_COLUMNS} FROM w`);
    return row ?? null;
  }

  /**
   * Makes deliveries pending again, attempts 0, due now: the named ones when DEAD or DELIVERED, else every DEAD one.
   * Returns how many.
   */
  async replay(webhookId: string, deliveryIds: readonly string[] | null): Promise<number> {
    return this.prisma.$executeRaw(Prisma.sql`/* webhook_deliveries_replay */
      UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = now(), delivered_at = NULL,
        leased_until = NULL, lease_token = NULL
      WHERE webhook_id = ${webhookId}::uuid
        AND CASE WHEN ${deliveryIds as string[] | null}::bigint[] IS NULL THEN status = 'dead'
                 ELSE id = ANY(${deliveryIds as string[] | null}::bigint[]) AND status IN ('dead', 'delivered') END`);
  }

  /** A webhook's deliveries with their events, newest first, before the delivery id `before`. */
  async deliveries(
    webhookId: string,
    statuses: readonly WebhookDeliveryStatusValue[] | null,
    limit: number,
    before: bigint | null,
  ): Promise<DeliveryRecord[]> {
    const rows = await this.prisma.$queryRaw<DeliveryRow[]>(Prisma.sql`/* webhook_deliveries_page */
      SELECT d.id::text AS delivery_id, d.status::text AS status, d.attempts AS "attempts",
             CASE WHEN d.status = 'pending' THEN d.next_attempt_at END AS "nextAttemptAt",
             d.last_attempt_at AS "lastAttemptAt", d.last_status_code AS "lastStatusCode", d.last_error AS "lastError",
             d.delivered_at AS "deliveredAt", d.created_at AS "createdAt", ${Prisma.raw(EVENT_COLUMNS)}
      FROM webhook_deliveries AS d JOIN booking_events AS e ON e.sequence = d.event_sequence
      WHERE d.webhook_id = ${webhookId}::uuid
        AND (${statuses as string[] | null}::webhook_delivery_status[] IS NULL
             OR d.status = ANY(${statuses as string[] | null}::webhook_delivery_status[]))
        AND (${before}::bigint IS NULL OR d.id < ${before}::bigint)
      ORDER BY d.id DESC LIMIT ${limit}::int`);
    return rows.map((row) => ({
      id: row.delivery_id,
      event: toEnvelope(row),
      status: row.status,
      attempts: row.attempts,
      nextAttemptAt: row.nextAttemptAt,
      lastAttemptAt: row.lastAttemptAt,
      lastStatusCode: row.lastStatusCode,
      lastError: row.lastError,
      deliveredAt: row.deliveredAt,
      createdAt: row.createdAt,
    }));
  }

  /** The attempt logs of these deliveries, oldest attempt first. */
  async attempts(deliveryIds: readonly string[]): Promise<AttemptLogRecord[]> {
    return this.prisma.$queryRaw<AttemptLogRecord[]>(Prisma.sql`/* webhook_delivery_attempts */
      SELECT delivery_id::text AS "deliveryId", attempt, started_at AS "startedAt", duration_ms AS "durationMs",
             status_code AS "statusCode", error
      FROM webhook_delivery_attempts WHERE delivery_id = ANY(${deliveryIds as string[]}::bigint[])
      ORDER BY delivery_id, attempt`);
  }
}
