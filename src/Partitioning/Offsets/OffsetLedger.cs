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
    private long _end; // where the consumer found the partition's end, if it did

    /// <summary>Offsets seen but not complete.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>
    /// The offset to commit (Kafka's convention: the next offset to read), or null before any
    /// record was seen. Never past an incomplete offset.
    /// </summary>
    public long? Committable => _pending.Count > 0 ? _pending.Min : _highestSeen >= 0 ? _highestSeen + 1 : null;

    /// <summary>
    /// The next offset the consumer will hand over: every record below it was seen (or was never there).
    /// Rows parked at or above it by an earlier owner may still be preceded by records yet to arrive.
    /// </summary>
    public long IntakePosition => Math.Max(_highestSeen + 1, _end);

    /// <summary>The consumer reached the partition's end at <paramref name="position"/> (the next offset to be written).</summary>
    public void ReachedEnd(long position) => _end = Math.Max(_end, position);

    /// <summary>Records that an offset was consumed. Offsets of one partition arrive in increasing order.</summary>
    public void Track(long offset)
    {
        if (offset <= _highestSeen)
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"offsets must increase; {_highestSeen} was already seen");
        _highestSeen = offset;
        _pending.Add(offset);
    }

    /// <summary>Marks an offset complete; false if it was not pending (unknown or already complete).</summary>
    public bool Complete(long offset) => _pending.Remove(offset);
}
