using Fairlane.Worker.Configuration;

namespace Fairlane.Worker.Retention;

/// <summary>One table retention trims: which rows have expired (older than @cutoff), and after how many days.</summary>
internal sealed record RetentionTable(string Name, string Expired, Func<RetentionOptions, int> Days)
{
    /// <summary>
    /// Deletes up to @batch expired rows. The tuple ids are read first and the condition is checked
    /// again on delete, so a row changed meanwhile is left alone. <c>= ANY(ARRAY(...))</c> lets
    /// PostgreSQL fetch the batch by tuple id or through the age index, never a join with a second scan.
    /// </summary>
    public string DeleteBatchSql => $"""
        DELETE FROM {Name}
        WHERE ctid = ANY(ARRAY(SELECT ctid FROM {Name} WHERE {Expired} LIMIT @batch)) AND {Expired}
        """;

    /// <summary>The tables, each served by an index on its age column (V001, V006).</summary>
    public static IReadOnlyList<RetentionTable> All { get; } =
    [
        // A tenant with events in the park keeps its whole ledger: a parked copy of an event that already
        // ran (re-delivered after a crash, then parked behind a pause that lasted past the window) must
        // still find its ledger row when it runs, or its effect would apply twice.
        new("processed_events",
            "processed_at < @cutoff AND NOT EXISTS (SELECT 1 FROM parked_events p WHERE p.tenant_id = processed_events.tenant_id)",
            o => o.ProcessedEventsDays),
        new("sync_events", "created_at < @cutoff", o => o.SyncEventsDays),
        new("alerts", "status = 'resolved' AND resolved_at < @cutoff", o => o.ResolvedAlertsDays),
        new("dlq_index", "created_at < @cutoff", o => o.DeadLetterIndexDays),
    ];
}
