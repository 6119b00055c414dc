using Fairlane.Partitioning.Engine;
using Fairlane.Partitioning.Offsets;
using Fairlane.Partitioning.Parking;
using Fairlane.Partitioning.Scheduling;
using Fairlane.Agents.Signals;
using Fairlane.Agents.Tenants;

namespace Fairlane.Worker.Engine;

// Workers, the park drainer and tenant settings.
internal sealed partial class FairEngine
{
    private static readonly TimeSpan IdleWait = TimeSpan.FromMilliseconds(200);

    // Wakes the park drainer: a loaded tenant's queue fell to its drain line, or a partition's park is to be read.
    private readonly WakeSignal _drainWake = new();

    /// <summary>
    /// Waits for the next event the fair scheduler lets start, with up to <paramref name="maxBatch"/>
    /// - 1 of the same tenant's following events to run with it in one transaction.
    /// </summary>
    public async Task<List<WorkItem<EngineEvent>>> TakeAsync(int maxBatch, CancellationToken cancellationToken)
    {
        var batch = new List<WorkItem<EngineEvent>>();
        while (true)
        {
            TimeSpan wait;
            lock (_gate)
            {
                if (_core.TryTakeBatch(maxBatch, batch)) return batch;
                wait = _core.NextReadyIn() is { } ready ? Clamp(ready) : IdleWait;
            }
            await _wake.WaitAsync(wait, cancellationToken);
        }
    }

    /// <inheritdoc cref="EngineCore{TEvent}.Finish"/>
    public void Finish(WorkItem<EngineEvent> item, TimeSpan cost) => EndWork(() => _core.Finish(item, cost));

    /// <inheritdoc cref="EngineCore{TEvent}.Retry"/>
    public void Retry(WorkItem<EngineEvent> item, TimeSpan cost, TimeSpan delay) => EndWork(() => _core.Retry(item, cost, delay));

    /// <inheritdoc cref="EngineCore{TEvent}.Isolate"/>
    public void Isolate(IReadOnlyList<WorkItem<EngineEvent>> batch, TimeSpan cost) => EndWork(() => _core.Isolate(batch, cost));

    // Running events ended: a hand-over may be waiting for them, and a worker may now start what they held back.
    private void EndWork(Action change)
    {
        bool drainDue;
        lock (_gate)
        {
            change();
            Monitor.PulseAll(_gate);
            drainDue = _core.TakeDrainDue();
        }
        Wake();
        if (drainDue) WakeDrainer();
    }

    // ---- park drainer ----

    /// <summary>
    /// Has the park drainer look now rather than at the end of its interval; a wake still pending is the
    /// same wake, as the drainer starts every drain that is due when it looks.
    /// </summary>
    public void WakeDrainer() => _drainWake.Wake();

    /// <summary>Waits until the drainer is woken or <paramref name="interval"/> passed.</summary>
    public Task WaitForDrainWorkAsync(TimeSpan interval, CancellationToken cancellationToken) =>
        _drainWake.WaitAsync(interval, cancellationToken);

    /// <inheritdoc cref="EngineCore{TEvent}.StartDrains"/>
    public List<(DrainRequest Request, Assignment Assignment)> StartDrains()
    {
        lock (_gate) return _core.StartDrains();
    }

    /// <summary>
    /// A drain read <paramref name="rows"/> rows up to <paramref name="throughOffset"/>, of which
    /// <paramref name="events"/> could be read back. Queues them unless the load was voided meanwhile.
    /// </summary>
    public void Loaded(DrainRequest request, Assignment assignment, int rows, long throughOffset, IReadOnlyList<EngineEvent> events)
    {
        var keyed = events.Select(e => (e, e.Envelope.OrderingKey)).ToList();
        bool queued, drainDue;
        lock (_gate)
        {
            queued = _core.Loaded(request, assignment, rows, throughOffset, keyed);
            drainDue = _core.TakeDrainDue();
        }
        if (queued) Wake();
        if (drainDue) WakeDrainer();
    }

    public void DrainFailed(DrainRequest request)
    {
        lock (_gate) _core.DrainFailed(request);
    }

    // ---- tenant settings ----

    /// <summary>
    /// Takes the tenants' current status and limits (weights shape the schedule). A tenant that is
    /// now held stops running: its queued events leave memory for the park (returned here, in transit
    /// with their park writes counted as started, for the caller to hand to the park writer) and the
    /// rest of its events park on arrival. Its events already running finish.
    /// </summary>
    public IReadOnlyList<EngineEvent> ApplyTenants(IReadOnlyCollection<TenantRecord> records)
    {
        var settings = records.Select(Settings).ToList();
        IReadOnlyList<EngineEvent> spilled;
        lock (_gate)
        {
            spilled = _core.ApplyTenants(settings);
            _records = new Dictionary<string, TenantRecord>(StringComparer.Ordinal);
            foreach (var r in records) _records[r.Id] = r; // the last of an id wins, as the core applies them
        }
        Wake();
        return spilled;
    }

    private static TenantSettings Settings(TenantRecord r) => new(r.Id, r.IsHeld, r.Weight, r.Concurrency, r.RatePerSecond, r.MaxQueueDepth,
        r.Ordering == TenantOrdering.Tenant ? OrderingScope.Tenant : OrderingScope.Item);

    /// <summary>One tenant as this node applies it now: its last read record, the scheduler's limits, its queue.</summary>
    public (TenantRecord? Record, TenantLimits Limits, int Queued, int InFlight) TenantState(string tenant)
    {
        lock (_gate)
        {
            var (_, limits, queued, inFlight) = _core.TenantState(tenant);
            return (_records.GetValueOrDefault(tenant), limits, queued, inFlight);
        }
    }

    /// <inheritdoc cref="EngineCore{TEvent}.Snapshot"/>
    public EngineSnapshot Snapshot(int topTenants)
    {
        lock (_gate) return _core.Snapshot(topTenants);
    }

    private static TimeSpan Clamp(TimeSpan wait) =>
        wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait > IdleWait ? IdleWait : wait;
}
