-- CreateEnum
CREATE TYPE "seat_status" AS ENUM ('available', 'held', 'booked');

-- CreateEnum
CREATE TYPE "booking_status" AS ENUM ('PENDING', 'CONFIRMED', 'FAILED');

-- CreateEnum
CREATE TYPE "failure_reason" AS ENUM ('SEATS_UNAVAILABLE', 'EXPIRED', 'CANCELLED');

-- CreateTable
CREATE TABLE "shows" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "row_count" INTEGER NOT NULL,
    "seats_per_row" INTEGER NOT NULL,
    "total_seats" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "shows_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "shows_layout_check" CHECK ("row_count" > 0 AND "seats_per_row" > 0 AND "total_seats" = "row_count" * "seats_per_row")
);

-- CreateTable
CREATE TABLE "bookings" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "show_id" UUID NOT NULL,
    "user_id" TEXT NOT NULL,
    "status" "booking_status" NOT NULL,
    "failure_reason" "failure_reason",
    "seat_numbers" TEXT[],
    "expires_at" TIMESTAMPTZ(3),
    "extension_count" INTEGER NOT NULL DEFAULT 0,
    "idempotency_key" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "bookings_pkey" PRIMARY KEY ("id"),
    -- a FAILED booking always says why; no other booking carries a reason
    CONSTRAINT "bookings_failure_reason_check" CHECK (("status" = 'FAILED') = ("failure_reason" IS NOT NULL))
);

-- CreateTable
CREATE TABLE "seats" (
    "id" BIGSERIAL NOT NULL,
    "show_id" UUID NOT NULL,
    "seat_number" TEXT NOT NULL,
    "row_label" TEXT NOT NULL,
    "row_index" INTEGER NOT NULL,
    "seat_in_row" INTEGER NOT NULL,
    "status" "seat_status" NOT NULL DEFAULT 'available',
    "booking_id" UUID,
    "hold_expires_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "seats_pkey" PRIMARY KEY ("id"),
    -- a seat references a booking exactly when it is held or booked, and only a hold has an expiry
    CONSTRAINT "seats_booking_check" CHECK (("status" = 'available') = ("booking_id" IS NULL)),
    CONSTRAINT "seats_hold_check" CHECK (("status" = 'held') = ("hold_expires_at" IS NOT NULL))
);

-- CreateIndex
CREATE INDEX "shows_starts_at_id_idx" ON "shows"("starts_at", "id");

-- CreateIndex
CREATE UNIQUE INDEX "seats_show_id_seat_number_key" ON "seats"("show_id", "seat_number");

-- CreateIndex
CREATE INDEX "seats_show_id_row_index_seat_in_row_idx" ON "seats"("show_id", "row_index", "seat_in_row");

-- CreateIndex
CREATE INDEX "seats_booking_id_idx" ON "seats"("booking_id");

-- Finding lapsed holds touches only held seats, not the whole table.
CREATE INDEX "seats_hold_expires_at_held_idx" ON "seats"("hold_expires_at") WHERE "status" = 'held';

-- CreateIndex
CREATE UNIQUE INDEX "bookings_user_id_idempotency_key_key" ON "bookings"("user_id", "idempotency_key");

-- CreateIndex
CREATE INDEX "bookings_user_id_created_at_id_idx" ON "bookings"("user_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "bookings_show_id_idx" ON "bookings"("show_id");

-- The expiry task scans only pending bookings, oldest expiry first.
CREATE INDEX "bookings_expires_at_pending_idx" ON "bookings"("expires_at") WHERE "status" = 'PENDING';

-- AddForeignKey
ALTER TABLE "seats" ADD CONSTRAINT "seats_show_id_fkey" FOREIGN KEY ("show_id") REFERENCES "shows"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "seats" ADD CONSTRAINT "seats_booking_id_fkey" FOREIGN KEY ("booking_id") REFERENCES "bookings"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_show_id_fkey" FOREIGN KEY ("show_id") REFERENCES "shows"("id") ON DELETE CASCADE ON UPDATE CASCADE;
