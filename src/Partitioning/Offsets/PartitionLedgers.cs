namespace Fairlane.Partitioning.Offsets;

/// <summary>What <see cref="PartitionLedgers.Track"/> did with an offset.</summary>
public enum OffsetTrack
{
    Tracked,

    /// <summary>The assignment was revoked or replaced.</summary>
    NotCurrent,

    /// <summary>At or below an offset already seen under this assignment (the position went back).</summary>
    AlreadySeen,
}

/// <summary>A partition assignment: the ledger it owns and the epoch that tells stale completions apart.</summary>
public readonly record struct Assignment(PartitionKey Partition, long Epoch);

/// <summary>
/// The offset ledgers of every partition this node owns. Each assignment gets a new epoch; a
/// completion for an older epoch (work that finished after its partition was revoked) is ignored
/// here — its effect is already protected by the processed-events ledger. Not thread-safe: the
/// engine serialises access.
/// </summary>
public sealed class PartitionLedgers
{
    private readonly Dictionary<PartitionKey, (long Epoch, OffsetLedger Ledger)> _owned = [];
    private readonly Dictionary<PartitionKey, long> _lastCommitted = [];
    private long _nextEpoch;

    public IReadOnlyCollection<PartitionKey> Owned => _owned.Keys;

    public Assignment Assign(PartitionKey partition)
    {
        var epoch = ++_nextEpoch;
        _owned[partition] = (epoch, new OffsetLedger());
        _lastCommitted.Remove(partition);
        return new Assignment(partition, epoch);
    }

    /// <summary>Drops a partition's ledger (revoked or lost). Later completions for it are ignored.</summary>
    public bool Revoke(PartitionKey partition)
    {
        _lastCommitted.Remove(partition);
        return _owned.Remove(partition);
    }

    public bool IsCurrent(Assignment assignment) =>
        _owned.TryGetValue(assignment.Partition, out var owned) && owned.Epoch == assignment.Epoch;

    /// <summary>The current assignment of a partition, if owned.</summary>
    public Assignment? Current(PartitionKey partition) =>
        _owned.TryGetValue(partition, out var owned) ? new Assignment(partition, owned.Epoch) : null;

    /// <summary>Records a consumed offset, unless the assignment is no longer current or the offset was already seen.</summary>
    public OffsetTrack Track(Assignment assignment, long offset)
    {
        if (!IsCurrent(assignment)) return OffsetTrack.NotCurrent;
        return _owned[assignment.Partition].Ledger.Track(offset) ? OffsetTrack.Tracked : OffsetTrack.AlreadySeen;
    }

    /// <summary>Marks an offset complete; false when stale (older epoch) or not pending.</summary>
    public bool Complete(Assignment assignment, long offset) =>
        IsCurrent(assignment) && _owned[assignment.Partition].Ledger.Complete(offset);

    public long? Committable(PartitionKey partition) =>
        _owned.TryGetValue(partition, out var owned) ? owned.Ledger.Committable : null;

    public int Pending(PartitionKey partition) =>
        _owned.TryGetValue(partition, out var owned) ? owned.Ledger.PendingCount : 0;

    /// <summary>Committable offsets that moved since the last call (for the periodic commit), optionally of some partitions only.</summary>
    public IReadOnlyList<(PartitionKey Partition, long Offset)> TakeCommitChanges(Func<PartitionKey, bool>? which = null)
    {
        var changes = new List<(PartitionKey, long)>();
        foreach (var (partition, (_, ledger)) in _owned)
        {
            if (which is not null && !which(partition)) continue;
            if (ledger.Committable is not { } offset) continue;
            if (_lastCommitted.TryGetValue(partition, out var last) && last == offset) continue;
            _lastCommitted[partition] = offset;
            changes.Add((partition, offset));
        }
        return changes;
    }

    /// <summary>Forgets what was last handed out for commit (the commit failed; offer it again).</summary>
    public void ForgetCommitted(PartitionKey partition) => _lastCommitted.Remove(partition);
}
