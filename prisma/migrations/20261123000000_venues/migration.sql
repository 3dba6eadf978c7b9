-- Venues: halls defined once and reused by many shows. A venue's layout is versioned: a version is immutable once a
-- show uses it, and its seats are stored once (venue_layout_seats), so a show materialises its seats with one
-- INSERT … SELECT. Prices are per show and seat category, in integer minor units of the show's one currency.

CREATE TABLE "venues" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    -- IANA time zone; a show's local start time is read in it
    "time_zone" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "venues_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "venues_name_idx" ON "venues"("name", "id");

CREATE TABLE "venue_layouts" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "venue_id" UUID NOT NULL REFERENCES "venues"("id") ON DELETE CASCADE,
    "version" INTEGER NOT NULL,
    -- the layout as the admin gave it (validated): sections, rows, seats, categories
    "definition" JSONB NOT NULL,
    "total_seats" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "venue_layouts_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "venue_layouts_version_key" UNIQUE ("venue_id", "version"),
    CONSTRAINT "venue_layouts_version_check" CHECK ("version" > 0 AND "total_seats" > 0)
);

-- Accessibility flags (both tables): 1 = wheelchair space, 2 = companion seat.
CREATE TABLE "venue_layout_seats" (
    "layout_id" UUID NOT NULL REFERENCES "venue_layouts"("id") ON DELETE CASCADE,
    "ordinal" INTEGER NOT NULL,
    "seat_number" TEXT NOT NULL,
    "section_key" TEXT NOT NULL,
    "row_label" TEXT NOT NULL,
    "row_index" INTEGER NOT NULL,
    "seat_in_row" INTEGER NOT NULL,
    "run_index" INTEGER NOT NULL,
    "category_key" TEXT NOT NULL,
    "accessibility" SMALLINT NOT NULL DEFAULT 0,
    "x" DOUBLE PRECISION NOT NULL,
    "y" DOUBLE PRECISION NOT NULL,
    CONSTRAINT "venue_layout_seats_pkey" PRIMARY KEY ("layout_id", "ordinal"),
    CONSTRAINT "venue_layout_seats_number_key" UNIQUE ("layout_id", "seat_number")
);

ALTER TABLE "shows"
    ADD COLUMN "venue_id" UUID REFERENCES "venues"("id"),
    ADD COLUMN "layout_id" UUID REFERENCES "venue_layouts"("id"),
    ADD COLUMN "time_zone" TEXT NOT NULL DEFAULT 'UTC',
    -- ISO 4217; null for a show without prices
    ADD COLUMN "currency" CHAR(3),
    -- explicit holds may not strand a single free seat between taken ones (seats.io's noOrphanSeats)
    ADD COLUMN "no_orphan_seats" BOOLEAN NOT NULL DEFAULT true,
    DROP CONSTRAINT "shows_layout_check",
    ADD CONSTRAINT "shows_layout_check" CHECK ("row_count" > 0 AND "seats_per_row" > 0 AND "total_seats" > 0
        AND "total_seats" <= "row_count" * "seats_per_row");
CREATE INDEX "shows_venue_id_idx" ON "shows"("venue_id", "starts_at");

CREATE TABLE "show_prices" (
    "show_id" UUID NOT NULL REFERENCES "shows"("id") ON DELETE CASCADE,
    "category_key" TEXT NOT NULL,
    -- minor units of the show's currency
    "amount" INTEGER NOT NULL,
    CONSTRAINT "show_prices_pkey" PRIMARY KEY ("show_id", "category_key"),
    CONSTRAINT "show_prices_amount_check" CHECK ("amount" >= 0)
);

-- Seats carry what a renderer, a filter and a total need, copied from the layout when the show is created.
ALTER TABLE "seats"
    ADD COLUMN "ordinal" INTEGER,
    ADD COLUMN "section_key" TEXT NOT NULL DEFAULT 'MAIN',
    ADD COLUMN "run_index" INTEGER,
    ADD COLUMN "category_key" TEXT NOT NULL DEFAULT 'STANDARD',
    ADD COLUMN "accessibility" SMALLINT NOT NULL DEFAULT 0,
    ADD COLUMN "x" DOUBLE PRECISION,
    ADD COLUMN "y" DOUBLE PRECISION,
    -- minor units of the show's currency; null when the show has no prices
    ADD COLUMN "price" INTEGER;
-- Seats of shows created before venues: a rectangle, in its layout order.
UPDATE "seats" SET "ordinal" = "seats"."row_index" * "shows"."seats_per_row" + "seats"."seat_in_row" - 1,
                   "run_index" = "seats"."row_index", "x" = "seats"."seat_in_row" - 1, "y" = "seats"."row_index"
FROM "shows" WHERE "shows"."id" = "seats"."show_id";
ALTER TABLE "seats" ALTER COLUMN "ordinal" SET NOT NULL, ALTER COLUMN "run_index" SET NOT NULL,
    ALTER COLUMN "x" SET NOT NULL, ALTER COLUMN "y" SET NOT NULL,
    ALTER COLUMN "section_key" DROP DEFAULT, ALTER COLUMN "category_key" DROP DEFAULT;

-- A booking's total, fixed when its seats are claimed (the seats' prices then); null for a show without prices.
ALTER TABLE "bookings" ADD COLUMN "total" BIGINT, ADD COLUMN "currency" CHAR(3);

-- A show's seats in layout order (seat maps are read in it); one seat per position.
CREATE UNIQUE INDEX "seats_show_id_ordinal_key" ON "seats"("show_id", "ordinal");
