-- The client address a hold came from, and a fingerprint of what the hold request asked for: holds are capped per
-- address and show, and an idempotency key reused for a different request is refused instead of replayed.
ALTER TABLE "bookings" ADD COLUMN "client_address" TEXT;
ALTER TABLE "bookings" ADD COLUMN "request_fingerprint" TEXT;

-- Which address holds a seat and which of that address's MAX_HELD_SEATS_PER_ADDRESS seat slots (per show) it takes.
-- The partial unique index makes the cap exact under concurrency without a counter row: two simultaneous holds from
-- one address cannot take the same slot, and different addresses never touch each other's slots.
ALTER TABLE "seats" ADD COLUMN "hold_address" TEXT;
ALTER TABLE "seats" ADD COLUMN "address_slot" INTEGER;
CREATE UNIQUE INDEX "seats_hold_address_slot_key" ON "seats"("show_id", "hold_address", "address_slot") WHERE "status" = 'held';

-- The hold-time budget and the re-hold cool-down read one user's bookings of one show.
CREATE INDEX "bookings_user_id_show_id_created_at_idx" ON "bookings"("user_id", "show_id", "created_at");

-- The retention purge walks failed holds oldest first.
CREATE INDEX "bookings_failed_holds_created_at_idx" ON "bookings"("created_at") WHERE "failure_reason" = 'SEATS_UNAVAILABLE';
