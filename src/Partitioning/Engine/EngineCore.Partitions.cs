using Fairlane.Partitioning.Offsets;

namespace Fairlane.Partitioning.Engine;

/// <summary>
/// Partitions and their hand-over. A partition is assigned (a new epoch of its offset ledger; its park
/// unknown until read), handed over when revoked (it stops being ours to run at once: its queued
/// events are dropped, retries of it are abandoned, nothing more of it is loaded from the park, while
/// its running and in-transit events may still complete their offsets), and finally released.
/// </summary>
public sealed partial class EngineCore<TEvent>
{
    public Assignment Assign(PartitionKey partition)
    {
        _parks.PartitionAssigned(partition);
        return _ledgers.Assign(partition);
    }

    public Assignment? Current(PartitionKey partition) => _ledgers.Current(partition);

    /// <summary>The park of a newly assigned partition was read; its events may now queue in memory.</summary>
    public void PartitionParkRead(Assignment assignment, IEnumerable<(string Tenant, long HighestOffset)> tenantsWithRows)
    {
        if (_ledgers.IsCurrent(assignment)) _parks.PartitionRead(assignment.Partition, tenantsWithRows);
    }

    /// <summary>
    /// The partitions are being handed over: they count as no longer owned from now on, and their queued
    /// events are dropped (they are re-delivered to the next owner, or stay in the park).
    /// </summary>
    public void BeginHandOver(IReadOnlySet<PartitionKey> partitions)
    {
        _handingOver.UnionWith(partitions);
        DropQueued(partitions);
    }

    /// <summary>Whether any of the partitions still has events running or in transit.</summary>
    public bool AnyBusy(IReadOnlySet<PartitionKey> partitions) => partitions.Any(p => _busy.GetValueOrDefault(p) > 0);

    /// <summary>
    /// The hand-over's wait is over: drops anything queued meanwhile (nothing should be: their retries are
    /// abandoned) and returns the offsets to commit for it. The ledgers go on <see cref="Release"/>.
    /// </summary>
    public IReadOnlyList<(PartitionKey Partition, long Offset)> HandOverCommits(IReadOnlySet<PartitionKey> partitions)
    {
        DropQueued(partitions);
        var commits = new List<(PartitionKey, long)>();
        foreach (var p in partitions)
        {
            if (_ledgers.Committable(p) is { } offset) commits.Add((p, offset));
        }
        return commits;
    }

    /// <summary>Forgets revoked or lost partitions; late completions for them are ignored.</summary>
    public void Release(IEnumerable<PartitionKey> partitions)
    {
        foreach (var p in partitions)
        {
            _ledgers.Revoke(p);
            _parks.Forget(p);
            _handingOver.Remove(p);
        }
    }

    private void DropQueued(IReadOnlySet<PartitionKey> partitions)
    {
        foreach (var dropped in _scheduler.RemoveQueued(i => partitions.Contains(i.Payload.Partition)))
        {
            if (dropped.Payload.FromPark) _parks.LoadedEventFinished(dropped.Payload.Partition, dropped.Tenant);
        }
    }

    // Its partition moved on (released, reassigned or being handed over): the next owner gets it again.
    private bool StillOwned(TEvent e) =>
        !_handingOver.Contains(e.Partition)
        && (e.Assignment is { } a ? _ledgers.IsCurrent(a) : _ledgers.Current(e.Partition) is not null);
}
