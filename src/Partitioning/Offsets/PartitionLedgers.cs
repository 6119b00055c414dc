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

    /// <summary>Record bytes of every owned partition's incomplete offsets: what the node holds from Kafka.</summary>
    public long PendingBytes { get; private set; }

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
        if (!_owned.Remove(partition, out var owned)) return false;
        PendingBytes -= owned.Ledger.PendingBytes;
        return true;
    }

    public bool IsCurrent(Assignment assignment) =>
        _owned.TryGetValue(assignment.Partition, out var owned) && owned.Epoch == assignment.Epoch;

    /// <summary>The current assignment of a partition, if owned.</summary>
    public Assignment? Current(PartitionKey partition) =>
        _owned.TryGetValue(partition, out var owned) ? new Assignment(partition, owned.Epoch) : null;

    /// <summary>Records a consumed offset, unless the assignment is no longer current or the offset was already seen.</summary>
    public OffsetTrack Track(Assignment assignment, long offset, long bytes, TimeSpan now)
    {
        if (!IsCurrent(assignment)) return OffsetTrack.NotCurrent;
        if (!_owned[assignment.Partition].Ledger.Track(offset, bytes, now)) return OffsetTrack.AlreadySeen;
        PendingBytes += bytes;
        return OffsetTrack.Tracked;
    }

    /// <summary>The next offset the partition's consumer will hand over (0 when not owned or nothing was seen yet).</summary>
    public long IntakePosition(PartitionKey partition) =>
        _owned.TryGetValue(partition, out var owned) ? owned.Ledger.IntakePosition : 0;

    /// <summary>The consumer reached the partition's end; false when the assignment is no longer current.</summary>
    public bool ReachedEnd(Assignment assignment, long position)
    {
        if (!IsCurrent(assignment)) return false;
        _owned[assignment.Partition].Ledger.ReachedEnd(position);
        return true;
    }

    /// <summary>Marks an offset complete; false when stale (older epoch) or not pending.</summary>
    public bool Complete(Assignment assignment, long offset)
    {
        if (!IsCurrent(assignment)) return false;
        var ledger = _owned[assignment.Partition].Ledger;
        var before = ledger.PendingBytes;
        if (!ledger.Complete(offset)) return false;
        PendingBytes -= before - ledger.PendingBytes;
        return true;
    }

    public long? Committable(PartitionKey partition) =>
        _owned.TryGetValue(partition, out var owned) ? owned.Ledger.Committable : null;

    /// <summary>The uncommitted window of a partition (see <see cref="OffsetLedger.Uncommitted"/>); 0 when not owned.</summary>
    public long Uncommitted(PartitionKey partition) =>
        _owned.TryGetValue(partition, out var owned) ? owned.Ledger.Uncommitted : 0;

    /// <summary>The group's committed offset of an owned partition moved (a commit succeeded).</summary>
    public void Committed(PartitionKey partition, long offset, TimeSpan now)
    {
        if (_owned.TryGetValue(partition, out var owned)) owned.Ledger.Committed(offset, now);
    }

    /// <summary>See <see cref="OffsetLedger.CommitAge"/>; zero when not owned.</summary>
    public TimeSpan CommitAge(PartitionKey partition, TimeSpan now) =>
        _owned.TryGetValue(partition, out var owned) ? owned.Ledger.CommitAge(now) : TimeSpan.Zero;

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
