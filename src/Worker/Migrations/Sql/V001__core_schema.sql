-- Fairlane core schema (DESIGN §5).
--
-- Every tenant-owned table carries tenant_id, is indexed by it, and has row-level security keyed
-- on the per-transaction setting fairlane.tenant_id: a query that forgets its tenant filter sees
-- (and changes) nothing. The application role {{app_role}} is not the owner, so RLS applies to it.
-- The owner runs migrations and fleet-wide jobs (outbox relay, tenant enumeration).

CREATE FUNCTION fairlane_current_tenant() RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT nullif(current_setting('fairlane.tenant_id', true), '') $$;

CREATE TABLE tenants (
    id                      text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9._-]{1,64}$'),
    name                    text NOT NULL DEFAULT '',
    status                  text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'deleted')),
    weight                  integer NOT NULL DEFAULT 1 CHECK (weight BETWEEN 1 AND 1000),
    concurrency             integer NOT NULL DEFAULT 1 CHECK (concurrency BETWEEN 1 AND 64),
    rate_limit_per_second   double precision CHECK (rate_limit_per_second > 0),
    max_queue_depth         integer CHECK (max_queue_depth > 0),
    monthly_budget          bigint CHECK (monthly_budget >= 0),
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE channels (
    tenant_id       text NOT NULL REFERENCES tenants (id),
    id              text NOT NULL,
    type            text NOT NULL CHECK (type IN ('eposnow', 'wix', 'deliveroo')),
    name            text NOT NULL DEFAULT '',
    base_url        text NOT NULL DEFAULT '',
    -- AES-GCM ciphertext (nonce || tag || data); the key comes from configuration, never the database.
    credentials     bytea,
    status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled', 'auth_failed')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE products (
    tenant_id           text NOT NULL REFERENCES tenants (id),
    id                  text NOT NULL,
    sku                 text NOT NULL DEFAULT '',
    name                text NOT NULL DEFAULT '',
    stock               integer NOT NULL DEFAULT 0,
    buffer_stock        integer NOT NULL DEFAULT 0 CHECK (buffer_stock >= 0),
    low_stock_threshold integer CHECK (low_stock_threshold >= 0),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE product_channel_mappings (
    tenant_id       text NOT NULL,
    product_id      text NOT NULL,
    channel_id      text NOT NULL,
    external_id     text NOT NULL,
    -- The newest channel sequence (or time) applied: older webhooks are stale and ignored.
    last_sequence   bigint,
    last_changed_at timestamptz,
    channel_stock   integer,
    PRIMARY KEY (tenant_id, channel_id, external_id),
    UNIQUE (tenant_id, product_id, channel_id),
    FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id),
    FOREIGN KEY (tenant_id, channel_id) REFERENCES channels (tenant_id, id)
);

CREATE TABLE sync_events (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id           text NOT NULL,
    product_id          text NOT NULL,
    source_event_id     text NOT NULL,
    origin_channel_id   text,
    quantity            integer NOT NULL,
    status              text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'completed', 'partial', 'failed')),
    results             jsonb,
    created_at          timestamptz NOT NULL DEFAULT now(),
    completed_at        timestamptz
);
CREATE INDEX sync_events_tenant_created ON sync_events (tenant_id, created_at);

CREATE TABLE alerts (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   text NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('low_stock', 'sync_health', 'channel_status', 'drift', 'unknown_mapping', 'budget')),
    subject     text NOT NULL,
    severity    text NOT NULL DEFAULT 'warning' CHECK (severity IN ('info', 'warning', 'critical')),
    message     text NOT NULL,
    status      text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz
);
-- One open alert per (tenant, kind, subject): raising it again is a no-op.
CREATE UNIQUE INDEX alerts_open_dedup ON alerts (tenant_id, kind, subject) WHERE status = 'open';

-- The exactly-once ledger: written in the same transaction as a handler's effects.
CREATE TABLE processed_events (
    tenant_id       text NOT NULL,
    event_id        text NOT NULL,
    topic           text NOT NULL,
    partition       integer NOT NULL,
    "offset"        bigint NOT NULL,
    produced_at     timestamptz,
    processed_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, event_id)
);
CREATE INDEX processed_events_processed_at ON processed_events (processed_at);

-- A tenant's overflow: kept in order per (topic, partition, tenant) and drained by the partition's owner.
CREATE TABLE parked_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   text NOT NULL,
    topic       text NOT NULL,
    partition   integer NOT NULL,
    "offset"    bigint NOT NULL,
    key         text NOT NULL,
    value       bytea NOT NULL,
    headers     jsonb NOT NULL DEFAULT '{}',
    reason      text NOT NULL,
    parked_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (topic, partition, "offset")
);
CREATE INDEX parked_events_drain ON parked_events (topic, partition, tenant_id, "offset");
CREATE INDEX parked_events_tenant ON parked_events (tenant_id);

-- Follow-up events written in the handler's transaction and relayed to Kafka afterwards.
CREATE TABLE outbox (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   text NOT NULL,
    topic       text NOT NULL,
    event_id    text NOT NULL,
    value       bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    sent_at     timestamptz
);
CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;
CREATE INDEX outbox_tenant ON outbox (tenant_id);

-- Fencing epochs (DESIGN §6): a leader's writes are valid only while its epoch is the newest.
CREATE TABLE leadership (
    job         text PRIMARY KEY,
    epoch       bigint NOT NULL DEFAULT 0,
    holder      text,
    acquired_at timestamptz
);
INSERT INTO leadership (job) VALUES ('guardian');

CREATE TABLE guardian_runs (
    id          uuid PRIMARY KEY,
    epoch       bigint NOT NULL,
    node        text NOT NULL,
    status      text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'failed', 'fenced')),
    tenants     integer NOT NULL DEFAULT 0,
    checks      integer NOT NULL DEFAULT 0,
    repairs     integer NOT NULL DEFAULT 0,
    alerts      integer NOT NULL DEFAULT 0,
    started_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz
);
CREATE INDEX guardian_runs_started ON guardian_runs (started_at DESC);

-- Where each dead letter sits in the DLQ topic, for listing and replay.
CREATE TABLE dlq_index (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id           text,
    event_id            text,
    reason              text NOT NULL,
    detail              text NOT NULL DEFAULT '',
    attempts            integer NOT NULL DEFAULT 0,
    exception_type      text,
    origin_topic        text NOT NULL,
    origin_partition    integer NOT NULL,
    origin_offset       bigint NOT NULL,
    dlq_partition       integer,
    dlq_offset          bigint,
    created_at          timestamptz NOT NULL DEFAULT now(),
    replayed_at         timestamptz
);
CREATE INDEX dlq_index_tenant ON dlq_index (tenant_id, created_at);

-- Row-level security on every tenant-owned table.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['channels', 'products', 'product_channel_mappings', 'sync_events', 'alerts',
                             'processed_events', 'parked_events', 'outbox', 'dlq_index']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = fairlane_current_tenant()) '
                       'WITH CHECK (tenant_id = fairlane_current_tenant())', t);
    END LOOP;
END $$;

-- A tenant sees and changes only its own tenants row.
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants USING (id = fairlane_current_tenant())
    WITH CHECK (id = fairlane_current_tenant());

GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {{app_role}};
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {{app_role}};
GRANT EXECUTE ON FUNCTION fairlane_current_tenant() TO {{app_role}};
-- The migration ledger belongs to the owner alone.
REVOKE ALL ON schema_migrations FROM {{app_role}};
