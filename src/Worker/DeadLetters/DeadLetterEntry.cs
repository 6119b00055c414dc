namespace Fairlane.Worker.DeadLetters;

/// <summary>
/// Where the sink kept a dead letter: the dead-letter topic's partition and offset, or both null when
/// the topic refused it and it went to the <c>dead_letters</c> table.
/// </summary>
internal sealed record DeadLetterKept(int? Partition, long? Offset)
{
    public static readonly DeadLetterKept Stored = new(null, null);
}

/// <summary>One row of the dead-letter index, as listed by <c>fairlane dlq list</c> and <c>GET /admin/dlq</c>.</summary>
internal sealed record DeadLetterEntry(
    long Id,
    string? Tenant,
    string? EventId,
    string? EventType,
    string Reason,
    string Detail,
    int Attempts,
    string OriginTopic,
    int OriginPartition,
    long OriginOffset,
    int? DlqPartition,
    long? DlqOffset,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ReplayedAt,
    int ReplayCount)
{
    /// <summary>Where the record is kept: the dead-letter topic, or the dead_letters table.</summary>
    public string KeptIn => DlqPartition is null ? "dead_letters" : "topic";
}

/// <summary>Which dead letters to list or replay; null means any.</summary>
internal sealed record DeadLetterFilter(string? Tenant, string? Reason, DateTimeOffset? Since, int Limit = 1_000);

/// <summary>What a replay did: the dead letters it found, re-sent, or failed to re-send (left unmarked, for a later replay).</summary>
internal sealed record DeadLetterReplayReport(bool DryRun, int Matched, int Replayed, int Failed, List<DeadLetterEntry> Entries);
