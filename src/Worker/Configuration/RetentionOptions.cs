namespace Fairlane.Worker.Configuration;

/// <summary>How long fleet-wide history is kept, and how the deleting job paces itself.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>The least a ledger window may be: below it, ordinary re-delivery delays could outlive the ledger.</summary>
    public const int MinProcessedEventsDays = 1;

    /// <summary>
    /// Days a processed-events ledger row is kept. It is the dedup window: intake refuses events older
    /// than this (less a margin), so it must outlast every way an event can come back — consumer-group
    /// offset resets within the topic's retention, a dead-letter replay, a producer's retry.
    /// </summary>
    public int ProcessedEventsDays { get; set; } = 7;

    /// <summary>Days an entry of the dead-letter index (dlq_index) is kept; the dead letter itself stays on its topic for the topic's retention.</summary>
    public int DeadLetterIndexDays { get; set; } = 30;

    /// <summary>Days sync history is kept (the sync-health check reads only minutes of it).</summary>
    public int SyncEventsDays { get; set; } = 30;

    /// <summary>
    /// Days a resolved alert is kept after it was resolved: a month of incident history for the tenant
    /// and support. Open alerts are never deleted (they de-duplicate new ones).
    /// </summary>
    public int ResolvedAlertsDays { get; set; } = 30;

    /// <summary>Minutes between retention runs on each node; one node at a time does the work.</summary>
    public int IntervalMinutes { get; set; } = 60;

    /// <summary>Rows deleted per statement (each its own short transaction).</summary>
    public int BatchSize { get; set; } = 5_000;
}
