using System.Collections.Concurrent;

namespace Fairlane.Worker.Infrastructure;

/// <summary>
/// What the node's own loops report about themselves, for /readyz to say why a node should get no
/// traffic: a service loop that ended while the node runs, since when consumption is paused, and each
/// consumer's oldest commit age. The loops write (cheaply, on state changes or every few seconds); the
/// health checks read.
/// </summary>
internal sealed class HealthSignals(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, string> _endedLoops = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (TimeSpan Age, string Partition)> _commitAges = new(StringComparer.Ordinal);
    private long _pausedSince = -1; // a TimeProvider timestamp while consumption is paused

    /// <summary>A loop of <paramref name="service"/> ended before the node stopped; the node is on its way down.</summary>
    public void LoopEnded(string service, string reason) => _endedLoops.TryAdd(service, reason);

    /// <summary>Services whose loop ended early, with why.</summary>
    public IReadOnlyDictionary<string, string> EndedLoops => _endedLoops;

    /// <summary>Consumption paused (true) or resumed (false); a repeated pause keeps the first time.</summary>
    public void ConsumptionPaused(bool paused)
    {
        if (paused) Interlocked.CompareExchange(ref _pausedSince, time.GetTimestamp(), -1);
        else Interlocked.Exchange(ref _pausedSince, -1);
    }

    /// <summary>How long consumption has been paused; null while it runs.</summary>
    public TimeSpan? PausedFor => Interlocked.Read(ref _pausedSince) is var since and >= 0 ? time.GetElapsedTime(since) : null;

    /// <summary>The oldest commit age among a topic's assigned partitions (zero when none has records waiting).</summary>
    public void CommitAge(string topic, TimeSpan age, string partition) => _commitAges[topic] = (age, partition);

    /// <summary>The oldest commit age on this node and where; null when no partition has records waiting.</summary>
    public (TimeSpan Age, string Partition)? OldestCommit =>
        _commitAges.Values.Where(v => v.Age > TimeSpan.Zero).OrderByDescending(v => v.Age).Select(v => ((TimeSpan, string)?)v).FirstOrDefault();
}
