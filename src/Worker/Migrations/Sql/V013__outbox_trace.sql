-- Trace context across the asynchronous hops. Both columns hold W3C values (a traceparent, a
-- tracestate) and stay null while tracing is off, so an untraced fleet writes nothing more.
--
-- An outbox row keeps the context of the transaction that wrote it: the relay publishes the row with
-- it (not with the relay's own), so the follow-up event continues the trace of its cause whichever
-- node relays it and however late.
ALTER TABLE outbox
    ADD COLUMN trace_parent text,
    ADD COLUMN trace_state  text;

-- A pending sync folds many requests into one push: the row keeps the newest requests' contexts
-- (at most 16), which the push links to.
ALTER TABLE sync_pending
    ADD COLUMN trace_parents text[] NOT NULL DEFAULT '{}';
