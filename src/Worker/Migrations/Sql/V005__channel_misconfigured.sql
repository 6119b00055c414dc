-- A channel whose stored configuration cannot be called (no usable http(s) base URL, or credentials
-- that do not decrypt with the configured key) is 'misconfigured': skipped by Sync and Guardian,
-- alerted once, and set active again by the first read that finds it fixed.
ALTER TABLE channels DROP CONSTRAINT channels_status_check;
ALTER TABLE channels ADD CONSTRAINT channels_status_check
    CHECK (status IN ('active', 'disabled', 'auth_failed', 'misconfigured'));
