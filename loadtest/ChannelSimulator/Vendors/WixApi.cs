using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Fairlane.ChannelSimulator.Vendors;

/// <summary>
/// Wix Stores' shape: camelCase JSON, a bearer token, and POST "query" and "update" calls over
/// inventory items rather than REST resources; a query filters with <c>productId $in [...]</c>.
/// </summary>
internal static class WixApi
{
    public const int MaxBatch = 100;

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/wix/{account}/stores/v2/inventoryItems");

        api.MapPost("/query", (HttpContext context, WixQueryRequest request) =>
            {
                var ids = request.Query?.Filter?.ProductId?.In ?? [];
                if (ids.Length > MaxBatch) return TooMany();
                var items = context.SimulatedAccount().StockOf(ids)
                    .Select(s => new WixInventoryItem(s.Key, TrackQuantity: true, s.Value, InStock: s.Value > 0))
                    .ToArray();
                return Results.Json(new WixQueryResponse(items, items.Length), SimulatorJson.Default.WixQueryResponse);
            })
            .WithMetadata(new SimulatedEndpoint(ChannelTypes.Wix, SimulatedEndpoint.Read));

        api.MapPost("/update", (HttpContext context, WixUpdateRequest request) =>
            {
                var lines = request.InventoryItems ?? [];
                if (lines.Length > MaxBatch) return TooMany();
                var account = context.SimulatedAccount();
                var results = lines.Select(l => account.TryUpdateStock(l.ProductId, l.Quantity) switch
                {
                    StockUpdate.Updated => new WixUpdateResult(l.ProductId, true, null),
                    StockUpdate.NotFound => new WixUpdateResult(l.ProductId, false, new WixError("NOT_FOUND", "inventory item not found")),
                    var other => new WixUpdateResult(l.ProductId, false, new WixError("INVALID_ARGUMENT", other.Reason()!)),
                }).ToArray();
                return Results.Json(new WixUpdateResponse(results), SimulatorJson.Default.WixUpdateResponse);
            })
            .WithMetadata(new SimulatedEndpoint(ChannelTypes.Wix, SimulatedEndpoint.Push));
    }

    private static IResult TooMany() =>
        Results.Json(new SimulatorError($"at most {MaxBatch} inventory items per request"), SimulatorJson.Default.SimulatorError, statusCode: 400);
}

internal sealed record WixQueryRequest([property: JsonPropertyName("query")] WixQuery? Query);

internal sealed record WixQuery([property: JsonPropertyName("filter")] WixFilter? Filter, [property: JsonPropertyName("paging")] WixPaging? Paging);

internal sealed record WixFilter([property: JsonPropertyName("productId")] WixInFilter? ProductId);

internal sealed record WixInFilter([property: JsonPropertyName("$in")] string[]? In);

internal sealed record WixPaging([property: JsonPropertyName("limit")] int Limit);

internal sealed record WixInventoryItem(
    [property: JsonPropertyName("productId")] string ProductId,
    [property: JsonPropertyName("trackQuantity")] bool TrackQuantity,
    [property: JsonPropertyName("quantity")] int Quantity,
    [property: JsonPropertyName("inStock")] bool InStock);

internal sealed record WixQueryResponse(
    [property: JsonPropertyName("inventoryItems")] WixInventoryItem[] InventoryItems,
    [property: JsonPropertyName("totalResults")] int TotalResults);

internal sealed record WixUpdateRequest([property: JsonPropertyName("inventoryItems")] WixStockUpdate[]? InventoryItems);

internal sealed record WixStockUpdate([property: JsonPropertyName("productId")] string ProductId, [property: JsonPropertyName("quantity")] int Quantity);

internal sealed record WixUpdateResponse([property: JsonPropertyName("results")] WixUpdateResult[] Results);

internal sealed record WixUpdateResult(
    [property: JsonPropertyName("productId")] string ProductId,
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("error")] WixError? Error);

internal sealed record WixError([property: JsonPropertyName("code")] string Code, [property: JsonPropertyName("description")] string Description);
