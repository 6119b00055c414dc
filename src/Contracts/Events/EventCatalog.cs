using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Fairlane.Contracts.Events;

/// <summary>
/// Every event type Fairlane knows, in one place: the topic it belongs on, its payload type with its
/// source-generated JSON contract, and its ordering key, computed from the typed payload. Routing,
/// decoding and the outbox all look types up here, so adding an event type is one entry.
/// </summary>
public static class EventCatalog
{
    /// <summary>
    /// A channel's stock report. Its key is the channel's item, so a tenant's reports about different
    /// items may run at once while one item's reports keep their order.
    /// </summary>
    public static EventDefinition<StockChanged> StockChanged { get; } = new(
        EventTypes.StockChanged, TopicRole.Webhooks, FairlaneJsonContext.Default.StockChanged, p => $"{p.ChannelId}/{p.ExternalId}");

    /// <summary>A sync request, keyed by product: two pushes of one product never overtake each other.</summary>
    public static EventDefinition<SyncRequested> SyncRequested { get; } = new(
        EventTypes.SyncRequested, TopicRole.Sync, FairlaneJsonContext.Default.SyncRequested, p => $"product/{p.ProductId}");

    /// <summary>A reconcile job: one at a time per tenant.</summary>
    public static EventDefinition<ReconcileTenant> ReconcileTenant { get; } = new(
        EventTypes.ReconcileTenant, TopicRole.Guardian, FairlaneJsonContext.Default.ReconcileTenant, _ => EventTypes.ReconcileTenant);

    /// <summary>An alert check, keyed by the check it runs.</summary>
    public static EventDefinition<AlertCheck> AlertCheck { get; } = new(
        EventTypes.AlertCheck, TopicRole.Alerts, FairlaneJsonContext.Default.AlertCheck, p => $"alert/{p.Check}");

    /// <summary>A tenant lifecycle command: one at a time per tenant, in order.</summary>
    public static EventDefinition<TenantCommand> TenantCommand { get; } = new(
        EventTypes.TenantCommand, TopicRole.Control, FairlaneJsonContext.Default.TenantCommand, _ => EventTypes.TenantCommand);

    // Catalogue events share one key per tenant: a mapping must not overtake the product it names.
    private const string CatalogKey = "catalog";

    /// <summary>A catalogue product defined or replaced, in order with the tenant's other catalogue events.</summary>
    public static EventDefinition<CatalogProductUpserted> CatalogProductUpserted { get; } = new(
        EventTypes.CatalogProductUpserted, TopicRole.Control, FairlaneJsonContext.Default.CatalogProductUpserted, _ => CatalogKey);

    /// <summary>A catalogue product removed.</summary>
    public static EventDefinition<CatalogProductDeleted> CatalogProductDeleted { get; } = new(
        EventTypes.CatalogProductDeleted, TopicRole.Control, FairlaneJsonContext.Default.CatalogProductDeleted, _ => CatalogKey);

    /// <summary>A channel item mapped to a product.</summary>
    public static EventDefinition<CatalogMappingUpserted> CatalogMappingUpserted { get; } = new(
        EventTypes.CatalogMappingUpserted, TopicRole.Control, FairlaneJsonContext.Default.CatalogMappingUpserted, _ => CatalogKey);

    /// <summary>A channel item unmapped.</summary>
    public static EventDefinition<CatalogMappingDeleted> CatalogMappingDeleted { get; } = new(
        EventTypes.CatalogMappingDeleted, TopicRole.Control, FairlaneJsonContext.Default.CatalogMappingDeleted, _ => CatalogKey);

    /// <summary>All entries, one per event type.</summary>
    public static IReadOnlyList<EventDefinition> All { get; } = [StockChanged, SyncRequested, ReconcileTenant, AlertCheck, TenantCommand,
        CatalogProductUpserted, CatalogProductDeleted, CatalogMappingUpserted, CatalogMappingDeleted];

    private static readonly Dictionary<string, EventDefinition> ByType = All.ToDictionary(d => d.Type, StringComparer.Ordinal);
    private static readonly Dictionary<Type, EventDefinition> ByPayload = All.ToDictionary(d => d.PayloadType);

    /// <summary>The entry of an event type, or null if the type is not one of ours.</summary>
    public static EventDefinition? Find(string type) => ByType.GetValueOrDefault(type);

    /// <summary>The entry whose payload is a <typeparamref name="TPayload"/>.</summary>
    public static EventDefinition<TPayload> Of<TPayload>() where TPayload : class =>
        ByPayload.TryGetValue(typeof(TPayload), out var definition)
            ? (EventDefinition<TPayload>)definition
            : throw new InvalidOperationException($"No event type of the catalogue carries a {typeof(TPayload).Name} payload.");

    /// <summary>
    /// Decodes an envelope's payload through its type's entry. False, with an error naming the type,
    /// when the type is unknown or the payload does not have the type's shape.
    /// </summary>
    public static bool TryDecode(EventEnvelope envelope, [NotNullWhen(true)] out TypedEnvelope? typed, [NotNullWhen(false)] out string? error)
    {
        typed = null;
        if (Find(envelope.Type) is not { } definition)
        {
            error = $"'{envelope.Type}' is not an event type of the catalogue";
            return false;
        }
        try
        {
            typed = definition.Decode(envelope);
            error = null;
            return true;
        }
        catch (JsonException ex)
        {
            error = ex.Message;
            return false;
        }
    }
}
