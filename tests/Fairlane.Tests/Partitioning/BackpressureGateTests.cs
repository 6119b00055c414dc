using Fairlane.Partitioning.Backpressure;

namespace Fairlane.Tests.Partitioning;

public sealed class BackpressureGateTests
{
    private const long MiB = 1024 * 1024;

    [Fact]
    public void Few_large_records_pause_by_bytes_long_before_the_event_count()
    {
        var gate = new BackpressureGate(20_000, 10_000, 256 * MiB);
        Assert.Null(gate.Observe(255, 255 * MiB));
        Assert.Equal(BackpressureChange.Pause, gate.Observe(256, 256 * MiB));
        Assert.True(gate.Paused);
    }

    [Fact]
    public void Resumes_only_when_both_count_and_bytes_are_low()
    {
        var gate = new BackpressureGate(100, 50, 10 * MiB);
        Assert.Equal(BackpressureChange.Pause, gate.Observe(100, 0));
        Assert.Null(gate.Observe(10, 6 * MiB)); // few events, but still more than half the bytes
        Assert.Null(gate.Observe(60, 1 * MiB)); // few bytes, but too many events
        Assert.Equal(BackpressureChange.Resume, gate.Observe(50, 5 * MiB));
        Assert.False(gate.Paused);
    }
}
