namespace Fairlane.Agents.Channels;

/// <summary>One tenant's channel: the unit that has its own retry budget and circuit breaker.</summary>
public readonly record struct ChannelKey(string TenantId, string ChannelId)
{
    public override string ToString() => $"{TenantId}/{ChannelId}";
}
