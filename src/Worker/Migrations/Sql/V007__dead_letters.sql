-- Dead letters the dead-letter topic refused for good (too large even without the record's own
-- headers, not authorised, an invalid record), kept here with their bytes so that the origin offset
-- can still complete without losing the record. Operators list and re-send them; nothing else reads
-- them.
--
-- Owner-only, not tenant-scoped: many dead letters are written before a tenant is known (an
-- undecodable record, a key naming no registered tenant, a key that does not match its envelope), so
-- tenant_id is only the record's key as it arrived, not a reference to tenants, and a tenant-keyed
-- policy could neither admit nor hide those rows correctly. They are written and read through the
-- owner's connection (like the migration ledger); the application role gets no privileges, and row
-- level security is on without a policy, so a grant added by mistake still shows it nothing.
CREATE TABLE dead_letters (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id           text,
    reason              text NOT NULL,
    detail              text NOT NULL DEFAULT '',
    attempts            integer NOT NULL DEFAULT 0,
    exception_type      text,
    publish_error       text NOT NULL,
    origin_topic        text NOT NULL,
    origin_partition    integer NOT NULL,
    origin_offset       bigint NOT NULL,
    record_key          bytea,
    record_value        bytea,
    header_names        text[] NOT NULL DEFAULT '{}',
    header_values       bytea[] NOT NULL DEFAULT '{}',
    created_at          timestamptz NOT NULL DEFAULT now(),
    -- A record re-delivered after a crash (stored, offset not yet committed) is stored once.
    UNIQUE (origin_topic, origin_partition, origin_offset)
);
CREATE INDEX dead_letters_created ON dead_letters (created_at);

ALTER TABLE dead_letters ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON dead_letters FROM {{app_role}};
