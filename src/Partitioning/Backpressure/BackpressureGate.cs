namespace Fairlane.Partitioning.Backpressure;

/// <summary>
/// Hysteresis over what the node buffers, in events and in bytes: pause consumption when either
/// reaches its high watermark, resume only once both are at or below their low ones, so partitions
/// do not flap. Counting events alone lets a few large records fill memory long before the count
/// watermark; counting bytes alone lets many tiny records pile up bookkeeping.
/// </summary>
public sealed class BackpressureGate
{
    public BackpressureGate(int highWatermark, int lowWatermark, long highWatermarkBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(highWatermark);
        ArgumentOutOfRangeException.ThrowIfNegative(lowWatermark);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(lowWatermark, highWatermark);
        ArgumentOutOfRangeException.ThrowIfLessThan(highWatermarkBytes, 2);
        High = highWatermark;
        Low = lowWatermark;
        HighBytes = highWatermarkBytes;
        LowBytes = highWatermarkBytes / 2;
    }

    public int High { get; }
    public int Low { get; }
    public long HighBytes { get; }

    /// <summary>Half the high byte watermark: room for a burst of large records before the next pause.</summary>
    public long LowBytes { get; }

    public bool Paused { get; private set; }

    /// <summary>Feeds the current buffered count and bytes; returns a change to make, or null to leave things as they are.</summary>
    public BackpressureChange? Observe(int buffered, long bufferedBytes)
    {
        if (!Paused && (buffered >= High || bufferedBytes >= HighBytes))
        {
            Paused = true;
            return BackpressureChange.Pause;
        }
        if (Paused && buffered <= Low && bufferedBytes <= LowBytes)
        {
            Paused = false;
            return BackpressureChange.Resume;
        }
        return null;
    }
}

public enum BackpressureChange
{
    Pause,
    Resume,
}
