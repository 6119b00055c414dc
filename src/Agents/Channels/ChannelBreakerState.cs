namespace Fairlane.Agents.Channels;

/// <summary>A channel's circuit breaker state. The numbers are the values of the fairlane_channel_breaker_state gauge.</summary>
public enum ChannelBreakerState
{
    Closed = 0,

    /// <summary>The break is over; the next call is a trial that closes or re-opens the breaker.</summary>
    HalfOpen = 1,

    /// <summary>Calls fail at once with <see cref="ChannelUnavailableException"/>.</summary>
    Open = 2,
}

/// <summary>A breaker changed state. <see cref="BreakDuration"/> is set when it opened.</summary>
public sealed record ChannelBreakerChange(ChannelKey Channel, string ChannelType, ChannelBreakerState State, DateTimeOffset At, TimeSpan? BreakDuration);

/// <summary>A breaker's state right now.</summary>
public readonly record struct ChannelBreakerStatus(ChannelKey Channel, string ChannelType, ChannelBreakerState State);
