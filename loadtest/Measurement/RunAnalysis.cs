using Fairlane.LoadTest.Load;
using Fairlane.LoadTest.Scenarios;

namespace Fairlane.LoadTest.Measurement;

/// <summary>
/// Joins what was sent with what the ledger says was processed, and derives the report's figures:
/// per-phase latency (by tenant and class), throughput, fairness among backlogged tenants, lost
/// events, latency over time, and the saturation point of a ramp.
/// </summary>
internal static class RunAnalysis
{
    public static SystemResult Analyze(string system, LoadPlan plan, IReadOnlyList<SentEvent> sent, IReadOnlyList<ProcessedWebhook> processed,
        EffectCounts effects, long runStartMs, long cutoffMs, double targetP99Ms)
    {
        var done = new Dictionary<(string, string), ProcessedWebhook>();
        foreach (var row in processed) done[(row.Tenant, row.EventId)] = row;
        var sentIds = sent.Select(e => (e.Tenant, e.EventId)).ToHashSet();

        var outcomes = sent.Select(e => done.TryGetValue((e.Tenant, e.EventId), out var row)
            ? new EventOutcome(e.Tenant, plan.ClassOf(e.Tenant), e.Phase, e.SentAtMs, row.LatencyMs, row.ProcessedAtMs)
            : new EventOutcome(e.Tenant, plan.ClassOf(e.Tenant), e.Phase, e.SentAtMs, Math.Max(0, cutoffMs - e.SentAtMs), null)).ToList();
        var phases = plan.Phases.Select(p => new PhaseResult(p.Name, p.Seconds, outcomes.Where(o => o.Phase == p.Name).ToList())).ToList();
        // Every event counts for lost and duplicated; only the plan's phases (not the warm-up) for the rest.
        var unfinished = outcomes.Count(o => !o.Finished);
        var drained = unfinished == 0;
        var measured = phases.SelectMany(p => p.Events).ToList();

        var seconds = (int)Math.Max(1, Math.Ceiling((cutoffMs - runStartMs) / 1000.0));
        var sentPerSecond = PerSecond(measured.Select(o => o.SentAtMs), runStartMs, seconds);
        var processedPerSecond = PerSecond(measured.Where(o => o.Finished).Select(o => o.ProcessedAtMs!.Value), runStartMs, seconds);
        var timeline = Timeline(measured, runStartMs);

        return new SystemResult(system, phases, Fairness(measured, runStartMs, seconds), drained,
            Lost: drained ? 0 : unfinished,
            UnknownProcessed: processed.Count(r => !sentIds.Contains((r.Tenant, r.EventId))),
            effects, timeline, sentPerSecond, processedPerSecond,
            SaturationOf(timeline, sentPerSecond, processedPerSecond, targetP99Ms));
    }

    private static int[] PerSecond(IEnumerable<long> instantsMs, long startMs, int seconds)
    {
        var counts = new int[seconds];
        foreach (var ms in instantsMs)
        {
            var b = (int)((ms - startMs) / 1000);
            if (b >= 0 && b < seconds) counts[b]++;
        }
        return counts;
    }

    private static FairnessResult Fairness(List<EventOutcome> outcomes, long startMs, int seconds) =>
        BackloggedShares.Compute(outcomes.GroupBy(o => o.Tenant).Select(g => new TenantSeries(g.Key,
            PerSecond(g.Select(o => o.SentAtMs), startMs, seconds),
            PerSecond(g.Where(o => o.Finished).Select(o => o.ProcessedAtMs!.Value), startMs, seconds))).ToList());

    private static List<TimelinePoint> Timeline(List<EventOutcome> outcomes, long startMs) =>
        outcomes.GroupBy(o => ((int)((o.SentAtMs - startMs) / 1000), o.Class))
            .Select(g =>
            {
                var summary = Percentiles.Summarize(g.Select(o => o.LatencyMs));
                return new TimelinePoint(g.Key.Item1, g.Key.Class, summary.P50, summary.P99, summary.Count);
            })
            .OrderBy(p => p.Second).ThenBy(p => p.Class, StringComparer.Ordinal).ToList();

    // The best 5- and 30-second throughput, and the offered rate in the first second whose events' p99 (all classes) passed the target.
    private static Saturation SaturationOf(List<TimelinePoint> timeline, int[] sent, int[] processed, double targetP99Ms)
    {
        var knee = timeline.GroupBy(p => p.Second).OrderBy(g => g.Key)
            .FirstOrDefault(g => g.Max(p => p.P99) > targetP99Ms && g.Sum(p => p.Count) > 0)?.Key;
        return new Saturation(BestWindow(processed, 5) ?? 0, knee is { } k && k < sent.Length ? sent[k] : null, knee, BestWindow(processed, 30));
    }

    // The best mean per second over any `seconds` consecutive seconds; null when there are fewer.
    private static double? BestWindow(int[] perSecond, int seconds)
    {
        double? best = null;
        for (var i = 0; i + seconds <= perSecond.Length; i++) best = Math.Max(best ?? 0, perSecond.AsSpan(i, seconds).ToArray().Sum() / (double)seconds);
        return best;
    }
}
