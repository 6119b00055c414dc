using Fairlane.Agents.Alerting;
using Fairlane.Agents.Channels;
using Fairlane.Worker.Observability;

namespace Fairlane.Worker.Channels;

/// <summary>
/// Channel calls and circuit breakers in Prometheus, labelled by channel type only (never by tenant),
/// and the breakers' state for the channel-status alert check.
/// </summary>
internal sealed class ChannelCallMetrics : IChannelCallObserver, IChannelHealth
{
    private readonly ChannelBreakers _breakers;

    public ChannelCallMetrics(ChannelBreakers breakers)
    {
        _breakers = breakers;
        breakers.StateChanged += change =>
        {
            FairlaneMetrics.ChannelBreakerTransitions.WithLabels(change.ChannelType, Label(change.State)).Inc();
            Report();
        };
    }

    public void CallCompleted(string channelType, string operation, ChannelCallOutcome outcome, TimeSpan duration)
    {
        FairlaneMetrics.ChannelCalls.WithLabels(channelType, operation, outcome.ToLabel()).Inc();
        if (outcome != ChannelCallOutcome.CircuitOpen)
            FairlaneMetrics.ChannelCallDuration.WithLabels(channelType, operation).Observe(duration.TotalSeconds);
    }

    public bool IsCircuitOpen(string tenantId, string channelId) =>
        _breakers.StateOf(new ChannelKey(tenantId, channelId)) == ChannelBreakerState.Open;

    // Channels per breaker state: bounded, unlike a series per tenant channel.
    private void Report()
    {
        var byState = _breakers.Snapshot().GroupBy(s => s.State).ToDictionary(g => g.Key, g => g.Count());
        foreach (var state in Enum.GetValues<ChannelBreakerState>())
            FairlaneMetrics.ChannelBreakers.WithLabels(Label(state)).Set(byState.GetValueOrDefault(state));
    }

    private static string Label(ChannelBreakerState state) => state switch
    {
        ChannelBreakerState.Open => "open",
        ChannelBreakerState.HalfOpen => "half_open",
        _ => "closed",
    };
}
