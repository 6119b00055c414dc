namespace Fairlane.LoadTest.Hot;

/// <summary>Offered and processed events per second over one window of the run.</summary>
internal readonly record struct RateWindow(int FromSecond, int ToSecond, double Offered, double Processed);

/// <summary>Per-second counts folded into fixed windows, and the best sustained processing rate.</summary>
internal static class ThroughputWindows
{
    /// <summary>Consecutive windows of <paramref name="seconds"/> (the last may be shorter), rates per second of the window's length.</summary>
    public static List<RateWindow> Of(int[] sentPerSecond, int[] processedPerSecond, int seconds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seconds, 1);
        var length = Math.Max(sentPerSecond.Length, processedPerSecond.Length);
        var windows = new List<RateWindow>();
        for (var from = 0; from < length; from += seconds)
        {
            var to = Math.Min(from + seconds, length);
            windows.Add(new RateWindow(from, to, Sum(sentPerSecond, from, to) / (double)(to - from), Sum(processedPerSecond, from, to) / (double)(to - from)));
        }
        return windows;
    }

    /// <summary>The highest mean processed rate over any <paramref name="seconds"/> consecutive seconds; null when the run is shorter.</summary>
    public static double? BestSustained(int[] processedPerSecond, int seconds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seconds, 1);
        if (processedPerSecond.Length < seconds) return null;
        long sum = Sum(processedPerSecond, 0, seconds), best = sum;
        for (var i = seconds; i < processedPerSecond.Length; i++)
        {
            sum += processedPerSecond[i] - processedPerSecond[i - seconds];
            best = Math.Max(best, sum);
        }
        return best / (double)seconds;
    }

    private static long Sum(int[] values, int from, int to)
    {
        long sum = 0;
        for (var i = from; i < Math.Min(to, values.Length); i++) sum += values[i];
        return sum;
    }
}
