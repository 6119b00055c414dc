namespace Fairlane.LoadTest.Chaos;

/// <summary>A product whose stock at the end is not what the model computed from what was sent.</summary>
internal readonly record struct StockMismatch(string Tenant, string ProductId, bool ByDelta, int Expected, int Actual);

/// <summary>What the chaos run found at the end, by effect, and whether each check passed.</summary>
internal sealed record ChaosVerdict
{
    public required long Sent { get; init; }
    public required long Acknowledged { get; init; }
    public required long SendFailures { get; init; }
    public required int Deltas { get; init; }
    public required int Levels { get; init; }
    /// <summary>Acknowledged reports with no processed_events row.</summary>
    public required int Lost { get; init; }
    /// <summary>Reports with more than one sync_events row (the surplus rows).</summary>
    public required long Doubled { get; init; }
    /// <summary>Deltas processed without their effect (no sync_events row): a delta must always apply.</summary>
    public required int DeltasWithoutEffect { get; init; }
    /// <summary>Levels that were stale when processed (a higher sequence already applied): only after reordering.</summary>
    public required int StaleLevels { get; init; }
    public required int Products { get; init; }
    public required IReadOnlyList<StockMismatch> StockMismatches { get; init; }
    public required long Parked { get; init; }
    public required IReadOnlyDictionary<string, int> GuardianRuns { get; init; }
    public required int GuardianTenantsFailed { get; init; }
    public required DlqTally Dlq { get; init; }
    public required bool Drained { get; init; }

    public int GuardianCompleted => GuardianRuns.GetValueOrDefault("completed");

    /// <summary>Each check with whether it passed.</summary>
    public IReadOnlyList<(string Check, bool Passed, string Measured)> Checks =>
    [
        ("every report acknowledged by the brokers", SendFailures == 0, $"{Acknowledged:N0} of {Sent:N0} ({SendFailures} failed)"),
        ("drained before the deadline", Drained, Drained ? "yes" : "no"),
        ("0 lost", Lost == 0, $"{Lost}"),
        ("0 doubled", Doubled == 0, $"{Doubled}"),
        ("every delta applied once", DeltasWithoutEffect == 0 && Doubled == 0, $"{Deltas - DeltasWithoutEffect:N0} of {Deltas:N0}"),
        ("final stock = model, every product", StockMismatches.Count == 0, $"{Products - StockMismatches.Count:N0} of {Products:N0}"),
        ("park empty", Parked == 0, $"{Parked} parked"),
        ("Guardian runs completed or abandoned", GuardianCompleted > 0 && GuardianRuns.Keys.All(s => s is "completed" or "abandoned") && GuardianTenantsFailed == 0,
            string.Join(", ", GuardianRuns.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Value} {r.Key}")) + $"; {GuardianTenantsFailed} tenants failed"),
        ("DLQ exact per reason", Dlq.Exact, $"{Dlq.Lines.Sum(l => l.DeadLettered)} of {Dlq.Lines.Sum(l => l.Sent)}; {Dlq.Unexpected.Count} unexpected; {Dlq.Duplicates} duplicate letters"),
    ];

    public bool Passed => Checks.All(c => c.Passed);
}
