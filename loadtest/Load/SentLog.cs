namespace Fairlane.LoadTest.Load;

/// <summary>One webhook the sender produced: whose, which, and when (Unix ms, the fl-produced-at clock).</summary>
internal readonly record struct SentEvent(string Tenant, string EventId, string Phase, long SentAtMs);

/// <summary>
/// Every webhook the run sent, so lost events (sent, never processed) can be named and events still
/// waiting at a cut-off can be counted at the latency they had reached.
/// </summary>
internal sealed class SentLog
{
    private readonly List<SentEvent> _events = [];
    private long _failed;

    public void Add(SentEvent e)
    {
        lock (_events) _events.Add(e);
    }

    /// <summary>Records the broker refused or never acknowledged.</summary>
    public void Failed() => Interlocked.Increment(ref _failed);

    public long FailedCount => Interlocked.Read(ref _failed);

    public int Count
    {
        get { lock (_events) return _events.Count; }
    }

    public IReadOnlyList<SentEvent> Snapshot()
    {
        lock (_events) return [.. _events];
    }
}
