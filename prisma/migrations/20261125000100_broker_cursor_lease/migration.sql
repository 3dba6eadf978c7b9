-- One publisher per broker exchange at a time, across processes (docs/booking-events.md, "Message broker"): the
-- process publishing an exchange's events holds a short lease on its cursor row, renewed while it works. A lease
-- rather than a session advisory lock because no transaction or dedicated connection is held while the broker
-- confirms (an open transaction would stall the sequencer); a process killed with SIGKILL leaves a lease that simply
-- runs out, so it blocks the others for at most the lease's length. Every cursor advance is fenced by leased_by.
ALTER TABLE "broker_cursors"
    ADD COLUMN "leased_by" TEXT,
    ADD COLUMN "leased_until" TIMESTAMPTZ(3);
