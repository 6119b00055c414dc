using Fairlane.Partitioning.Backpressure;
using Fairlane.Partitioning.Engine;
using Fairlane.Partitioning.Offsets;
using Fairlane.Partitioning.Parking;
using Fairlane.Worker.Configuration;
using Microsoft.Extensions.Options;
using Fairlane.Agents.Tenants;

namespace Fairlane.Worker.Engine;

/// <summary>
/// The thread-safe shell of the node's engine. Its state and every rule live in the pure
/// <see cref="EngineCore{TEvent}"/>; this class adds what needs threads: one lock around the core,
/// a wake signal for idle workers, the hand-over's grace wait, and the work done outside the lock
/// (ordering keys read the payload). The consume thread admits events and reads commits; workers
/// take and finish events; the park writer and drainer move events to and from PostgreSQL.
/// Nothing waits on I/O while holding the lock.
/// </summary>
// _wake (a SemaphoreSlim) holds no OS handle unless AvailableWaitHandle is read, which it never is, and the
// engine lives as long as the process.
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "See the comment above.")]
internal sealed partial class FairEngine
{
    private readonly object _gate = new();
    private readonly EngineCore<EngineEvent> _core;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly EngineOptions _options;
    private Dictionary<string, TenantRecord> _records = new(StringComparer.Ordinal); // as last applied, for TenantState

    public FairEngine(IOptions<EngineOptions> options, TimeProvider time)
    {
        _options = options.Value;
        _core = new EngineCore<EngineEvent>(new EngineSettings(TimeSpan.FromMilliseconds(_options.QuantumMs), _options.TenantQueueDepth,
            _options.ParkBatchSize, _options.BufferHighWatermark, _options.BufferLowWatermark, _options.BufferHighWatermarkBytes,
            _options.Workers, TimeSpan.FromMilliseconds(_options.RunBudgetMs)), time);
    }

    /// <summary>The engine's monotonic clock: time since it started.</summary>
    public TimeSpan Now => _core.Now;

    /// <summary>Events held by this node: queued, running, in transit (being parked or dead-lettered).</summary>
    public int Buffered
    {
        get
        {
            lock (_gate) return _core.Buffered;
        }
    }

    /// <inheritdoc cref="EngineCore{TEvent}.BufferedBytes"/>
    public long BufferedBytes
    {
        get
        {
            lock (_gate) return _core.BufferedBytes;
        }
    }

    // ---- partitions (consume thread) ----

    public Assignment Assign(PartitionKey partition)
    {
        lock (_gate) return _core.Assign(partition);
    }

    public Assignment? Current(PartitionKey partition)
    {
        lock (_gate) return _core.Current(partition);
    }

    /// <summary>The park of a newly assigned partition was read; its events may now queue in memory.</summary>
    public void PartitionParkRead(Assignment assignment, IEnumerable<(string Tenant, long HighestOffset)> tenantsWithRows)
    {
        lock (_gate) _core.PartitionParkRead(assignment, tenantsWithRows);
        Wake();
    }

    /// <summary>
    /// Stops dispatching the partitions: they count as no longer owned (nothing of them is queued, retried
    /// or loaded from the park again), their queued events are dropped (they are re-delivered to the next
    /// owner, or stay in the park), then waits up to the grace period for their running and in-transit
    /// events, whose completions still count. Returns the offsets to commit for the hand-over. The ledgers
    /// are dropped by <see cref="Release"/>.
    /// </summary>
    public IReadOnlyList<(PartitionKey Partition, long Offset)> Drain(IReadOnlyCollection<PartitionKey> partitions, TimeSpan grace)
    {
        var set = partitions.ToHashSet();
        lock (_gate)
        {
            _core.BeginHandOver(set);
            var deadline = _core.Now + grace;
            while (_core.AnyBusy(set))
            {
                var remaining = deadline - _core.Now;
                if (remaining <= TimeSpan.Zero) break;
                Monitor.Wait(_gate, remaining); // pulsed whenever an event ends
            }
            return _core.HandOverCommits(set);
        }
    }

    /// <summary>Forgets revoked or lost partitions; late completions for them are ignored.</summary>
    public void Release(IEnumerable<PartitionKey> partitions)
    {
        lock (_gate) _core.Release(partitions);
    }

    /// <inheritdoc cref="EngineCore{TEvent}.IntakeReachedEnd"/>
    public void IntakeReachedEnd(PartitionKey partition, long position)
    {
        lock (_gate) _core.IntakeReachedEnd(partition, position);
    }

    /// <inheritdoc cref="EngineCore{TEvent}.TakeCommits"/>
    public IReadOnlyList<(PartitionKey Partition, long Offset)> TakeCommits(string topic)
    {
        lock (_gate) return _core.TakeCommits(topic);
    }

    public void CommitFailed(PartitionKey partition)
    {
        lock (_gate) _core.CommitFailed(partition);
    }

    /// <inheritdoc cref="EngineCore{TEvent}.Committed"/>
    public void Committed(IReadOnlyList<(PartitionKey Partition, long Offset)> commits)
    {
        lock (_gate) _core.Committed(commits);
    }

    /// <inheritdoc cref="EngineCore{TEvent}.CommitState"/>
    public (long Uncommitted, TimeSpan CommitAge) CommitState(PartitionKey partition)
    {
        lock (_gate) return _core.CommitState(partition);
    }

    /// <inheritdoc cref="EngineCore{TEvent}.CheckBackpressure"/>
    public BackpressureChange? CheckBackpressure()
    {
        lock (_gate) return _core.CheckBackpressure();
    }

    public bool ConsumptionPaused
    {
        get
        {
            lock (_gate) return _core.ConsumptionPaused;
        }
    }

    // ---- intake (consume thread) ----

    /// <inheritdoc cref="EngineCore{TEvent}.Track"/>
    public Assignment? Track(PartitionKey partition, long offset, long bytes, out bool seen)
    {
        lock (_gate) return _core.Track(partition, offset, bytes, out seen);
    }

    /// <summary>
    /// Queues the event in memory and returns null, or returns why it must be parked (it is then in
    /// transit, its park write counted as started, and the caller hands it to the park writer).
    /// </summary>
    public ParkReason? Admit(EngineEvent e)
    {
        var orderingKey = e.Envelope.OrderingKey; // computed by the event catalogue when the event was decoded
        ParkReason? reason;
        lock (_gate) reason = _core.Admit(e, orderingKey);
        if (reason is null) Wake();
        return reason;
    }

    /// <summary>An event leaves for the dead-letter topic; it stays buffered until <see cref="InTransitDone"/>.</summary>
    public void BeginInTransit(PartitionKey partition)
    {
        lock (_gate) _core.BeginInTransit(partition);
    }

    /// <summary>A parked or dead-lettered event is safely stored: its offset is complete.</summary>
    public void InTransitDone(EngineEventOrigin origin, bool parked)
    {
        lock (_gate)
        {
            _core.InTransitDone(origin.Partition, origin.Tenant, origin.Assignment, origin.Offset, parked);
            Monitor.PulseAll(_gate); // a hand-over may be waiting for it
        }
        Wake();
    }

    // One pending wake per worker is enough: a woken worker that finds nothing goes back to waiting,
    // so unbounded releases (one per enqueue) would only make idle workers spin through them.
    private void Wake()
    {
        if (_wake.CurrentCount < _options.Workers) _wake.Release();
    }
}

/// <summary>Where an event came from, enough to complete its offset.</summary>
internal readonly record struct EngineEventOrigin(PartitionKey Partition, string Tenant, Assignment? Assignment, long Offset)
{
    public static EngineEventOrigin Of(EngineEvent e) => new(e.Partition, e.Tenant, e.Assignment, e.Offset);
}
