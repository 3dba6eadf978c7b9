import { Prisma } from "../../../db/prisma.js";
import { type BookingEventRow, EVENT_COLUMNS } from "../../event-envelope.js";

/** A leased delivery with what sending it needs: the event, the target and the secrets that sign now. */
export interface LeasedDeliveryRow extends BookingEventRow {
  delivery_id: bigint;
  lease_token: string;
  /** Attempts before this one (since the last replay). */
  attempts: number;
  url: string;
  secret: string;
  /** The secret before the last rotation, while it still signs; null otherwise. */
  previous_secret: string | null;
}

/**
 * Leases up to `limit` due deliveries in one short statement (its own transaction: no lock outlives it). Due: pending,
 * next_attempt_at passed, no lease or an expired one, the webhook enabled, and no earlier delivery of the same
 * (webhook, ordering key) still pending — a booking's next event waits while its previous one is being retried —
 * oldest events first. FOR UPDATE SKIP LOCKED lets every process lease at once without taking the same rows; a
 * fresh lease_token lets a completion tell that the lease is still its own.
 */
export const leaseDueDeliveries = (limit: number, leaseMs: number) => Prisma.sql`/* lease_webhook_deliveries */
  WITH due AS (
    SELECT d.id FROM webhook_deliveries AS d
    JOIN webhooks AS w ON w.id = d.webhook_id
    WHERE d.status = 'pending' AND d.next_attempt_at <= now()
      AND (d.leased_until IS NULL OR d.leased_until < now())
      AND w.enabled
      AND NOT EXISTS (SELECT 1 FROM webhook_deliveries AS p
                      WHERE p.webhook_id = d.webhook_id AND p.ordering_key = d.ordering_key
                        AND p.status = 'pending' AND p.event_sequence < d.event_sequence)
    ORDER BY d.event_sequence
    LIMIT ${limit}::int
    FOR UPDATE OF d SKIP LOCKED
  ), leased AS (
    UPDATE webhook_deliveries AS d
    SET leased_until = now() + ${leaseMs}::int * interval '1 millisecond', lease_token = gen_random_uuid()
    FROM due WHERE d.id = due.id
    RETURNING d.id, d.lease_token, d.attempts, d.webhook_id, d.event_sequence
  )
  SELECT leased.id AS delivery_id, leased.lease_token, leased.attempts, w.url, w.secret,
         CASE WHEN w.previous_secret_expires_at > now() THEN w.previous_secret END AS previous_secret,
         ${Prisma.raw(EVENT_COLUMNS)}
  FROM leased
  JOIN webhooks AS w ON w.id = leased.webhook_id
  JOIN booking_events AS e ON e.sequence = leased.event_sequence
  ORDER BY leased.event_sequence`;

/** What one attempt did, for the delivery row and its attempt log. */
export interface AttemptRecord {
  readonly deliveryId: bigint;
  readonly leaseToken: string;
  readonly startedAt: Date;
  readonly durationMs: number;
  readonly statusCode: number | null;
  /** Null: delivered. */
  readonly error: string | null;
  /** After a failure: dead (no attempt left), or pending again after `retryInMs`. */
  readonly dead: boolean;
  readonly retryInMs: number;
}

/**
 * Records attempts on their deliveries and in their attempt logs, in one statement for a batch, each only while its
 * lease is still this process's (lease_token): a lease that expired and was taken by another process is not
 * overwritten. The log numbers attempts on from the delivery's highest (a replay restarts `attempts` at 0 but keeps
 * the earlier log). Returns each recorded delivery's status after it; a delivery whose lease was lost (or whose
 * webhook was deleted) has no row.
 */
export const recordAttempts = (batch: readonly AttemptRecord[]) => Prisma.sql`/* record_webhook_attempts */
  WITH attempt AS (
    SELECT * FROM unnest(${batch.map((a) => a.deliveryId)}::bigint[], ${batch.map((a) => a.leaseToken)}::uuid[],
                         ${batch.map((a) => a.startedAt)}::timestamptz[], ${batch.map((a) => a.durationMs)}::int[],
                         ${batch.map((a) => a.statusCode)}::int[], ${batch.map((a) => a.error)}::text[],
                         ${batch.map((a) => a.dead)}::boolean[], ${batch.map((a) => a.retryInMs)}::int[])
      AS a(delivery_id, lease_token, started_at, duration_ms, status_code, error, dead, retry_ms)
  ), done AS (
    UPDATE webhook_deliveries AS d SET
      status = (CASE WHEN a.error IS NULL THEN 'delivered' WHEN a.dead THEN 'dead' ELSE 'pending' END)
               ::webhook_delivery_status,
      attempts = d.attempts + 1,
      next_attempt_at = CASE WHEN a.error IS NULL OR a.dead THEN d.next_attempt_at
                             ELSE now() + a.retry_ms * interval '1 millisecond' END,
      delivered_at = CASE WHEN a.error IS NULL THEN now() END,
      last_attempt_at = a.started_at,
      last_status_code = a.status_code,
      last_error = a.error,
      leased_until = NULL,
      lease_token = NULL
    FROM attempt AS a
    WHERE d.id = a.delivery_id AND d.lease_token = a.lease_token
    RETURNING d.id, d.status, d.webhook_id, d.ordering_key, d.event_sequence, d.next_attempt_at
  ), held_back AS (
    -- The later events of its key wait for it anyway: not due before it is, so the lease statement does not walk
    -- them on every round while an endpoint is down. (A batch never holds two deliveries of one key: the second is
    -- leased only once the first is no longer pending.)
    UPDATE webhook_deliveries AS n SET next_attempt_at = done.next_attempt_at
    FROM done
    WHERE done.status = 'pending' AND n.webhook_id = done.webhook_id AND n.ordering_key = done.ordering_key
      AND n.status = 'pending' AND n.event_sequence > done.event_sequence AND n.next_attempt_at < done.next_attempt_at
  ), logged AS (
    INSERT INTO webhook_delivery_attempts (delivery_id, attempt, started_at, duration_ms, status_code, error)
    SELECT done.id,
           coalesce((SELECT max(l.attempt) FROM webhook_delivery_attempts AS l WHERE l.delivery_id = done.id), 0) + 1,
           a.started_at, a.duration_ms, a.status_code, a.error
    FROM done JOIN attempt AS a ON a.delivery_id = done.id
  )
  SELECT done.id AS delivery_id, done.status::text AS status FROM done`;

/**
 * Gives a lease back untried (the process is stopping before it could send): due again at once, for any process.
 */
export const releaseLease = (deliveryId: bigint, leaseToken: string) => Prisma.sql`/* release_webhook_lease */
  UPDATE webhook_deliveries SET leased_until = NULL, lease_token = NULL
  WHERE id = ${deliveryId}::bigint AND lease_token = ${leaseToken}::uuid`;
