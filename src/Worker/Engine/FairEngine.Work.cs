using Fairlane.Agents.Storage;
using Fairlane.Partitioning.Offsets;
using Fairlane.Partitioning.Parking;
using Fairlane.Partitioning.Scheduling;

namespace Fairlane.Worker.Engine;

// Workers, the park drainer and tenant settings.
internal sealed partial class FairEngine
{
    private static readonly TimeSpan IdleWait = TimeSpan.FromMilliseconds(200);

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
                var now = Now;
                if (_scheduler.TryDequeueBatch(now, maxBatch, batch))
                {
                    foreach (var item in batch) _busy[item.Payload.Partition] = _busy.GetValueOrDefault(item.Payload.Partition) + 1;
                    return batch;
                }
                wait = _scheduler.NextReadyAt(now) is { } at ? Clamp(at - now) : IdleWait;
            }
            await _wake.WaitAsync(wait, cancellationToken);
        }
    }

    /// <summary>The event is done (processed, duplicate or dead-lettered); charge its measured cost.</summary>
    public void Finish(WorkItem<EngineEvent> item, TimeSpan cost)
    {
        var e = item.Payload;
        lock (_gate)
        {
            _scheduler.Complete(item, cost);
            if (e.Assignment is { } a) _ledgers.Complete(a, e.Offset);
            if (e.ParkId is not null) _parks.LoadedEventFinished(e.Partition, e.Tenant);
            EndBusyLocked(e.Partition);
        }
        Wake();
    }

    /// <summary>The event failed transiently: back to the front of its key, not before the delay.</summary>
    public void Retry(WorkItem<EngineEvent> item, TimeSpan cost, TimeSpan delay)
    {
        var e = item.Payload;
        lock (_gate)
        {
            if (StillOwned(e)) _scheduler.Retry(item, cost, Now + delay);
            else Abandon(item, cost);
            EndBusyLocked(e.Partition);
        }
        Wake();
    }

    /// <summary>
    /// A batch failed as a whole: its events go back to the front, in order, each to run alone next
    /// time (no attempt counted), so only the event at fault is retried or dead-lettered.
    /// </summary>
    public void Isolate(IReadOnlyList<WorkItem<EngineEvent>> batch, TimeSpan cost)
    {
        var share = cost / batch.Count;
        lock (_gate)
        {
            for (var i = batch.Count - 1; i >= 0; i--)
            {
                var item = batch[i];
                var e = item.Payload;
                if (StillOwned(e)) _scheduler.Isolate(item, share);
                else Abandon(item, share);
                EndBusyLocked(e.Partition);
            }
        }
        Wake();
    }

    // Its partition moved on: the next owner gets it again (from Kafka or the park).
    private void Abandon(WorkItem<EngineEvent> item, TimeSpan cost)
    {
        _scheduler.Complete(item, cost);
        if (item.Payload.ParkId is not null) _parks.LoadedEventFinished(item.Payload.Partition, item.Payload.Tenant);
    }

    private bool StillOwned(EngineEvent e) =>
        !_handingOver.Contains(e.Partition)
        && (e.Assignment is { } a ? _ledgers.IsCurrent(a) : _ledgers.Current(e.Partition) is not null);

    // ---- park drainer ----

    /// <summary>Tenants whose parked events should be loaded now, with room in memory for them.</summary>
    public List<(DrainRequest Request, Assignment Assignment)> StartDrains()
    {
        lock (_gate)
        {
            var requests = _parks.StartDrains(RoomFor, IntakePositionOf);
            return requests.Select(r => (r, _ledgers.Current(r.Partition)!.Value)).ToList();
        }
    }

    // A partition being handed over loads nothing more: its next owner drains its park.
    private long IntakePositionOf(PartitionKey partition) =>
        _handingOver.Contains(partition) ? long.MinValue : _ledgers.IntakePosition(partition);

    // Load in batches, and only once the queue is half empty, so a drained tenant still competes fairly.
    private int RoomFor(string tenant)
    {
        if (_tenants.TryGetValue(tenant, out var record) && record.IsHeld) return 0;
        var cap = record?.MaxQueueDepth ?? _options.TenantQueueDepth;
        var queued = _scheduler.Queued(tenant) + _scheduler.InFlight(tenant);
        return queued > cap / 2 ? 0 : Math.Min(cap - queued, _options.ParkBatchSize);
    }

    /// <summary>
    /// A drain read <paramref name="rows"/> rows up to <paramref name="throughOffset"/>, of which
    /// <paramref name="events"/> could be read back. Queues them unless the load was voided meanwhile.
    /// </summary>
    public void Loaded(DrainRequest request, Assignment assignment, int rows, long throughOffset, IReadOnlyList<EngineEvent> events)
    {
        var items = events.Select(e => new WorkItem<EngineEvent>(e.Tenant, OrderingKeys.For(e.Envelope), e)).ToList();
        lock (_gate)
        {
            // Revoked or being handed over meanwhile: the next owner loads them.
            if (!_ledgers.IsCurrent(assignment) || _handingOver.Contains(assignment.Partition))
            {
                _parks.DrainFailed(request);
                return;
            }
            // False when the tenant was paused, or an older event parked, during the load: the rows stay parked for later.
            if (!_parks.Loaded(request, rows, throughOffset, events.Count)) return;
            foreach (var item in items) _scheduler.Enqueue(item);
        }
        Wake();
    }

    public void DrainFailed(DrainRequest request)
    {
        lock (_gate) _parks.DrainFailed(request);
    }

    // ---- tenant settings ----

    /// <summary>
    /// Takes the tenants' current status and limits (weights shape the schedule). A tenant that is
    /// now paused stops running: its queued events leave memory for the park (returned here, their
    /// park writes counted as started, for the caller to hand to the park writer) and the rest of
    /// its events park on arrival. Its events already running finish.
    /// </summary>
    public IReadOnlyList<EngineEvent> ApplyTenants(IReadOnlyCollection<TenantRecord> records)
    {
        var spilled = new List<EngineEvent>();
        lock (_gate)
        {
            foreach (var r in records.Where(r => r.IsHeld && !(_tenants.GetValueOrDefault(r.Id)?.IsHeld ?? false)))
                SpillLocked(r.Id, spilled);
            var gone = _tenants.Keys.Except(records.Select(r => r.Id)).ToList();
            foreach (var id in gone)
            {
                _tenants.Remove(id);
                _scheduler.SetLimits(id, TenantLimits.Default);
            }
            foreach (var r in records)
            {
                _tenants[r.Id] = r;
                _scheduler.SetLimits(r.Id, new TenantLimits(r.Weight, r.Concurrency, r.RatePerSecond, r.MaxQueueDepth ?? _options.TenantQueueDepth));
            }
        }
        Wake();
        return spilled;
    }

    // Events loaded from the park still have their rows: they are only put back. Events from Kafka
    // are written to the park; their offsets complete once written, like any parked event. The park
    // drains in offset order, so the tenant's order survives the round trip.
    private void SpillLocked(string tenant, List<EngineEvent> spilled)
    {
        _parks.VoidLoads(tenant); // a load under way would bring parked events back into memory
        var removed = _scheduler.RemoveQueued(i => i.Tenant == tenant && WaitsWhileHeld(i.Payload));
        foreach (var loaded in removed.Where(i => i.Payload.ParkId is not null).GroupBy(i => i.Payload.Partition))
            _parks.Unloaded(loaded.Key, tenant, loaded.Count(), loaded.Min(i => i.Payload.Offset));
        foreach (var item in removed.Where(i => i.Payload.ParkId is null))
        {
            ParkWriteStartedLocked(item.Payload);
            BeginSideTripLocked(item.Payload.Partition);
            spilled.Add(item.Payload);
        }
    }

    /// <summary>One tenant as this node applies it now: its last read record, the scheduler's limits, its queue.</summary>
    public (TenantRecord? Record, TenantLimits Limits, int Queued, int InFlight) TenantState(string tenant)
    {
        lock (_gate) return (_tenants.GetValueOrDefault(tenant), _scheduler.LimitsOf(tenant), _scheduler.Queued(tenant), _scheduler.InFlight(tenant));
    }

    /// <summary>Totals and the deepest tenants, for metrics.</summary>
    public EngineSnapshot Snapshot(int topTenants)
    {
        lock (_gate)
        {
            var tenants = _scheduler.Snapshot().OrderByDescending(t => t.Queued + t.InFlight).Take(topTenants).ToList();
            return new EngineSnapshot(_scheduler.TotalQueued, _scheduler.TotalInFlight, _sideTrips, _scheduler.ActiveTenants,
                _parks.TenantsParked, tenants);
        }
    }

    private static TimeSpan Clamp(TimeSpan wait) =>
        wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait > IdleWait ? IdleWait : wait;
}

internal sealed record EngineSnapshot(int Queued, int InFlight, int SideTrips, int ActiveTenants, int ParkedTenants,
    IReadOnlyList<(string Tenant, int Queued, int InFlight)> TopTenants);
