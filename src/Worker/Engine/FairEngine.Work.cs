using Fairlane.Agents.Storage;
using Fairlane.Partitioning.Offsets;
using Fairlane.Partitioning.Parking;
using Fairlane.Partitioning.Scheduling;

namespace Fairlane.Worker.Engine;

// Workers, the park drainer and tenant settings.
internal sealed partial class FairEngine
{
    private static readonly TimeSpan IdleWait = TimeSpan.FromMilliseconds(200);

    /// <summary>Waits for the next event the fair scheduler lets start.</summary>
    public async Task<WorkItem<EngineEvent>> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_gate)
            {
                var now = Now;
                if (_scheduler.TryDequeue(now, out var item))
                {
                    _busy[item.Payload.Partition] = _busy.GetValueOrDefault(item.Payload.Partition) + 1;
                    return item;
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
            if (StillOwned(e))
            {
                _scheduler.Retry(item, cost, Now + delay);
            }
            else
            {
                // Its partition moved on: the next owner gets it again (from Kafka or the park).
                _scheduler.Complete(item, cost);
                if (e.ParkId is not null) _parks.LoadedEventFinished(e.Partition, e.Tenant);
            }
            EndBusyLocked(e.Partition);
        }
        Wake();
    }

    private bool StillOwned(EngineEvent e) =>
        e.Assignment is { } a ? _ledgers.IsCurrent(a) : _ledgers.Current(e.Partition) is not null;

    // ---- park drainer ----

    /// <summary>Tenants whose parked events should be loaded now, with room in memory for them.</summary>
    public List<(DrainRequest Request, Assignment Assignment)> StartDrains()
    {
        lock (_gate)
        {
            var requests = _parks.StartDrains(RoomFor);
            return requests.Select(r => (r, _ledgers.Current(r.Partition)!.Value)).ToList();
        }
    }

    // Load in batches, and only once the queue is half empty, so a drained tenant still competes fairly.
    private int RoomFor(string tenant)
    {
        if (_tenants.TryGetValue(tenant, out var record) && record.IsPaused) return 0;
        var cap = record?.MaxQueueDepth ?? _options.TenantQueueDepth;
        var queued = _scheduler.Queued(tenant) + _scheduler.InFlight(tenant);
        return queued > cap / 2 ? 0 : Math.Min(cap - queued, _options.ParkBatchSize);
    }

    public void Loaded(DrainRequest request, Assignment assignment, IReadOnlyList<EngineEvent> events)
    {
        var items = events.Select(e => new WorkItem<EngineEvent>(e.Tenant, OrderingKeys.For(e.Envelope), e)).ToList();
        lock (_gate)
        {
            if (!_ledgers.IsCurrent(assignment)) return; // revoked meanwhile: the next owner loads them
            foreach (var item in items) _scheduler.Enqueue(item);
            _parks.Loaded(request, events.Count, events.Count > 0 ? events[^1].Offset : -1);
        }
        Wake();
    }

    public void DrainFailed(DrainRequest request)
    {
        lock (_gate) _parks.DrainFailed(request);
    }

    // ---- tenant settings ----

    /// <summary>Takes the tenants' current status and limits (paused tenants park; weights shape the schedule).</summary>
    public void ApplyTenants(IReadOnlyCollection<TenantRecord> records)
    {
        lock (_gate)
        {
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
                _parks.TenantsParked, _backpressure.Paused, tenants);
        }
    }

    private static TimeSpan Clamp(TimeSpan wait) =>
        wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait > IdleWait ? IdleWait : wait;
}

internal sealed record EngineSnapshot(int Queued, int InFlight, int SideTrips, int ActiveTenants, int ParkedTenants, bool Paused,
    IReadOnlyList<(string Tenant, int Queued, int InFlight)> TopTenants);
