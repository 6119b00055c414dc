using System.Text.Json;
using Fairlane.Contracts.Events;

namespace Fairlane.Worker.Engine;

/// <summary>
/// The ordering key of an event: events of one key never run at once and run in offset order.
/// It is the tenant plus the item the event is about, so a tenant allowed more than one event at a
/// time still never reorders updates of one product.
/// </summary>
internal static class OrderingKeys
{
    public static string For(EventEnvelope envelope) => envelope.Type switch
    {
        EventTypes.StockChanged => $"{Property(envelope, "channelId")}/{Property(envelope, "externalId")}",
        EventTypes.SyncRequested => $"product/{Property(envelope, "productId")}",
        EventTypes.AlertCheck => $"alert/{Property(envelope, "check")}",
        _ => envelope.Type, // reconcile and control: one at a time per tenant
    };

    private static string Property(EventEnvelope envelope, string name) =>
        envelope.Payload.ValueKind == JsonValueKind.Object && envelope.Payload.TryGetProperty(name, out var value)
            ? value.ToString()
            : "";
}
