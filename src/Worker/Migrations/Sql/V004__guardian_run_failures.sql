-- A Guardian run ends even when a tenant cannot be reconciled: a reconcile job that ends as a dead
-- letter counts as a failed tenant, and the leader waits for tenants_done + tenants_failed. A run
-- left 'running' by a leader that died is closed as 'abandoned' by the next leader.
ALTER TABLE guardian_runs ADD COLUMN tenants_failed integer NOT NULL DEFAULT 0;

ALTER TABLE guardian_runs DROP CONSTRAINT guardian_runs_status_check;
ALTER TABLE guardian_runs ADD CONSTRAINT guardian_runs_status_check
    CHECK (status IN ('running', 'completed', 'failed', 'fenced', 'cancelled', 'abandoned'));
