-- The dead-letter index: one row per dead letter the sink kept, written by the sink once the record
-- is on the dead-letter topic (dlq_partition/dlq_offset) or, refused there, in dead_letters
-- (dlq_partition is then null and the row is found there by its origin). Operators list and replay
-- dead letters through it (`fairlane dlq`, /admin/dlq).
--
-- Owner-only, like dead_letters (V007) and for the same reason: many dead letters have no known
-- tenant (an undecodable record, a key naming no registered tenant, which is the very case a replay
-- fixes), so tenant_id is the record's key as it arrived, and a tenant-keyed policy could neither
-- admit those rows for the sink nor show them to an operator. The sink, the CLI and the admin API
-- use the owner's connection; queries still filter by tenant when one is asked for. The policy V001
-- gave it goes, row-level security stays on without a policy and the application role loses its
-- privileges, so a grant added by mistake still shows it nothing.
DROP POLICY IF EXISTS tenant_isolation ON dlq_index;
REVOKE ALL ON dlq_index FROM {{app_role}};

ALTER TABLE dlq_index
    ADD COLUMN event_type   text,
    ADD COLUMN replay_count integer NOT NULL DEFAULT 0,
    -- A record dead-lettered again after a crash (kept, offset not yet committed) is indexed once.
    ADD CONSTRAINT dlq_index_origin UNIQUE (origin_topic, origin_partition, origin_offset);

CREATE INDEX dlq_index_reason ON dlq_index (reason, created_at);
