import { Prisma } from "../../db/prisma.js";

/** The advisory lock (pg_try_advisory_xact_lock) that lets one sequencer at a time number events. */
export const SEQUENCER_LOCK = 7_302_114_001;

/**
 * Moves up to `batch` outbox rows into the sequenced log and creates their webhook deliveries, in one statement.
 *
 * Only rows of transactions older than every transaction still running (xid below the snapshot's xmin) are taken:
 * every later one will have a higher xid, so numbering in (xid, seq) order never has to put an event before one
 * already numbered. That order is the commit order of changes to one booking, because every statement that changes
 * a booking locks its row first (the project's lock order: bookings, then seats), so the transaction that waited
 * for the lock gets the higher xid. `sequence` continues the log's highest, `position` the show's highest: both
 * contiguous, which holds because one sequencer runs at a time (SEQUENCER_LOCK, taken before this statement's
 * snapshot).
 */
export const sequenceStatement = (batch: number) => Prisma.sql`/* sequence_booking_events */
  WITH ready AS MATERIALIZED (
    SELECT seq FROM booking_outbox
    WHERE xid < pg_snapshot_xmin(pg_current_snapshot())
    ORDER BY xid, seq LIMIT ${batch}::int
  ), moved AS (
    DELETE FROM booking_outbox AS o USING ready WHERE o.seq = ready.seq
    RETURNING o.*
  ), numbered AS (
    SELECT moved.*,
           (SELECT coalesce(max(sequence), 0) FROM booking_events) + row_number() OVER (ORDER BY xid, seq) AS sequence,
           row_number() OVER (PARTITION BY show_id ORDER BY xid, seq) AS nth
    FROM moved
  ), logged AS (
    INSERT INTO booking_events (sequence, id, type, show_id, position, booking_id, seat_versions, data, occurred_at)
    SELECT sequence, id, type, show_id,
           (SELECT coalesce(max(e.position), 0) FROM booking_events AS e WHERE e.show_id = numbered.show_id) + nth,
           booking_id, seat_versions, data, occurred_at
    FROM numbered
    RETURNING sequence, type, show_id, booking_id
  ), deliveries AS (
    INSERT INTO webhook_deliveries (webhook_id, event_sequence, ordering_key)
    SELECT w.id, logged.sequence, coalesce(logged.booking_id, logged.show_id)
    FROM logged JOIN webhooks AS w
      ON w.enabled AND (cardinality(w.event_types) = 0 OR logged.type = ANY(w.event_types))
    ORDER BY logged.sequence, w.id
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM logged)::int AS sequenced, (SELECT count(*) FROM deliveries)::int AS deliveries`;
