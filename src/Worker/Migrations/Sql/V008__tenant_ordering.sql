-- Order per item, not per tenant. Every event carries an ordering key naming the item it changes, and
-- the scheduler never runs two events of one key at once and runs a key in offset order; that is all
-- the order the handlers rely on. So a tenant no longer needs to be serial by default.
--
-- concurrency becomes nullable: NULL is automatic, derived by each node from the tenant's weight and
-- its Engine:Workers (min(workers, ceil(workers / 2) * weight)).
--
-- Rows still at the old column default of 1 become NULL (automatic). 1 was the default every tenant
-- registered without a concurrency got, not a choice anyone made: the API and CLI could not tell the
-- two apart, and per-tenant order was the only guarantee the engine offered at the time. A tenant that
-- really needs its events strictly in order, one at a time, says so with ordering = 'tenant', which
-- keeps exactly the old behaviour whatever its concurrency.
ALTER TABLE tenants ALTER COLUMN concurrency DROP NOT NULL;
ALTER TABLE tenants ALTER COLUMN concurrency DROP DEFAULT;
UPDATE tenants SET concurrency = NULL WHERE concurrency = 1;

-- item: each ordering key in offset order (items run side by side, up to the concurrency);
-- tenant: every event of the tenant in offset order, one at a time.
ALTER TABLE tenants ADD COLUMN ordering text NOT NULL DEFAULT 'item' CHECK (ordering IN ('item', 'tenant'));
