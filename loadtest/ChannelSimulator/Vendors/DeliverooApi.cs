using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Fairlane.ChannelSimulator.Vendors;

/// <summary>
/// Deliveroo's shape: snake_case JSON, a bearer token, and one site's menu as the unit — a read
/// returns the whole site's item stock and availability; a PUT sets up to <see cref="MaxBatch"/>
/// items and answers which it accepted and which it rejected.
/// </summary>
internal static class DeliverooApi
{
    public const int MaxBatch = 200;

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/deliveroo/{account}/site/v1/menu");

        api.MapGet("/item_stock", (HttpContext context) =>
            {
                var account = context.SimulatedAccount();
                var items = account.Stock()
                    .OrderBy(s => s.Key, StringComparer.Ordinal)
                    .Select(s => new DeliverooItemStock(s.Key, s.Value, s.Value > 0 ? "available" : "unavailable"))
                    .ToArray();
                return Results.Json(new DeliverooSiteStock(account.Name, items), SimulatorJson.Default.DeliverooSiteStock);
            })
            .WithMetadata(new SimulatedEndpoint(ChannelTypes.Deliveroo, SimulatedEndpoint.Read));

        api.MapPut("/item_stock", (HttpContext context, DeliverooStockUpdate request) =>
            {
                var items = request.Items ?? [];
                if (items.Length > MaxBatch)
                {
                    return Results.Json(new SimulatorError($"at most {MaxBatch} items per request"), SimulatorJson.Default.SimulatorError, statusCode: 400);
                }
                var account = context.SimulatedAccount();
                var accepted = new List<string>();
                var rejected = new List<DeliverooRejection>();
                foreach (var item in items)
                {
                    var update = account.TryUpdateStock(item.ItemId, item.Stock);
                    if (update == StockUpdate.Updated) accepted.Add(item.ItemId);
                    else rejected.Add(new DeliverooRejection(item.ItemId, update.Reason()!));
                }
                return Results.Json(new DeliverooStockUpdateResult([.. accepted], [.. rejected]), SimulatorJson.Default.DeliverooStockUpdateResult);
            })
            .WithMetadata(new SimulatedEndpoint(ChannelTypes.Deliveroo, SimulatedEndpoint.Push));
    }
}

internal sealed record DeliverooItemStock(
    [property: JsonPropertyName("item_id")] string ItemId,
    [property: JsonPropertyName("stock")] int Stock,
    [property: JsonPropertyName("status")] string Status);

internal sealed record DeliverooSiteStock(
    [property: JsonPropertyName("site_id")] string SiteId,
    [property: JsonPropertyName("items")] DeliverooItemStock[] Items);

internal sealed record DeliverooStockLine([property: JsonPropertyName("item_id")] string ItemId, [property: JsonPropertyName("stock")] int Stock);

internal sealed record DeliverooStockUpdate([property: JsonPropertyName("items")] DeliverooStockLine[]? Items);

internal sealed record DeliverooRejection([property: JsonPropertyName("item_id")] string ItemId, [property: JsonPropertyName("reason")] string Reason);

internal sealed record DeliverooStockUpdateResult(
    [property: JsonPropertyName("accepted")] string[] Accepted,
    [property: JsonPropertyName("rejected")] DeliverooRejection[] Rejected);
