namespace Fairlane.Worker.Engine;

/// <summary>Exponential backoff shared by every retry loop of the node.</summary>
internal static class RetryDelay
{
    /// <summary>
    /// <paramref name="first"/> × 2^(attempt − 1), capped at <paramref name="max"/>. With jitter, a
    /// uniform 50–100% of that, so many failing events do not retry in lockstep.
    /// </summary>
    public static TimeSpan Exponential(int attempt, TimeSpan first, TimeSpan max, bool jitter = false)
    {
        var ms = Math.Min(first.TotalMilliseconds * Math.Pow(2, Math.Clamp(attempt - 1, 0, 30)), max.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(jitter ? ms * (0.5 + Random.Shared.NextDouble() / 2) : ms);
    }
}
