-- Retention deletes by age across all tenants, a batch at a time; each batch must find its rows
-- through an index rather than scan the table. processed_events already has one on processed_at;
-- sync_events is indexed by (tenant_id, created_at), which a fleet-wide age cut cannot use.
CREATE INDEX sync_events_created ON sync_events (created_at);

-- Only resolved alerts expire; open ones de-duplicate new alerts and are kept.
CREATE INDEX alerts_resolved_at ON alerts (resolved_at) WHERE status = 'resolved';
