-- Coalesced syncs. A sync request no longer pushes by itself: it marks its product pending here, and
-- Sync's pusher pushes each pending product's newest level once, off the worker slots, after a short
-- debounce. However many requests arrive for one product while it waits (or while its push is in
-- flight), the channel is sent one absolute level: the current one.
--
-- version counts the requests folded into the row. A pusher claims rows (lease_until) and, once its
-- pushes are recorded, deletes a row only if version is still the one it claimed; a request that arrived
-- meanwhile leaves the row pending, so the newer level is pushed next. The lease is what keeps two
-- pushers off one product (an older level landing after a newer one); a pusher that dies holding it
-- (SIGKILL) gives it up when it expires, and its pushes, being absolute, are harmless to repeat.
--
-- origin_channel_id is the channel the change came from (not pushed back to it); once requests from
-- different origins were folded together, origin_mixed says push to every channel.
CREATE TABLE sync_pending (
    tenant_id           text NOT NULL REFERENCES tenants (id),
    product_id          text NOT NULL,
    origin_channel_id   text,
    origin_mixed        boolean NOT NULL DEFAULT false,
    version             bigint NOT NULL DEFAULT 1,
    requested_at        timestamptz NOT NULL DEFAULT now(),
    due_at              timestamptz NOT NULL,
    lease_until         timestamptz,
    PRIMARY KEY (tenant_id, product_id)
);
CREATE INDEX sync_pending_due ON sync_pending (due_at);

-- The pusher completes the sync_events rows still open for the products it pushed.
CREATE INDEX sync_events_open ON sync_events (tenant_id, product_id) WHERE completed_at IS NULL;

ALTER TABLE sync_pending ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sync_pending USING (tenant_id = fairlane_current_tenant())
    WITH CHECK (tenant_id = fairlane_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON sync_pending TO {{app_role}};
