using Fairlane.Partitioning.Backpressure;
using Fairlane.Partitioning.Offsets;
using Fairlane.Partitioning.Parking;
using Fairlane.Partitioning.Scheduling;

namespace Fairlane.Partitioning.Engine;

/// <summary>
/// Intake and admission. A consumed record is tracked in its partition's offset ledger, then either
/// queued in memory or sent in transit to the park (tenant held, older events parked, queue full);
/// a record that cannot be decoded goes in transit to the dead-letter topic. An event in transit stays
/// buffered, and its offset incomplete, until it is stored. What is buffered drives backpressure.
/// </summary>
public sealed partial class EngineCore<TEvent>
{
    /// <summary>
    /// Records a consumed offset and its record's size under the partition's current assignment, which
    /// it returns. Null if the partition is not owned, or (<paramref name="seen"/>) if the offset is at or
    /// below one already consumed under this assignment: the consumer's position went back, and the
    /// record is skipped.
    /// </summary>
    public Assignment? Track(PartitionKey partition, long offset, long bytes, out bool seen)
    {
        seen = false;
        if (_ledgers.Current(partition) is not { } assignment) return null;
        var tracked = _ledgers.Track(assignment, offset, bytes, Now);
        seen = tracked == OffsetTrack.AlreadySeen;
        return tracked == OffsetTrack.Tracked ? assignment : null;
    }

    /// <summary>The consumer reached the end of the partition: every record below <paramref name="position"/> was handed over.</summary>
    public void IntakeReachedEnd(PartitionKey partition, long position)
    {
        if (_ledgers.Current(partition) is { } assignment) _ledgers.ReachedEnd(assignment, position);
    }

    /// <summary>
    /// Queues the event in memory and returns null, or returns why it must be parked: it is then in
    /// transit (its park write counted as started) and the caller hands it to the park writer.
    /// </summary>
    public ParkReason? Admit(TEvent e, string orderingKey)
    {
        var tenant = e.Tenant;
        var settings = _tenants.GetValueOrDefault(tenant);
        var held = settings is { IsHeld: true } && e.WaitsWhileHeld;
        var reason = ParkPolicy.Decide(held, _parks.MustPark(e.Partition, tenant), _scheduler.Queued(tenant), QueueCap(settings));
        if (reason is null)
        {
            _scheduler.Enqueue(new WorkItem<TEvent>(tenant, orderingKey, e));
            return null;
        }
        ParkWriteStarted(e);
        BeginInTransit(e.Partition);
        return reason;
    }

    /// <summary>An event of the partition leaves for the dead-letter topic; it stays buffered until <see cref="InTransitDone"/>.</summary>
    public void BeginInTransit(PartitionKey partition)
    {
        _inTransit++;
        BeginBusy(partition);
    }

    /// <summary>An event in transit is safely stored (parked when <paramref name="parked"/>, else dead-lettered): its offset is complete.</summary>
    public void InTransitDone(PartitionKey partition, string tenant, Assignment? assignment, long offset, bool parked)
    {
        if (parked) _parks.WriteCommitted(partition, tenant, offset);
        if (assignment is { } a) _ledgers.Complete(a, offset);
        _inTransit--;
        EndBusy(partition);
    }

    /// <summary>Pause or resume consumption, by the buffered count's and bytes' high and low watermarks.</summary>
    public BackpressureChange? CheckBackpressure() => _backpressure.Observe(Buffered, _ledgers.PendingBytes);

    public bool ConsumptionPaused => _backpressure.Paused;

    // A write at or below what was loaded from the park (a retried or spilled event) must run before the
    // loaded events above it: those not yet started go back to the park, to be loaded again after it.
    private void ParkWriteStarted(TEvent e)
    {
        if (!_parks.WriteStarted(e.Partition, e.Tenant, e.Offset)) return;
        var putBack = _scheduler.RemoveQueued(i =>
            i.Tenant == e.Tenant && i.Payload.Partition == e.Partition && i.Payload.FromPark && i.Payload.Offset > e.Offset);
        if (putBack.Count > 0) _parks.Unloaded(e.Partition, e.Tenant, putBack.Count, putBack.Min(i => i.Payload.Offset));
    }
}
