namespace Fairlane.Partitioning.Backpressure;

/// <summary>
/// Hysteresis over the node's buffered event count: pause consumption at the high watermark, resume
/// only below the low one, so partitions do not flap between the two.
/// </summary>
public sealed class BackpressureGate
{
    public BackpressureGate(int highWatermark, int lowWatermark)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(highWatermark);
        ArgumentOutOfRangeException.ThrowIfNegative(lowWatermark);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(lowWatermark, highWatermark);
        High = highWatermark;
        Low = lowWatermark;
    }

    public int High { get; }
    public int Low { get; }
    public bool Paused { get; private set; }

    /// <summary>Feeds the current buffered count; returns a change to make, or null to leave things as they are.</summary>
    public BackpressureChange? Observe(int buffered)
    {
        if (!Paused && buffered >= High)
        {
            Paused = true;
            return BackpressureChange.Pause;
        }
        if (Paused && buffered <= Low)
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
