-- Which seats of a show changed in transactions a seat-map snapshot did not see: live seat maps repair themselves
-- and the count cache checks a show for changes with an index probe instead of a scan of every seat of the show.
CREATE INDEX "seats_show_id_changed_xid_idx" ON "seats"("show_id", "changed_xid");
