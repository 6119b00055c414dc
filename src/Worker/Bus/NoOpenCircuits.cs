using Fairlane.Agents.Alerting;

namespace Fairlane.Worker.Bus;

/// <summary>Channel health before any channel adapter runs on this node: no breaker is open.</summary>
internal sealed class NoOpenCircuits : IChannelHealth
{
    public bool IsCircuitOpen(string tenantId, string channelId) => false;
}
