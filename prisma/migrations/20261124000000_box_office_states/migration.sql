-- New states for the box office, in a migration of their own: PostgreSQL lets a transaction add an enum value but
-- not use it, and the next migration's constraints and trigger use these.

-- A seat taken off sale by an admin (house seats, camera positions) or by the cancellation of its show.
ALTER TYPE "seat_status" ADD VALUE 'blocked';

-- Every seat of a CONFIRMED booking was refunded (final).
ALTER TYPE "booking_status" ADD VALUE 'REFUNDED';

-- The organiser cancelled the show: every PENDING and CONFIRMED booking of it ends with this reason.
ALTER TYPE "failure_reason" ADD VALUE 'CANCELLED_BY_ORGANIZER';
