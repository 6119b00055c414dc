using System.Diagnostics;

namespace Fairlane.Tests.Infrastructure;

/// <summary>Waits on a condition with a deadline; never a fixed sleep.</summary>
internal static class Eventually
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    public static async Task<T> WaitAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan deadline, string what)
    {
        var clock = Stopwatch.StartNew();
        T last;
        while (true)
        {
            last = await probe();
            if (done(last)) return last;
            if (clock.Elapsed > deadline)
                throw new TimeoutException($"Waited {deadline.TotalSeconds:0} s for {what}; last observed: {last}");
            await Task.Delay(Poll);
        }
    }

    public static Task WaitAsync(Func<bool> condition, TimeSpan deadline, string what) =>
        WaitAsync(() => Task.FromResult(condition()), ok => ok, deadline, what);
}
