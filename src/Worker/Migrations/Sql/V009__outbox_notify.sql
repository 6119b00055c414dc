-- Wakes the outbox relays as soon as a transaction that wrote follow-up events commits, instead of
-- leaving them to find the rows on their next poll. One notice per statement, not per row: a fan-out
-- of thousands of rows is one wake-up, and PostgreSQL folds identical notices of one transaction into
-- one anyway. Notices are delivered at commit, so a woken relay sees the rows. The payload is empty:
-- the relay reads what is unsent, a notice only says "look now". The poll stays as the fallback, so a
-- relay that missed a notice (its listening session was down) loses latency, never rows.
CREATE FUNCTION outbox_notify() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM pg_notify('fairlane_outbox', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER outbox_notify
    AFTER INSERT ON outbox
    FOR EACH STATEMENT
    EXECUTE FUNCTION outbox_notify();
