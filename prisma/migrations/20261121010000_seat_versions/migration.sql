-- Every seat change takes a number from one sequence, written by the same UPDATE that changes the seat, so live
-- seat maps can order changes per seat without a per-show counter row on the claim path.
CREATE SEQUENCE "seat_version_seq" AS BIGINT;

-- AlterTable
ALTER TABLE "seats" ADD COLUMN "version" BIGINT NOT NULL DEFAULT nextval('seat_version_seq');

-- The transaction that last changed the seat, so `seatsChangedSince` can return exactly the changes a snapshot
-- (pg_current_snapshot()) did not see, even those that took their version before the snapshot but committed after.
ALTER TABLE "seats" ADD COLUMN "changed_xid" xid8 NOT NULL DEFAULT pg_current_xact_id();

ALTER SEQUENCE "seat_version_seq" OWNED BY "seats"."version";

-- CreateIndex
CREATE INDEX "seats_show_id_version_idx" ON "seats"("show_id", "version");
