namespace Fairlane.Partitioning.Offsets;

/// <summary>
/// One assigned partition's offsets: which were handed to the engine and which are complete
/// (processed, parked or dead-lettered). The offset safe to commit is the lowest incomplete one,
/// so a crash re-delivers unfinished work and never skips it. Completions may arrive in any order.
/// The ledger also keeps the record bytes of incomplete offsets (what the node holds for this
/// partition) and how long records have waited while the committed offset stood still.
/// </summary>
public sealed class OffsetLedger
{
    private readonly SortedSet<long> _pending = [];
    private readonly Dictionary<long, long> _bytes = [];
    private long _highestSeen = -1;
    private long _end; // where the consumer found the partition's end, if it did
    private long? _committed;
    private TimeSpan _stillSince;

    /// <summary>Record bytes (key and value) of the offsets seen but not complete.</summary>
    public long PendingBytes { get; private set; }

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

    /// <summary>
    /// Offsets between the committable one and the highest seen: what a crash now would re-deliver.
    /// Completed offsets above an incomplete one count too (they cannot be committed past it), so
    /// this is not the number of incomplete records.
    /// </summary>
    public long Uncommitted => _highestSeen < 0 ? 0 : _highestSeen + 1 - Committable!.Value;

    // Records wait when something seen lies at or past the committed offset.
    private bool Waiting => _highestSeen >= 0 && _committed <= _highestSeen;

    /// <summary>
    /// Records that an offset was consumed, and returns true. Offsets of one partition normally arrive
    /// in increasing order; one at or below the highest seen (the consumer's position was reset back)
    /// is not recorded and returns false. Such an offset is complete, in flight or below where this
    /// ledger started (committed before), so tracking it again could only move the commit backwards.
    /// </summary>
    /// <param name="bytes">The record's size, held until the offset completes.</param>
    /// <param name="now">When it was consumed: starts the commit-age clock if nothing was waiting.</param>
    public bool Track(long offset, long bytes, TimeSpan now)
    {
        if (offset <= _highestSeen) return false;
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        if (!Waiting) _stillSince = now;
        // Consumption of a new assignment starts at the group's committed offset (or where the reset
        // policy put it): committing that offset later is not progress.
        _committed ??= offset;
        _highestSeen = offset;
        _pending.Add(offset);
        _bytes[offset] = bytes;
        PendingBytes += bytes;
        return true;
    }

    /// <summary>Marks an offset complete; false if it was not pending (unknown or already complete).</summary>
    public bool Complete(long offset)
    {
        if (!_pending.Remove(offset)) return false;
        if (_bytes.Remove(offset, out var bytes)) PendingBytes -= bytes;
        return true;
    }

    /// <summary>The group's committed offset is now <paramref name="offset"/>: if it moved, the commit-age clock restarts.</summary>
    public void Committed(long offset, TimeSpan now)
    {
        if (_committed == offset) return;
        _committed = offset;
        _stillSince = now;
    }

    /// <summary>
    /// How long the committed offset has not moved while records wait behind it; zero when nothing
    /// waits. A stuck record (or failing commits) makes it grow however busy the partition is.
    /// </summary>
    public TimeSpan CommitAge(TimeSpan now) => Waiting && now > _stillSince ? now - _stillSince : TimeSpan.Zero;
}
