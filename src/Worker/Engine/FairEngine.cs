using Fairlane.Agents.Storage;
using Fairlane.Partitioning.Backpressure;
using Fairlane.Partitioning.Offsets;
using Fairlane.Partitioning.Parking;
using Fairlane.Partitioning.Scheduling;
using Fairlane.Worker.Configuration;
using Microsoft.Extensions.Options;

namespace Fairlane.Worker.Engine;

/// <summary>
/// The thread-safe core of the node: the fair scheduler, the offset ledgers, the park ledger and the
/// backpressure gate behind one lock. The consume thread admits events and reads commits; workers
/// take and finish events; the park writer and drainer move events to and from PostgreSQL.
/// Every method is short and never waits on I/O while holding the lock.
/// </summary>
internal sealed partial class FairEngine
{
    private readonly object _gate = new();
    private readonly FairScheduler<EngineEvent> _scheduler;
    private readonly PartitionLedgers _ledgers = new();
    private readonly ParkLedger _parks = new();
    private readonly BackpressureGate _backpressure;
    private readonly Dictionary<PartitionKey, int> _busy = []; // in flight, being parked or dead-lettered
    private readonly HashSet<PartitionKey> _handingOver = []; // revoked, waiting for in-flight work: no longer ours to run
    private readonly Dictionary<string, TenantRecord> _tenants = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _wake = new(0);
    private readonly EngineOptions _options;
    private readonly TimeProvider _time;
    private readonly long _started;
    private int _sideTrips; // events being parked or dead-lettered: buffered, not in the scheduler

    public FairEngine(IOptions<EngineOptions> options, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
        _started = time.GetTimestamp();
        _scheduler = new FairScheduler<EngineEvent>(new SchedulerOptions { Quantum = TimeSpan.FromMilliseconds(_options.QuantumMs) });
        _backpressure = new BackpressureGate(_options.BufferHighWatermark, _options.BufferLowWatermark, _options.BufferHighWatermarkBytes);
    }

    public TimeSpan Now => _time.GetElapsedTime(_started);

    /// <summary>Events held by this node: queued, running, being parked or dead-lettered.</summary>
    public int Buffered
    {
        get
        {
            lock (_gate) return BufferedLocked;
        }
    }

    private int BufferedLocked => _scheduler.TotalQueued + _scheduler.TotalInFlight + _sideTrips;

    /// <summary>
    /// Record bytes read from Kafka and not yet complete (queued, running, being parked or
    /// dead-lettered). Events reloaded from the park are not counted: their loads are bounded per
    /// tenant by its queue depth and Engine:ParkBatchSize.
    /// </summary>
    public long BufferedBytes
    {
        get
        {
            lock (_gate) return _ledgers.PendingBytes;
        }
    }

    // ---- partitions (consume thread) ----

    public Assignment Assign(PartitionKey partition)
    {
        lock (_gate)
        {
            _parks.PartitionAssigned(partition);
            return _ledgers.Assign(partition);
        }
    }

    public Assignment? Current(PartitionKey partition)
    {
        lock (_gate) return _ledgers.Current(partition);
    }

    /// <summary>The park of a newly assigned partition was read; its events may now queue in memory.</summary>
    public void PartitionParkRead(Assignment assignment, IEnumerable<(string Tenant, long HighestOffset)> tenantsWithRows)
    {
        lock (_gate)
        {
            if (_ledgers.IsCurrent(assignment)) _parks.PartitionRead(assignment.Partition, tenantsWithRows);
        }
        Wake();
    }

    /// <summary>
    /// Stops dispatching the partitions: they count as no longer owned (nothing of them is queued, retried
    /// or loaded from the park again), their queued events are dropped (they are re-delivered to the next
    /// owner, or stay in the park), then waits up to the grace period for their in-flight events, whose
    /// completions still count. Returns the offsets to commit for the hand-over. The ledgers are dropped
    /// by <see cref="Release"/>.
    /// </summary>
    public IReadOnlyList<(PartitionKey Partition, long Offset)> Drain(IReadOnlyCollection<PartitionKey> partitions, TimeSpan grace)
    {
        var set = partitions.ToHashSet();
        lock (_gate)
        {
            _handingOver.UnionWith(set);
            DropQueuedLocked(set);
            var deadline = Now + grace;
            while (set.Any(p => _busy.GetValueOrDefault(p) > 0))
            {
                var remaining = deadline - Now;
                if (remaining <= TimeSpan.Zero) break;
                Monitor.Wait(_gate, remaining);
            }
            // Anything put back during the wait (nothing should be: retries of these partitions are abandoned) goes too.
            DropQueuedLocked(set);
            return set.Select(p => (p, _ledgers.Committable(p))).Where(x => x.Item2 is not null).Select(x => (x.p, x.Item2!.Value)).ToList();
        }
    }

    private void DropQueuedLocked(HashSet<PartitionKey> partitions)
    {
        foreach (var dropped in _scheduler.RemoveQueued(i => partitions.Contains(i.Payload.Partition)))
        {
            if (dropped.Payload.ParkId is not null) _parks.LoadedEventFinished(dropped.Payload.Partition, dropped.Tenant);
        }
    }

    /// <summary>Forgets revoked or lost partitions; late completions for them are ignored.</summary>
    public void Release(IEnumerable<PartitionKey> partitions)
    {
        lock (_gate)
        {
            foreach (var p in partitions)
            {
                _ledgers.Revoke(p);
                _parks.Forget(p);
                _handingOver.Remove(p);
            }
        }
    }

    /// <summary>The consumer reached the end of the partition: every record below <paramref name="position"/> was handed over.</summary>
    public void IntakeReachedEnd(PartitionKey partition, long position)
    {
        lock (_gate)
        {
            if (_ledgers.Current(partition) is { } assignment) _ledgers.ReachedEnd(assignment, position);
        }
    }

    /// <summary>Offsets of one topic's partitions that moved since the last call.</summary>
    public IReadOnlyList<(PartitionKey Partition, long Offset)> TakeCommits(string topic)
    {
        lock (_gate) return _ledgers.TakeCommitChanges(p => p.Topic == topic);
    }

    public void CommitFailed(PartitionKey partition)
    {
        lock (_gate) _ledgers.ForgetCommitted(partition);
    }

    /// <summary>A commit succeeded: the partitions' committed offsets are now these.</summary>
    public void Committed(IReadOnlyList<(PartitionKey Partition, long Offset)> commits)
    {
        lock (_gate)
        {
            var now = Now;
            foreach (var (partition, offset) in commits) _ledgers.Committed(partition, offset, now);
        }
    }

    /// <summary>A partition's uncommitted window and how long its committed offset has stood still with records waiting.</summary>
    public (long Uncommitted, TimeSpan CommitAge) CommitState(PartitionKey partition)
    {
        lock (_gate) return (_ledgers.Uncommitted(partition), _ledgers.CommitAge(partition, Now));
    }

    /// <summary>Pause or resume consumption, by the buffered count's and bytes' high and low watermarks.</summary>
    public BackpressureChange? CheckBackpressure()
    {
        lock (_gate) return _backpressure.Observe(BufferedLocked, _ledgers.PendingBytes);
    }

    public bool ConsumptionPaused
    {
        get
        {
            lock (_gate) return _backpressure.Paused;
        }
    }

    // ---- intake (consume thread) ----

    /// <summary>
    /// Records a consumed offset and its record's size under the partition's current assignment, which
    /// it returns. Null if the partition is not owned, or (<paramref name="seen"/>) if the offset is at or
    /// below one already consumed under this assignment: the consumer's position went back, and the
    /// record is skipped.
    /// </summary>
    public Assignment? Track(PartitionKey partition, long offset, long bytes, out bool seen)
    {
        lock (_gate)
        {
            seen = false;
            if (_ledgers.Current(partition) is not { } assignment) return null;
            var tracked = _ledgers.Track(assignment, offset, bytes, Now);
            seen = tracked == OffsetTrack.AlreadySeen;
            return tracked == OffsetTrack.Tracked ? assignment : null;
        }
    }

    /// <summary>
    /// Queues the event in memory and returns null, or returns why it must be parked (its park write
    /// is then counted as started and the caller hands it to the park writer).
    /// </summary>
    public ParkReason? Admit(EngineEvent e)
    {
        var orderingKey = OrderingKeys.For(e.Envelope); // reads the payload: not under the lock
        lock (_gate)
        {
            var tenant = e.Tenant;
            // A held tenant's lifecycle commands still run: its resume must not wait behind its pause.
            var paused = _tenants.TryGetValue(tenant, out var record) && record.IsHeld && WaitsWhileHeld(e);
            var cap = record?.MaxQueueDepth ?? _options.TenantQueueDepth;
            var reason = ParkPolicy.Decide(paused, _parks.MustPark(e.Partition, tenant), _scheduler.Queued(tenant), cap);
            if (reason is null)
            {
                _scheduler.Enqueue(new WorkItem<EngineEvent>(tenant, orderingKey, e));
                Wake();
                return null;
            }
            ParkWriteStartedLocked(e);
            BeginSideTripLocked(e.Partition);
            return reason;
        }
    }

    /// <summary>An event leaves for the dead-letter topic; it stays buffered until <see cref="SideTripDone"/>.</summary>
    public void BeginSideTrip(PartitionKey partition)
    {
        lock (_gate) BeginSideTripLocked(partition);
    }

    /// <summary>A parked or dead-lettered event is safely stored: its offset is complete.</summary>
    public void SideTripDone(EngineEventOrigin origin, bool parked)
    {
        lock (_gate)
        {
            if (parked) _parks.WriteCommitted(origin.Partition, origin.Tenant, origin.Offset);
            if (origin.Assignment is { } a) _ledgers.Complete(a, origin.Offset);
            _sideTrips--;
            EndBusyLocked(origin.Partition);
        }
        Wake();
    }

    // One pending wake per worker is enough: a woken worker that finds nothing goes back to waiting,
    // so unbounded releases (one per enqueue) would only make idle workers spin through them.
    private void Wake()
    {
        if (_wake.CurrentCount < _options.Workers) _wake.Release();
    }

    private static bool WaitsWhileHeld(EngineEvent e) => e.Handler.RequiresRegisteredTenant && e.Handler.WaitsWhileTenantHeld;

    // A write at or below what was loaded from the park (a retried or spilled event) must run before the
    // loaded events above it: those not yet started go back to the park, to be loaded again after it.
    private void ParkWriteStartedLocked(EngineEvent e)
    {
        if (!_parks.WriteStarted(e.Partition, e.Tenant, e.Offset)) return;
        var putBack = _scheduler.RemoveQueued(i =>
            i.Tenant == e.Tenant && i.Payload.Partition == e.Partition && i.Payload.ParkId is not null && i.Payload.Offset > e.Offset);
        if (putBack.Count > 0) _parks.Unloaded(e.Partition, e.Tenant, putBack.Count, putBack.Min(i => i.Payload.Offset));
    }

    private void BeginSideTripLocked(PartitionKey partition)
    {
        _sideTrips++;
        _busy[partition] = _busy.GetValueOrDefault(partition) + 1;
    }

    private void EndBusyLocked(PartitionKey partition)
    {
        if (_busy.TryGetValue(partition, out var n) && n > 1) _busy[partition] = n - 1;
        else _busy.Remove(partition);
        Monitor.PulseAll(_gate);
    }
}

/// <summary>Where an event came from, enough to complete its offset.</summary>
internal readonly record struct EngineEventOrigin(PartitionKey Partition, string Tenant, Assignment? Assignment, long Offset)
{
    public static EngineEventOrigin Of(EngineEvent e) => new(e.Partition, e.Tenant, e.Assignment, e.Offset);
}
