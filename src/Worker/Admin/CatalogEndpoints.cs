using Fairlane.Agents.Catalog;
using Fairlane.Agents.Channels;
using Fairlane.Agents.Storage;

namespace Fairlane.Worker.Admin;

/// <summary>
/// The catalogue's admin routes under <c>/admin/tenants/{id}</c> (README "Admin API"): products, channels, item
/// mappings and the bulk import. Every request runs bound to the tenant in the URL, so row-level security keeps it
/// to that tenant's rows; channel credentials go in and never come back out, in answers or logs.
/// </summary>
internal static partial class CatalogEndpoints
{
    public static void MapCatalogEndpoints(this RouteGroupBuilder admin)
    {
        var tenant = admin.MapGroup("/tenants/{id}").AddEndpointFilter(CatalogRequests.FilterAsync);

        tenant.MapGet("/catalog", async (string id, TenantDatabase db, CredentialProtector protector, CancellationToken ct) =>
            Results.Json(await Service(db, protector).ShowAsync(id, ct), CatalogJsonContext.Default.CatalogSnapshot));
        tenant.MapPut("/catalog", async (string id, HttpRequest request, TenantDatabase db, CredentialProtector protector, ILogger<CatalogService> log,
            CancellationToken ct) =>
        {
            var result = await Service(db, protector).ImportAsync(id, await CatalogRequests.ReadImportAsync(request, ct), ct);
            LogImported(log, id, result.Products, result.Channels, result.Mappings);
            return Results.Json(result, CatalogJsonContext.Default.CatalogImportResult);
        });

        tenant.MapGet("/products/{productId}", async (string id, string productId, TenantDatabase db, CredentialProtector protector, CancellationToken ct) =>
            Results.Json(await Service(db, protector).GetProductAsync(id, productId, ct), CatalogJsonContext.Default.CatalogProduct));
        tenant.MapPut("/products/{productId}", async (string id, string productId, HttpRequest request, TenantDatabase db, CredentialProtector protector,
            ILogger<CatalogService> log, CancellationToken ct) =>
        {
            var product = await CatalogRequests.ReadJsonAsync(request, e => CatalogJsonReader.ReadProduct(e, "", productId), ct);
            var saved = await Service(db, protector).UpsertProductAsync(id, product, ct);
            LogChanged(log, id, "product", productId, "saved");
            return Results.Json(saved, CatalogJsonContext.Default.CatalogProduct);
        });
        tenant.MapDelete("/products/{productId}", async (string id, string productId, TenantDatabase db, CredentialProtector protector, ILogger<CatalogService> log,
            CancellationToken ct) =>
        {
            await Service(db, protector).DeleteProductAsync(id, productId, ct);
            LogChanged(log, id, "product", productId, "deleted");
            return Results.NoContent();
        });

        tenant.MapGet("/channels/{channelId}", async (string id, string channelId, TenantDatabase db, CredentialProtector protector, CancellationToken ct) =>
            Results.Json(await Service(db, protector).GetChannelAsync(id, channelId, ct), CatalogJsonContext.Default.CatalogChannel));
        tenant.MapPut("/channels/{channelId}", async (string id, string channelId, HttpRequest request, TenantDatabase db, CredentialProtector protector,
            ILogger<CatalogService> log, CancellationToken ct) =>
        {
            var channel = await CatalogRequests.ReadJsonAsync(request, e => CatalogJsonReader.ReadChannel(e, "", channelId), ct);
            var saved = await Service(db, protector).UpsertChannelAsync(id, channel, ct);
            LogChanged(log, id, "channel", channelId, "saved");
            return Results.Json(saved, CatalogJsonContext.Default.CatalogChannel);
        });
        tenant.MapDelete("/channels/{channelId}", async (string id, string channelId, TenantDatabase db, CredentialProtector protector, ILogger<CatalogService> log,
            CancellationToken ct) =>
        {
            await Service(db, protector).DeleteChannelAsync(id, channelId, ct);
            LogChanged(log, id, "channel", channelId, "deleted");
            return Results.NoContent();
        });

        tenant.MapGet("/mappings", async (string id, TenantDatabase db, CredentialProtector protector, CancellationToken ct) =>
            Results.Json(await Service(db, protector).MappingsAsync(id, ct), CatalogJsonContext.Default.ListCatalogMapping));
        tenant.MapPut("/mappings/{channelId}/{externalId}", async (string id, string channelId, string externalId, HttpRequest request, TenantDatabase db,
            CredentialProtector protector, ILogger<CatalogService> log, CancellationToken ct) =>
        {
            var mapping = await CatalogRequests.ReadJsonAsync(request, e => CatalogJsonReader.ReadMapping(e, "", channelId, externalId), ct);
            var saved = await Service(db, protector).UpsertMappingAsync(id, mapping, ct);
            LogMappingChanged(log, id, channelId, externalId, "saved");
            return Results.Json(saved, CatalogJsonContext.Default.CatalogMapping);
        });
        tenant.MapDelete("/mappings/{channelId}/{externalId}", async (string id, string channelId, string externalId, TenantDatabase db,
            CredentialProtector protector, ILogger<CatalogService> log, CancellationToken ct) =>
        {
            await Service(db, protector).DeleteMappingAsync(id, channelId, externalId, ct);
            LogMappingChanged(log, id, channelId, externalId, "deleted");
            return Results.NoContent();
        });
    }

    // Per request: the service is two references, and the admin API is not a hot path.
    private static CatalogService Service(TenantDatabase db, CredentialProtector protector) => new(db, protector);

    [LoggerMessage(Level = LogLevel.Information, Message = "Catalogue of tenant {Tenant}: {Kind} {Item} {Change}")]
    private static partial void LogChanged(ILogger logger, string tenant, string kind, string item, string change);

    [LoggerMessage(Level = LogLevel.Information, Message = "Catalogue of tenant {Tenant}: mapping of item {ExternalId} on channel {Channel} {Change}")]
    private static partial void LogMappingChanged(ILogger logger, string tenant, string channel, string externalId, string change);

    [LoggerMessage(Level = LogLevel.Information, Message = "Catalogue of tenant {Tenant} imported: {Products} products, {Channels} channels, {Mappings} mappings")]
    private static partial void LogImported(ILogger logger, string tenant, int products, int channels, int mappings);
}
