using Fairlane.Agents.Signals;

namespace Fairlane.Tests.Agents.Signals;

/// <summary>Wakes coalesce, and none that follows a change is lost, however the wakers and the waiter interleave.</summary>
public sealed class WakeSignalTests
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(50);

    [Fact(Timeout = 10_000)]
    public async Task Many_wakes_before_the_loop_looks_are_one()
    {
        using var signal = new WakeSignal();
        for (var i = 0; i < 1_000; i++) signal.Wake();

        Assert.True(await signal.WaitAsync(Quiet, CancellationToken.None));
        Assert.False(await signal.WaitAsync(Quiet, CancellationToken.None));
    }

    [Fact(Timeout = 10_000)]
    public async Task A_wake_after_the_loop_took_the_last_one_wakes_it_again()
    {
        using var signal = new WakeSignal();
        signal.Wake();
        Assert.True(await signal.WaitAsync(Quiet, CancellationToken.None));

        signal.Wake();
        Assert.True(await signal.WaitAsync(Quiet, CancellationToken.None));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_loop_woken_by_racing_wakers_always_sees_the_last_change()
    {
        // Each waker changes the state, then wakes. The loop looks only when woken (a long timeout stands
        // for "never polls"): if a wake were lost after the last change, the loop would not see it in time.
        using var signal = new WakeSignal();
        const int Wakers = 4, ChangesEach = 20_000;
        long changes = 0;
        var wakers = Enumerable.Range(0, Wakers).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < ChangesEach; i++)
            {
                Interlocked.Increment(ref changes);
                signal.Wake();
            }
        })).ToArray();

        long seen = 0;
        while (seen < Wakers * ChangesEach)
        {
            Assert.True(await signal.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None),
                $"no wake within 10 s with {Interlocked.Read(ref changes) - seen} changes unseen");
            seen = Interlocked.Read(ref changes);
        }
        await Task.WhenAll(wakers);
        Assert.Equal(Wakers * ChangesEach, seen);
    }
}
