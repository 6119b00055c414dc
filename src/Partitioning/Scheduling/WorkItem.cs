namespace Fairlane.Partitioning.Scheduling;

/// <summary>
/// One unit of work in the fair engine: an event of a tenant, with the ordering key that must never
/// run twice at once (tenant + product, for example).
/// </summary>
public sealed class WorkItem<T>(string tenant, string orderingKey, T payload)
{
    public string Tenant { get; } = tenant;
    public string OrderingKey { get; } = orderingKey;
    public T Payload { get; } = payload;

    /// <summary>Processing attempts that failed so far.</summary>
    public int Attempts { get; internal set; }

    /// <summary>Not to be dispatched before this time (set by a retry's backoff).</summary>
    public TimeSpan NotBefore { get; internal set; }

    /// <summary>Runs alone from now on: a batch it was in failed (see <see cref="FairScheduler{T}.Isolate"/>).</summary>
    public bool Isolated { get; internal set; }

    /// <summary>While in flight: the key it was scheduled under (its own, or its tenant's one key), which it holds with its own.</summary>
    internal string? RunKey { get; set; }

    /// <summary>While in flight: it is the first event of its run (a run of several counts once against the tenant's concurrency).</summary>
    internal bool LeadsRun { get; set; }

    /// <summary>While in flight: how many events its run has (the cost it is charged is its share of the run's).</summary>
    internal int RunSize { get; set; }

    /// <summary>The cost charged when dispatched; replaced by the measured cost on completion.</summary>
    internal long EstimateTicks { get; set; }
}
