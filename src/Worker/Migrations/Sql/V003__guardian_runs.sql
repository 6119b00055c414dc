-- Guardian runs: which scheduled period a run belongs to (one run per period, fleet-wide), how it
-- was started, and how many tenants the fleet has reconciled so far (the leader waits on it).
ALTER TABLE guardian_runs
    ADD COLUMN period       timestamptz,
    ADD COLUMN trigger      text NOT NULL DEFAULT 'schedule' CHECK (trigger IN ('schedule', 'manual')),
    ADD COLUMN tenants_done integer NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX guardian_runs_one_per_period ON guardian_runs (period) WHERE period IS NOT NULL;

ALTER TABLE guardian_runs DROP CONSTRAINT guardian_runs_status_check;
ALTER TABLE guardian_runs ADD CONSTRAINT guardian_runs_status_check
    CHECK (status IN ('running', 'completed', 'failed', 'fenced', 'cancelled'));
