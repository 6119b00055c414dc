using System.Text.Json.Serialization;

namespace Fairlane.ChannelSimulator;

/// <summary>
/// How badly a simulated channel behaves. Every field is optional: on an account, a field left
/// null inherits the server-wide value; server-wide, null means "none" (0, false, 1 s).
/// </summary>
public sealed record SimulatedFaults
{
    /// <summary>Added to every call before it is answered, in milliseconds.</summary>
    [JsonPropertyName("latencyMs")]
    public int? LatencyMs { get; init; }

    /// <summary>Fraction (0..1) of calls answered 500.</summary>
    [JsonPropertyName("errorRate")]
    public double? ErrorRate { get; init; }

    /// <summary>Fraction (0..1) of calls answered 429 with a Retry-After header.</summary>
    [JsonPropertyName("throttleRate")]
    public double? ThrottleRate { get; init; }

    /// <summary>The Retry-After (whole seconds, as HTTP allows) sent with every 429.</summary>
    [JsonPropertyName("retryAfterSeconds")]
    public int? RetryAfterSeconds { get; init; }

    /// <summary>When true every call is answered 503, as a channel that is down would.</summary>
    [JsonPropertyName("outage")]
    public bool? Outage { get; init; }

    /// <summary>A channel that behaves perfectly.</summary>
    public static SimulatedFaults None { get; } = new() { LatencyMs = 0, ErrorRate = 0, ThrottleRate = 0, RetryAfterSeconds = 1, Outage = false };

    /// <summary>These values where set, <paramref name="fallback"/>'s elsewhere.</summary>
    public SimulatedFaults Over(SimulatedFaults fallback) => new()
    {
        LatencyMs = LatencyMs ?? fallback.LatencyMs,
        ErrorRate = ErrorRate ?? fallback.ErrorRate,
        ThrottleRate = ThrottleRate ?? fallback.ThrottleRate,
        RetryAfterSeconds = RetryAfterSeconds ?? fallback.RetryAfterSeconds,
        Outage = Outage ?? fallback.Outage,
    };

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first value out of range.</summary>
    public SimulatedFaults Validated()
    {
        if (LatencyMs is < 0) throw new ArgumentOutOfRangeException(nameof(LatencyMs), LatencyMs, "latencyMs must be 0 or more.");
        if (ErrorRate is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(ErrorRate), ErrorRate, "errorRate must be between 0 and 1.");
        if (ThrottleRate is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(ThrottleRate), ThrottleRate, "throttleRate must be between 0 and 1.");
        if (RetryAfterSeconds is < 0) throw new ArgumentOutOfRangeException(nameof(RetryAfterSeconds), RetryAfterSeconds, "retryAfterSeconds must be 0 or more.");
        return this;
    }
}
