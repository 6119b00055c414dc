namespace Fairlane.Partitioning.Scheduling;

/// <summary>Settings of the fair scheduler.</summary>
public sealed record SchedulerOptions
{
    /// <summary>
    /// Worker time a weight-1 tenant may start per round, at the least: while running one event alone
    /// costs more (a busy machine stretches every transaction), a round grants that instead, so a
    /// backlogged tenant's credit keeps pace with a tenant that brings one event per visit. Smaller is
    /// fairer at short time scales; larger means fewer round switches.
    /// </summary>
    public TimeSpan Quantum { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// The estimated worker time one run's events may add to what every run pays whatever its size (its
    /// transaction, a downstream call): a tenant picked in its turn takes its ready events (distinct
    /// ordering keys) while their estimates fit, even past its credit. The run is charged
    /// afterwards by its measured cost, so a tenant that took a long run waits more rounds before its
    /// next one: fair over rounds, not per event. It also bounds how long one run holds a worker (that fixed part, plus this).
    /// </summary>
    public TimeSpan RunBudget { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The cost assumed for a tenant's next event before any was measured.</summary>
    public TimeSpan InitialEstimate { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>How far into a tenant's queue to look for an event whose ordering key is free (concurrency above 1).</summary>
    public int MaxScan { get; init; } = 64;
}
