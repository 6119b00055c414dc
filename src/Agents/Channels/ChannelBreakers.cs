using System.Collections.Concurrent;
using Polly.CircuitBreaker;

namespace Fairlane.Agents.Channels;

/// <summary>
/// The circuit breaker of every channel this node has called: its state now, and an event on each
/// change, for channel_status alerts and the fairlane_channel_breaker_state gauge. Polly's breakers
/// move from open to half-open on the first call after the break, so an idle channel's breaker
/// stays open here until something calls it again.
/// </summary>
public sealed class ChannelBreakers(TimeProvider? timeProvider = null)
{
    private readonly ConcurrentDictionary<ChannelKey, Tracked> _tracked = new();
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>
    /// Raised by the channel call that changed the state, before that call returns (Polly runs the
    /// callbacks one at a time and the call awaits them). Handlers must be quick and must not throw:
    /// an exception would fail that channel call.
    /// </summary>
    public event Action<ChannelBreakerChange>? StateChanged;

    /// <summary>The breaker's state; closed for a channel not called yet.</summary>
    public ChannelBreakerState StateOf(ChannelKey channel) =>
        _tracked.TryGetValue(channel, out var tracked) ? Map(tracked.Provider.CircuitState) : ChannelBreakerState.Closed;

    public IReadOnlyList<ChannelBreakerStatus> Snapshot() =>
        [.. _tracked.Select(t => new ChannelBreakerStatus(t.Key, t.Value.ChannelType, Map(t.Value.Provider.CircuitState)))];

    internal void Track(ChannelKey channel, string channelType, CircuitBreakerStateProvider provider) =>
        _tracked[channel] = new Tracked(channelType, provider);

    internal void Forget(ChannelKey channel) => _tracked.TryRemove(channel, out _);

    internal void Report(ChannelKey channel, string channelType, ChannelBreakerState state, TimeSpan? breakDuration) =>
        StateChanged?.Invoke(new ChannelBreakerChange(channel, channelType, state, _time.GetUtcNow(), breakDuration));

    // Isolated (opened by hand) is open as far as callers can tell.
    private static ChannelBreakerState Map(CircuitState state) => state switch
    {
        CircuitState.Closed => ChannelBreakerState.Closed,
        CircuitState.HalfOpen => ChannelBreakerState.HalfOpen,
        _ => ChannelBreakerState.Open,
    };

    private sealed record Tracked(string ChannelType, CircuitBreakerStateProvider Provider);
}
