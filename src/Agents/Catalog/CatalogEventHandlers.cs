using Fairlane.Agents.Handling;
using Fairlane.Contracts.Events;

namespace Fairlane.Agents.Catalog;

/// <summary>
/// Applies the catalogue events of the control topic in the event's tenant-bound transaction, with the rules of
/// the admin API. They are idempotent: an upsert writes the same row again, a delete of what is gone does
/// nothing, and the pipeline's ledger skips a re-delivered event anyway. A value the rules refuse, or a mapping
/// naming a product or channel the tenant does not have, is dead-lettered with the rule's message.
/// </summary>
internal static class CatalogEvents
{
    public const string Agent = "control";

    public static async Task<Outcome> ApplyAsync(Func<Task> apply)
    {
        try
        {
            await apply();
            return Outcome.Done;
        }
        catch (CatalogException ex)
        {
            return Outcome.Permanent(ex.Message);
        }
    }
}

/// <summary>Handles <see cref="EventTypes.CatalogProductUpserted"/>.</summary>
public sealed class CatalogProductUpsertedHandler : IEventHandler<CatalogProductUpserted>
{
    public string Agent => CatalogEvents.Agent;

    public Task<Outcome> HandleAsync(TypedEnvelope<CatalogProductUpserted> envelope, HandlerContext context, CancellationToken cancellationToken)
    {
        var p = envelope.Payload;
        var product = new ProductDefinition(p.ProductId, p.Sku ?? "", p.Name ?? "", p.Stock, p.BufferStock ?? 0, p.LowStockThreshold);
        return CatalogEvents.ApplyAsync(async () =>
        {
            CatalogRules.Check("", product);
            await CatalogStore.UpsertProductAsync(context.Connection, context.Transaction, context.TenantId, product, cancellationToken);
        });
    }
}

/// <summary>Handles <see cref="EventTypes.CatalogProductDeleted"/>: the product and its mappings.</summary>
public sealed class CatalogProductDeletedHandler : IEventHandler<CatalogProductDeleted>
{
    public string Agent => CatalogEvents.Agent;

    public Task<Outcome> HandleAsync(TypedEnvelope<CatalogProductDeleted> envelope, HandlerContext context, CancellationToken cancellationToken) =>
        CatalogEvents.ApplyAsync(async () =>
        {
            CatalogRules.CheckId("productId", envelope.Payload.ProductId);
            await CatalogStore.DeleteProductAsync(context.Connection, context.Transaction, context.TenantId, envelope.Payload.ProductId, cancellationToken);
        });
}

/// <summary>Handles <see cref="EventTypes.CatalogMappingUpserted"/>.</summary>
public sealed class CatalogMappingUpsertedHandler : IEventHandler<CatalogMappingUpserted>
{
    public string Agent => CatalogEvents.Agent;

    public Task<Outcome> HandleAsync(TypedEnvelope<CatalogMappingUpserted> envelope, HandlerContext context, CancellationToken cancellationToken)
    {
        var m = new CatalogMapping(envelope.Payload.ChannelId, envelope.Payload.ExternalId, envelope.Payload.ProductId);
        return CatalogEvents.ApplyAsync(async () =>
        {
            CatalogRules.Check("", m);
            await CatalogService.MapAsync(context.Connection, context.Transaction, context.TenantId, "", m, cancellationToken);
        });
    }
}

/// <summary>Handles <see cref="EventTypes.CatalogMappingDeleted"/>.</summary>
public sealed class CatalogMappingDeletedHandler : IEventHandler<CatalogMappingDeleted>
{
    public string Agent => CatalogEvents.Agent;

    public Task<Outcome> HandleAsync(TypedEnvelope<CatalogMappingDeleted> envelope, HandlerContext context, CancellationToken cancellationToken) =>
        CatalogEvents.ApplyAsync(async () =>
        {
            CatalogRules.CheckId("channelId", envelope.Payload.ChannelId);
            CatalogRules.CheckExternalId("externalId", envelope.Payload.ExternalId);
            await CatalogStore.DeleteMappingAsync(context.Connection, context.Transaction, context.TenantId, envelope.Payload.ChannelId,
                envelope.Payload.ExternalId, cancellationToken);
        });
}
