using Fairlane.Contracts.Events;

namespace Fairlane.Worker.Engine;

/// <summary>
/// The ordering key of an event: events of one key never run at once and run in offset order.
/// It is the tenant plus the item the event is about, so a tenant allowed more than one event at a
/// time still never reorders updates of one product. The event catalogue computes it from the typed
/// payload when the event is decoded; see <see cref="EventCatalog"/>.
/// </summary>
internal static class OrderingKeys
{
    public static string For(TypedEnvelope envelope) => envelope.OrderingKey;
}
