-- Jobs processed per tenant per calendar month (UTC), counted in the processing transaction, for
-- the monthly job budget: a tenant at its budget is held (its events parked) until the budget is
-- raised or the month turns.
CREATE TABLE tenant_usage (
    tenant_id   text NOT NULL REFERENCES tenants (id),
    month       date NOT NULL,
    jobs        bigint NOT NULL DEFAULT 0 CHECK (jobs >= 0),
    PRIMARY KEY (tenant_id, month)
);

ALTER TABLE tenant_usage ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant_usage USING (tenant_id = fairlane_current_tenant())
    WITH CHECK (tenant_id = fairlane_current_tenant());
GRANT SELECT, INSERT, UPDATE ON tenant_usage TO {{app_role}};
