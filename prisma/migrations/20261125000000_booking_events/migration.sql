-- Booking events for downstream systems (docs/booking-events.md).
--
-- booking_outbox: the transactional outbox. A row is written by the statement (or transaction) that changes a booking,
-- a show or a seat's sale state, so an event exists if and only if the change committed. Rows stay only until the
-- relay sequences them.
CREATE TABLE "booking_outbox" (
    "seq" BIGSERIAL NOT NULL,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    -- the writing transaction: the relay sequences only events of transactions older than every one still running
    "xid" xid8 NOT NULL DEFAULT pg_current_xact_id(),
    "type" TEXT NOT NULL,
    "show_id" UUID NOT NULL,
    "booking_id" UUID,
    -- the seat versions the change produced (the numbers seat-map subscribers see)
    "seat_versions" BIGINT[] NOT NULL DEFAULT '{}',
    "data" JSONB NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "booking_outbox_pkey" PRIMARY KEY ("seq")
);
CREATE INDEX "booking_outbox_ready_idx" ON "booking_outbox"("xid", "seq");

-- booking_events: the sequenced log. The relay moves outbox rows here in commit order, numbered globally (sequence,
-- contiguous) and per show (position, contiguous), so a consumer can tell that it missed nothing.
CREATE TABLE "booking_events" (
    "sequence" BIGINT NOT NULL,
    "id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "show_id" UUID NOT NULL,
    "position" BIGINT NOT NULL,
    "booking_id" UUID,
    "seat_versions" BIGINT[] NOT NULL,
    "data" JSONB NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "sequenced_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "booking_events_pkey" PRIMARY KEY ("sequence")
);
CREATE UNIQUE INDEX "booking_events_id_key" ON "booking_events"("id");
CREATE UNIQUE INDEX "booking_events_show_position_key" ON "booking_events"("show_id", "position");
-- the pull API's filters (a show's events, a booking's events, in log order) and the retention purge
CREATE INDEX "booking_events_show_sequence_idx" ON "booking_events"("show_id", "sequence");
CREATE INDEX "booking_events_booking_sequence_idx" ON "booking_events"("booking_id", "sequence")
    WHERE "booking_id" IS NOT NULL;
CREATE INDEX "booking_events_sequenced_at_brin" ON "booking_events" USING brin ("sequenced_at");

-- Webhook endpoints registered by admins.
CREATE TABLE "webhooks" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "url" TEXT NOT NULL,
    "description" TEXT,
    -- event types delivered; empty: every type
    "event_types" TEXT[] NOT NULL DEFAULT '{}',
    -- Standard Webhooks secret (whsec_ + base64); the previous one also signs until it expires (rotation)
    "secret" TEXT NOT NULL,
    "previous_secret" TEXT,
    "previous_secret_expires_at" TIMESTAMPTZ(3),
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "webhooks_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "webhooks_created_at_idx" ON "webhooks"("created_at" DESC, "id" DESC);

CREATE TYPE "webhook_delivery_status" AS ENUM ('pending', 'delivered', 'dead');

-- One row per event per webhook, created when the event is sequenced. Leased (leased_until, lease_token) by one
-- process at a time with FOR UPDATE SKIP LOCKED; delivered in sequence order per ordering key (the booking, or the
-- show for show events).
CREATE TABLE "webhook_deliveries" (
    "id" BIGSERIAL NOT NULL,
    "webhook_id" UUID NOT NULL,
    "event_sequence" BIGINT NOT NULL,
    "ordering_key" UUID NOT NULL,
    "status" "webhook_delivery_status" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leased_until" TIMESTAMPTZ(3),
    "lease_token" UUID,
    "last_attempt_at" TIMESTAMPTZ(3),
    "last_status_code" INTEGER,
    "last_error" TEXT,
    "delivered_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "webhook_deliveries_webhook_id_fkey" FOREIGN KEY ("webhook_id") REFERENCES "webhooks"("id") ON DELETE CASCADE,
    CONSTRAINT "webhook_deliveries_event_sequence_fkey" FOREIGN KEY ("event_sequence")
        REFERENCES "booking_events"("sequence") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "webhook_deliveries_webhook_event_key" ON "webhook_deliveries"("webhook_id", "event_sequence");
CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries"("next_attempt_at") WHERE "status" = 'pending';
CREATE INDEX "webhook_deliveries_order_idx" ON "webhook_deliveries"("webhook_id", "ordering_key", "event_sequence")
    WHERE "status" = 'pending';
CREATE INDEX "webhook_deliveries_event_idx" ON "webhook_deliveries"("event_sequence");
-- the dead letters of a webhook (admins list and replay them)
CREATE INDEX "webhook_deliveries_dead_idx" ON "webhook_deliveries"("webhook_id", "id") WHERE "status" = 'dead';

-- Every attempt of a delivery: when, how long, the HTTP status or the error.
CREATE TABLE "webhook_delivery_attempts" (
    "delivery_id" BIGINT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "duration_ms" INTEGER NOT NULL,
    "status_code" INTEGER,
    "error" TEXT,
    CONSTRAINT "webhook_delivery_attempts_pkey" PRIMARY KEY ("delivery_id", "attempt"),
    CONSTRAINT "webhook_delivery_attempts_delivery_id_fkey" FOREIGN KEY ("delivery_id")
        REFERENCES "webhook_deliveries"("id") ON DELETE CASCADE
);

-- How far each message-broker exchange has been published (with publisher confirms): events with a higher sequence
-- are still to go. Created at the log's head when a process first starts with that exchange configured.
CREATE TABLE "broker_cursors" (
    "exchange" TEXT NOT NULL,
    "last_sequence" BIGINT NOT NULL,
    "published_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "last_error_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "broker_cursors_pkey" PRIMARY KEY ("exchange")
);

-- A booking's change, as an event with the booking as the API returns it (Booking's scalar fields; Money without
-- `formatted`): booking.held for a new hold (a refused hold, recorded FAILED for idempotent retries, changes nothing:
-- no event); otherwise the type follows from the states before and after, and a change of nothing a consumer sees
-- (updated_at alone, expires_at moved by hand) writes none. A refund or a seat change adds what it did (released,
-- taken, refundedAmount). The event carries the versions of the booking's seats (before and after) that its
-- transaction changed.
--
-- Row-level, called only for the rows the WHEN clauses let through, with every statement inline so PL/pgSQL keeps its
-- plan: measured with pgbench on a one-row update, a statement-level trigger over transition tables (planned again
-- on every statement) and lookups in SQL functions (planned again on every call) cost up to three times as much.
CREATE FUNCTION "record_booking_event"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  kind text := 'booking.held';
  changed_seats text[] := NEW.seat_numbers;
  details jsonb := '{}';
  kept_seats text[];
  kept_total bigint;
  versions bigint[];
BEGIN
  IF TG_OP = 'UPDATE' THEN
    changed_seats := OLD.seat_numbers || NEW.seat_numbers;
    kind := CASE
      WHEN OLD.status = 'PENDING' AND NEW.status = 'CONFIRMED' THEN 'booking.confirmed'
      WHEN OLD.status <> 'FAILED' AND NEW.status = 'FAILED' THEN CASE NEW.failure_reason
        WHEN 'EXPIRED' THEN 'booking.expired'
        WHEN 'CANCELLED_BY_ORGANIZER' THEN 'booking.cancelled_by_organizer'
        ELSE 'booking.cancelled' END
      WHEN OLD.status = 'CONFIRMED' AND NEW.status IN ('CONFIRMED', 'REFUNDED')
           AND (NEW.status = 'REFUNDED' OR cardinality(NEW.seat_numbers) < cardinality(OLD.seat_numbers))
        THEN 'booking.refunded'
      WHEN NEW.status IN ('PENDING', 'CONFIRMED') AND NEW.seat_numbers IS DISTINCT FROM OLD.seat_numbers
        THEN 'booking.seats_changed'
      WHEN NEW.status = 'PENDING' AND NEW.extension_count > OLD.extension_count THEN 'booking.hold_extended'
    END;
    IF kind IS NULL THEN
      RETURN NULL;
    END IF;
    IF kind IN ('booking.refunded', 'booking.seats_changed') THEN
      -- a booking refunded in full keeps the seats and total it had (see refund.ts): it kept none of them
      kept_seats := CASE WHEN NEW.status = 'REFUNDED' THEN '{}'::text[] ELSE NEW.seat_numbers END;
      kept_total := CASE WHEN NEW.status = 'REFUNDED' THEN 0 ELSE NEW.total END;
      details := jsonb_build_object(
        'released', to_jsonb(ARRAY(SELECT s FROM unnest(OLD.seat_numbers) AS s WHERE s <> ALL(kept_seats))),
        'taken', to_jsonb(ARRAY(SELECT s FROM unnest(kept_seats) AS s WHERE s <> ALL(OLD.seat_numbers))),
        'refundedAmount', CASE WHEN kind = 'booking.refunded' AND OLD.total IS NOT NULL
                               THEN jsonb_build_object('amount', OLD.total - coalesce(kept_total, 0),
                                                       'currency', OLD.currency) END);
    END IF;
  END IF;
  SELECT coalesce(array_agg(seats.version ORDER BY seats.version), '{}') INTO versions FROM seats
  WHERE seats.show_id = NEW.show_id AND seats.seat_number = ANY(changed_seats)
    AND seats.changed_xid = pg_current_xact_id();
  INSERT INTO booking_outbox (type, show_id, booking_id, seat_versions, data)
  VALUES (kind, NEW.show_id, NEW.id, versions, jsonb_build_object(
    'id', NEW.id, 'showId', NEW.show_id, 'userId', NEW.user_id, 'status', NEW.status,
    'failureReason', NEW.failure_reason, 'seatNumbers', to_jsonb(NEW.seat_numbers),
    'expiresAt', to_char(NEW.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'createdAt', to_char(NEW.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'confirmedAt', to_char(NEW.confirmed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'total', CASE WHEN NEW.total IS NOT NULL THEN jsonb_build_object('amount', NEW.total, 'currency', NEW.currency) END)
    || details);
  RETURN NULL;
END $$;

-- After each row, so at the end of the statement (after-row triggers are queued until then): the seats the statement
-- changed, in any of its parts, are visible to the versions lookup.
CREATE TRIGGER "bookings_insert_events" AFTER INSERT ON "bookings"
  FOR EACH ROW WHEN (NEW.status = 'PENDING') EXECUTE FUNCTION "record_booking_event"();
CREATE TRIGGER "bookings_update_events" AFTER UPDATE ON "bookings"
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.seat_numbers IS DISTINCT FROM NEW.seat_numbers
                     OR OLD.extension_count IS DISTINCT FROM NEW.extension_count)
  EXECUTE FUNCTION "record_booking_event"();

-- A show as the API returns it (Show's own scalar fields, with its prices).
CREATE FUNCTION "show_event_data"(s "shows") RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', s.id, 'name', s.name,
    'startsAt', to_char(s.starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'timeZone', s.time_zone, 'venueId', s.venue_id, 'totalSeats', s.total_seats, 'currency', s.currency,
    'prices', coalesce((SELECT jsonb_agg(jsonb_build_object('category', p.category_key, 'amount', p.amount)
                                        ORDER BY p.category_key)
                        FROM show_prices AS p WHERE p.show_id = s.id), '[]'::jsonb),
    'status', CASE WHEN s.cancelled_at IS NOT NULL THEN 'CANCELLED'
                   WHEN s.starts_at <= now() THEN 'STARTED' ELSE 'ON_SALE' END,
    'cancelledAt', to_char(s.cancelled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'cancelReason', s.cancel_reason, 'maxSeatsPerUser', s.max_seats_per_user, 'ownerRefunds', s.owner_refunds,
    'noOrphanSeats', s.no_orphan_seats)
$$;
