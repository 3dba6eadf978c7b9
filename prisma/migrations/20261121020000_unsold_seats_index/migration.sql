-- "Best available" walks the unsold seats of a show front row first and stops after a few rows; booked seats
-- (which pile up at the front during an on-sale) are not in this index, so the walk never visits them.
CREATE INDEX "seats_unsold_idx" ON "seats"("show_id", "row_index", "seat_in_row") WHERE "status" <> 'booked';

-- Superseded by seats_unsold_idx for claims; full seat maps sort a show's seats in memory.
DROP INDEX "seats_show_id_row_index_seat_in_row_idx";
