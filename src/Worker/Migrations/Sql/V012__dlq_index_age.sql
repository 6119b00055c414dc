-- Retention trims the dead-letter index by age (Retention:DeadLetterIndexDays), across tenants and
-- reasons: like the other trimmed tables it needs an index led by its age column.
CREATE INDEX dlq_index_created ON dlq_index (created_at);
