using Fairlane.Partitioning.Scheduling;

namespace Fairlane.Partitioning.Engine;

/// <summary>
/// Running work. Workers take the next event the fair scheduler lets start (with the same tenant's
/// following events as a batch), and end each one: finished (its offset completes and its measured cost
/// is charged), retried (back to the front of its key, not before a delay) or, when a whole batch failed,
/// isolated (back in order, each to run alone). An event whose partition is no longer ours is abandoned
/// instead of queued again: the next owner runs it.
/// </summary>
public sealed partial class EngineCore<TEvent>
{
    /// <summary>
    /// Fills <paramref name="batch"/> with the next event allowed to start now and up to
    /// <paramref name="maxBatch"/> - 1 of its tenant's following events; false when none may start.
    /// </summary>
    public bool TryTakeBatch(int maxBatch, List<WorkItem<TEvent>> batch)
    {
        if (!_scheduler.TryDequeueBatch(Now, maxBatch, batch)) return false;
        foreach (var item in batch) BeginBusy(item.Payload.Partition);
        return true;
    }

    /// <summary>How long until a queued event held back only by time (retry delay, rate limit) may start; null if none is.</summary>
    public TimeSpan? NextReadyIn()
    {
        var now = Now;
        return _scheduler.NextReadyAt(now) is { } at ? at - now : null;
    }

    /// <summary>The event is done (processed, duplicate or dead-lettered); charge its measured cost.</summary>
    public void Finish(WorkItem<TEvent> item, TimeSpan cost)
    {
        var e = item.Payload;
        _scheduler.Complete(item, cost);
        if (e.Assignment is { } a) _ledgers.Complete(a, e.Offset);
        if (e.FromPark) _parks.LoadedEventFinished(e.Partition, e.Tenant);
        EndBusy(e.Partition);
    }

    /// <summary>The event failed transiently: back to the front of its key, not before <paramref name="delay"/> from now.</summary>
    public void Retry(WorkItem<TEvent> item, TimeSpan cost, TimeSpan delay)
    {
        var e = item.Payload;
        if (StillOwned(e)) _scheduler.Retry(item, cost, Now + delay);
        else Abandon(item, cost);
        EndBusy(e.Partition);
    }

    /// <summary>
    /// A batch failed as a whole: its events go back to the front, in order, each to run alone next
    /// time (no attempt counted), so only the event at fault is retried or dead-lettered.
    /// </summary>
    public void Isolate(IReadOnlyList<WorkItem<TEvent>> batch, TimeSpan cost)
    {
        var share = cost / batch.Count;
        for (var i = batch.Count - 1; i >= 0; i--)
        {
            var item = batch[i];
            if (StillOwned(item.Payload)) _scheduler.Isolate(item, share);
            else Abandon(item, share);
            EndBusy(item.Payload.Partition);
        }
    }

    private void Abandon(WorkItem<TEvent> item, TimeSpan cost)
    {
        _scheduler.Complete(item, cost);
        if (item.Payload.FromPark) _parks.LoadedEventFinished(item.Payload.Partition, item.Payload.Tenant);
    }
}
