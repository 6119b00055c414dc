using Fairlane.Partitioning.Backpressure;
using Fairlane.Partitioning.Offsets;
using Fairlane.Partitioning.Parking;
using Fairlane.Partitioning.Scheduling;

namespace Fairlane.Partitioning.Engine;

/// <summary>
/// Everything one node's engine knows, as plain single-threaded state: the fair scheduler, the offset
/// ledgers, the park ledger, the backpressure gate, how busy each partition is, which partitions are
/// being handed over and the tenants' settings. Every change of that state is a method here; the
/// host's shell serialises the calls (one lock), wakes workers and waits. Nothing here blocks, locks
/// or does I/O, and time comes only from the <see cref="TimeProvider"/>, so the rules can be tested
/// step by step with a fake clock.
/// </summary>
/// <remarks>
/// An event the node holds is in exactly one place: queued or running in the scheduler, or in transit
/// (being parked or dead-lettered). All three count as buffered, and keep their partition busy so a
/// hand-over waits for them.
/// </remarks>
public sealed partial class EngineCore<TEvent> where TEvent : IEngineEvent
{
    private readonly FairScheduler<TEvent> _scheduler;
    private readonly PartitionLedgers _ledgers = new();
    private readonly ParkLedger _parks = new();
    private readonly BackpressureGate _backpressure;
    private readonly Dictionary<PartitionKey, int> _busy = []; // running or in transit
    private readonly HashSet<PartitionKey> _handingOver = []; // revoked, waiting for its busy events: no longer ours to run
    private readonly Dictionary<string, TenantSettings> _tenants = new(StringComparer.Ordinal);
    private readonly EngineSettings _settings;
    private readonly TimeProvider _time;
    private readonly long _started;
    private int _inTransit;

    public EngineCore(EngineSettings settings, TimeProvider time)
    {
        _settings = settings;
        _time = time;
        _started = time.GetTimestamp();
        var scheduling = new SchedulerOptions { Quantum = settings.Quantum };
        _scheduler = new FairScheduler<TEvent>(settings.RunBudget is { } budget ? scheduling with { RunBudget = budget } : scheduling);
        _backpressure = new BackpressureGate(settings.BufferHighWatermark, settings.BufferLowWatermark, settings.BufferHighWatermarkBytes);
    }

    /// <summary>The engine's monotonic clock: time since it started.</summary>
    public TimeSpan Now => _time.GetElapsedTime(_started);

    /// <summary>Events held by this node: queued, running, in transit.</summary>
    public int Buffered => _scheduler.TotalQueued + _scheduler.TotalInFlight + _inTransit;

    /// <summary>
    /// Record bytes read from Kafka and not yet complete (queued, running, in transit). Events reloaded
    /// from the park are not counted: their loads are bounded per tenant by its queue depth and the park batch size.
    /// </summary>
    public long BufferedBytes => _ledgers.PendingBytes;

    /// <summary>Totals and the <paramref name="topTenants"/> deepest tenants, for metrics.</summary>
    public EngineSnapshot Snapshot(int topTenants)
    {
        var tenants = _scheduler.Snapshot().OrderByDescending(t => t.Queued + t.InFlight).Take(topTenants).ToList();
        return new EngineSnapshot(_scheduler.TotalQueued, _scheduler.TotalInFlight, _inTransit, _scheduler.ActiveTenants,
            _parks.TenantsParked, tenants, _scheduler.RoundGrant);
    }

    private void BeginBusy(PartitionKey partition) => _busy[partition] = _busy.GetValueOrDefault(partition) + 1;

    private void EndBusy(PartitionKey partition)
    {
        if (_busy.TryGetValue(partition, out var n) && n > 1) _busy[partition] = n - 1;
        else _busy.Remove(partition);
    }

    private int QueueCap(TenantSettings? tenant) => tenant?.MaxQueueDepth ?? _settings.TenantQueueDepth;
}
