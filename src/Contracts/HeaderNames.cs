namespace Fairlane.Contracts;

/// <summary>Kafka header names set by Fairlane producers and the dead-letter path.</summary>
public static class HeaderNames
{
    /// <summary>The envelope id.</summary>
    public const string EventId = "fl-event-id";

    /// <summary>The envelope type.</summary>
    public const string Type = "fl-type";

    /// <summary>The payload schema version.</summary>
    public const string SchemaVersion = "fl-schema-version";

    /// <summary>Unix milliseconds when the producer sent the record: the start of end-to-end latency.</summary>
    public const string ProducedAt = "fl-produced-at";

    /// <summary>
    /// The W3C trace context of the span that sent the record (<c>00-{trace id}-{span id}-{flags}</c>), so a
    /// producer's trace continues into Fairlane and Fairlane's own follow-up events continue it further.
    /// </summary>
    public const string TraceParent = "traceparent";

    /// <summary>The W3C vendor trace state that travels with <see cref="TraceParent"/>.</summary>
    public const string TraceState = "tracestate";

    /// <summary>Why a record was dead-lettered (see <see cref="DeadLetterReasons"/>).</summary>
    public const string DlqReason = "fl-dlq-reason";

    /// <summary>A human-readable detail of the dead-letter reason.</summary>
    public const string DlqDetail = "fl-dlq-detail";

    /// <summary>How many processing attempts were made before dead-lettering.</summary>
    public const string DlqAttempts = "fl-dlq-attempts";

    /// <summary>The exception type that caused the dead letter, if any.</summary>
    public const string DlqException = "fl-dlq-exception";

    /// <summary>The topic the record was consumed from.</summary>
    public const string DlqOriginTopic = "fl-dlq-origin-topic";

    /// <summary>The partition the record was consumed from.</summary>
    public const string DlqOriginPartition = "fl-dlq-origin-partition";

    /// <summary>The offset the record was consumed from.</summary>
    public const string DlqOriginOffset = "fl-dlq-origin-offset";

    /// <summary>
    /// How many of the record's own headers were left off because the dead-letter topic refused the
    /// record with them (too large); the reason and origin headers are always kept.
    /// </summary>
    public const string DlqHeadersDropped = "fl-dlq-headers-dropped";
}

/// <summary>The reasons a record goes to the dead-letter topic.</summary>
public static class DeadLetterReasons
{
    /// <summary>The bytes are not a valid envelope.</summary>
    public const string Malformed = "malformed";

    /// <summary>The Kafka key is not the envelope's tenant id.</summary>
    public const string KeyMismatch = "key-mismatch";

    /// <summary>The payload's schema version is not one this build reads.</summary>
    public const string UnknownSchemaVersion = "unknown-schema-version";

    /// <summary>The event type does not belong on the topic it came from.</summary>
    public const string UnknownType = "unknown-type";

    /// <summary>The record is larger than the configured maximum.</summary>
    public const string Oversized = "oversized";

    /// <summary>No such tenant is registered.</summary>
    public const string UnknownTenant = "unknown-tenant";

    /// <summary>The tenant was unregistered.</summary>
    public const string TenantDeleted = "tenant-deleted";

    /// <summary>The handler reported a permanent failure.</summary>
    public const string PermanentFailure = "permanent-failure";

    /// <summary>Transient failures did not clear within the retry budget.</summary>
    public const string RetriesExhausted = "retries-exhausted";

    /// <summary>
    /// The event is older than the processed-events ledger keeps (its occurredAt is outside the dedup
    /// window), so it could have been applied already and is not processed again.
    /// </summary>
    public const string BeyondDedupWindow = "beyond-dedup-window";
}
