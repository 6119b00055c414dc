namespace Fairlane.Partitioning.Offsets;

/// <summary>
/// One assigned partition's offsets: which were handed to the engine and which are complete
/// (processed, parked or dead-lettered). The offset safe to commit is the lowest incomplete one,
/// so a crash re-delivers unfinished work and never skips it. Completions may arrive in any order.
/// </summary>
public sealed class OffsetLedger
{
    private readonly SortedSet<long> _pending = [];
    private long _highestSeen = -1;

    /// <summary>Offsets seen but not complete.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>
    /// The offset to commit (Kafka's convention: the next offset to read), or null before any
    /// record was seen. Never past an incomplete offset.
    /// </summary>
    public long? Committable => _pending.Count > 0 ? _pending.Min : _highestSeen >= 0 ? _highestSeen + 1 : null;

    /// <summary>
    /// Records that an offset was consumed, and returns true. Offsets of one partition normally arrive
    /// in increasing order; one at or below the highest seen (the consumer's position was reset back)
    /// is not recorded and returns false. Such an offset is complete, in flight or below where this
    /// ledger started (committed before), so tracking it again could only move the commit backwards.
    /// </summary>
    public bool Track(long offset)
    {
        if (offset <= _highestSeen) return false;
        _highestSeen = offset;
        _pending.Add(offset);
        return true;
    }

    /// <summary>Marks an offset complete; false if it was not pending (unknown or already complete).</summary>
    public bool Complete(long offset) => _pending.Remove(offset);
}
