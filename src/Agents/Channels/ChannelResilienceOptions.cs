namespace Fairlane.Agents.Channels;

/// <summary>
/// Retries, circuit breaker and timeouts around every channel call (one pipeline per tenant's
/// channel). The engine retries a failed event again later, so these stay modest: they absorb blips,
/// while a channel that is really down trips its breaker and fails fast.
/// </summary>
public sealed class ChannelResilienceOptions
{
    public const string Section = "Channels:Resilience";

    /// <summary>Retries after the first attempt (0 turns retrying off).</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Median delay before the first retry; it doubles per retry, with jitter, up to <see cref="RetryMaxDelayMs"/>.</summary>
    public int RetryBaseDelayMs { get; set; } = 200;

    public int RetryMaxDelayMs { get; set; } = 5_000;

    /// <summary>
    /// The longest 429 Retry-After a call waits out inline. A longer one fails the call at once with
    /// <see cref="ChannelThrottledException"/>, so a worker is not held for minutes; the event is retried later.
    /// </summary>
    public int MaxRetryAfterMs { get; set; } = 10_000;

    /// <summary>Each attempt's time limit.</summary>
    public int AttemptTimeoutMs { get; set; } = 10_000;

    /// <summary>The share of failed attempts within <see cref="BreakerSamplingDurationMs"/> that opens the breaker.</summary>
    public double BreakerFailureRatio { get; set; } = 0.5;

    public int BreakerSamplingDurationMs { get; set; } = 30_000;

    /// <summary>Attempts within the sampling window before the ratio counts (so two failures of a quiet channel do not open it).</summary>
    public int BreakerMinimumThroughput { get; set; } = 10;

    /// <summary>How long an open breaker refuses calls before it lets one trial call through.</summary>
    public int BreakerBreakDurationMs { get; set; } = 30_000;

    /// <summary>Every setting out of range, each naming its key; empty when all are valid. The ranges are Polly's own.</summary>
    public IReadOnlyList<string> Validate()
    {
        const int Day = 86_400_000;
        var problems = new List<string>();
        void Require(bool ok, string key, string range, object value)
        {
            if (!ok) problems.Add($"{Section}:{key} must be {range}; it is {value}.");
        }
        Require(MaxRetryAttempts is >= 0 and <= 100, nameof(MaxRetryAttempts), "0..100", MaxRetryAttempts);
        Require(RetryBaseDelayMs is >= 0 and <= Day, nameof(RetryBaseDelayMs), "0..86400000", RetryBaseDelayMs);
        Require(RetryMaxDelayMs >= RetryBaseDelayMs && RetryMaxDelayMs <= Day, nameof(RetryMaxDelayMs), "at least RetryBaseDelayMs and at most 86400000", RetryMaxDelayMs);
        Require(MaxRetryAfterMs is >= 0 and <= Day, nameof(MaxRetryAfterMs), "0..86400000", MaxRetryAfterMs);
        Require(AttemptTimeoutMs is > 10 and < Day, nameof(AttemptTimeoutMs), "more than 10 and less than 86400000", AttemptTimeoutMs);
        Require(BreakerFailureRatio is > 0 and <= 1, nameof(BreakerFailureRatio), "more than 0 and at most 1", BreakerFailureRatio);
        Require(BreakerSamplingDurationMs is > 500 and <= Day, nameof(BreakerSamplingDurationMs), "more than 500 and at most 86400000", BreakerSamplingDurationMs);
        Require(BreakerMinimumThroughput >= 2, nameof(BreakerMinimumThroughput), "2 or more", BreakerMinimumThroughput);
        Require(BreakerBreakDurationMs is > 500 and <= Day, nameof(BreakerBreakDurationMs), "more than 500 and at most 86400000", BreakerBreakDurationMs);
        return problems;
    }
}
