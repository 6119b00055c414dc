using System.Text.Json;

namespace Fairlane.Agents.Bus;

/// <summary>
/// The live event bus (Redis pub/sub, channel <c>{prefix}events:{tenant}</c>): notices for dashboards
/// and integrations, such as a finished sync or a new alert. At most once and best effort; the
/// database stays the record.
/// </summary>
public interface IEventBus
{
    Task PublishAsync(BusNotice notice, CancellationToken cancellationToken);
}

/// <summary>One notice on the bus: its type (sync.completed, alert.raised), tenant and data.</summary>
public sealed record BusNotice(string Type, string TenantId, DateTimeOffset At, JsonElement Data)
{
    public const string SyncCompleted = "sync.completed";
    public const string AlertRaised = "alert.raised";
}
