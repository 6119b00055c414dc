namespace Fairlane.Agents.Channels;

/// <summary>
/// Hears every channel call attempt, for metrics (the Worker counts them in Prometheus; this project
/// knows no metrics library). Called on the request path: keep it quick and never throw.
/// </summary>
public interface IChannelCallObserver
{
    /// <param name="channelType">eposnow, wix or deliveroo (never a tenant: labels must stay low-cardinality).</param>
    /// <param name="operation">read or push.</param>
    /// <param name="outcome">How the attempt ended.</param>
    /// <param name="duration">The attempt's own time, without retry delays.</param>
    void CallCompleted(string channelType, string operation, ChannelCallOutcome outcome, TimeSpan duration);
}

/// <summary>How one call attempt ended.</summary>
public enum ChannelCallOutcome
{
    Success,
    Throttled,
    Transient,
    Timeout,
    NetworkError,
    AuthFailed,
    Rejected,

    /// <summary>The breaker was open: no request was sent.</summary>
    CircuitOpen,
    Cancelled,
}

public static class ChannelCallOutcomeNames
{
    /// <summary>The snake_case label for metrics.</summary>
    public static string ToLabel(this ChannelCallOutcome outcome) => outcome switch
    {
        ChannelCallOutcome.Success => "success",
        ChannelCallOutcome.Throttled => "throttled",
        ChannelCallOutcome.Transient => "transient",
        ChannelCallOutcome.Timeout => "timeout",
        ChannelCallOutcome.NetworkError => "network_error",
        ChannelCallOutcome.AuthFailed => "auth_failed",
        ChannelCallOutcome.Rejected => "rejected",
        ChannelCallOutcome.CircuitOpen => "circuit_open",
        ChannelCallOutcome.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };
}
