using Fairlane.Partitioning.Offsets;
using Fairlane.Partitioning.Parking;
using Fairlane.Partitioning.Scheduling;

namespace Fairlane.Partitioning.Engine;

/// <summary>
/// Park drains: bringing a tenant's parked events back into memory. A drain starts only for a tenant
/// not held, of a partition still ours, once its queue fell to its drain line (half full, or a full
/// park batch fits), and loads at most the room left in its queue and one park batch. The line is
/// above empty so the next page is read while the tenant still has events to run: the park drains
/// without gaps. <see cref="TakeDrainDue"/> tells the host when a tenant crossed it, so the drainer
/// starts at once instead of on its next interval.
/// A load whose partition or tenant changed while it read (revoked, handed over, held, an older event
/// parked) is void: its rows stay parked for later.
/// </summary>
public sealed partial class EngineCore<TEvent>
{
    /// <summary>Tenants whose parked events should be loaded now, with room in memory for them.</summary>
    public List<(DrainRequest Request, Assignment Assignment)> StartDrains() =>
        _parks.StartDrains(RoomFor, IntakePositionOf).Select(r => (r, _ledgers.Current(r.Partition)!.Value)).ToList();

    /// <summary>
    /// A drain read <paramref name="rows"/> rows up to <paramref name="throughOffset"/>, of which
    /// <paramref name="events"/> (with their ordering keys) could be read back. Queues them unless the
    /// load was voided meanwhile; returns whether it queued them.
    /// </summary>
    public bool Loaded(DrainRequest request, Assignment assignment, int rows, long throughOffset,
        IReadOnlyList<(TEvent Event, string OrderingKey)> events)
    {
        // Revoked or being handed over meanwhile: the next owner loads them.
        if (!_ledgers.IsCurrent(assignment) || _handingOver.Contains(assignment.Partition))
        {
            _parks.DrainFailed(request);
            return false;
        }
        // False when the tenant was held, or an older event parked, during the load: the rows stay parked for later.
        if (!_parks.Loaded(request, rows, throughOffset, events.Count)) return false;
        foreach (var (e, key) in events) _scheduler.Enqueue(new WorkItem<TEvent>(e.Tenant, key, e));
        return true;
    }

    public void DrainFailed(DrainRequest request) => _parks.DrainFailed(request);

    /// <summary>
    /// Whether a tenant with parked rows got below its drain line since the last call (or <see cref="StartDrains"/>),
    /// so that a drain could start now; the host wakes the drainer when it is.
    /// </summary>
    public bool TakeDrainDue() => _parks.TakeDrainDue(RoomFor, IntakePositionOf);

    // A partition being handed over loads nothing more: its next owner drains its park.
    private long IntakePositionOf(PartitionKey partition) =>
        _handingOver.Contains(partition) ? long.MinValue : _ledgers.IntakePosition(partition);

    // Load in batches, never past the tenant's cap. The drain line: half the cap, or a whole batch of room,
    // whichever comes first. Either way the queue still holds events while the next batch is read, and a
    // load is never a handful of rows (a small cap loads half of itself at a time).
    private int RoomFor(string tenant)
    {
        var settings = _tenants.GetValueOrDefault(tenant);
        if (settings is { IsHeld: true }) return 0;
        var cap = QueueCap(settings);
        var queued = _scheduler.Queued(tenant) + _scheduler.InFlight(tenant);
        var room = cap - queued;
        return queued <= cap / 2 || room >= _settings.ParkBatchSize ? Math.Min(room, _settings.ParkBatchSize) : 0;
    }
}
