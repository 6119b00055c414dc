namespace Fairlane.LoadTest.Measurement;

/// <summary>A system's figures for one phase of the run.</summary>
internal sealed class PhaseResult(string phase, double seconds, IReadOnlyList<EventOutcome> events)
{
    public string Phase { get; } = phase;
    public IReadOnlyList<EventOutcome> Events { get; } = events;
    public long Sent => Events.Count;
    public long Processed => Events.Count(e => e.Finished);
    public long Unfinished => Sent - Processed;
    public double OfferedRate => seconds > 0 ? Sent / seconds : 0;

    /// <summary>Processed events per second, from the phase's first send to its last processed event.</summary>
    public double Throughput
    {
        get
        {
            var done = Events.Where(e => e.Finished).ToList();
            if (done.Count < 2) return 0;
            var spanMs = done.Max(e => e.ProcessedAtMs!.Value) - Events.Min(e => e.SentAtMs);
            return spanMs > 0 ? done.Count * 1000.0 / spanMs : 0;
        }
    }

    /// <summary>Latency of the events of the classes named (all when none); unfinished events count at the latency they had reached.</summary>
    public LatencySummary Latency(params string[] classes) =>
        Percentiles.Summarize(Events.Where(e => classes.Length == 0 || classes.Contains(e.Class)).Select(e => e.LatencyMs));

    public IEnumerable<string> Classes => Events.Select(e => e.Class).Distinct().Order(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, LatencySummary> ByTenant() =>
        Events.GroupBy(e => e.Tenant).ToDictionary(g => g.Key, g => Percentiles.Summarize(g.Select(e => e.LatencyMs)), StringComparer.Ordinal);

    /// <summary>Whether some events had not finished at the cut-off (their latencies are lower bounds).</summary>
    public bool Censored => Unfinished > 0;
}
