-- AlterTable
-- Which of the user's MAX_ACTIVE_HOLDS_PER_USER slots a PENDING booking occupies. The partial unique index makes the
-- limit hold under concurrency: two simultaneous holds cannot take the same slot, whatever the number of API processes.
ALTER TABLE "bookings" ADD COLUMN "hold_slot" SMALLINT;

CREATE UNIQUE INDEX "bookings_user_id_hold_slot_pending_key" ON "bookings"("user_id", "hold_slot") WHERE "status" = 'PENDING';
