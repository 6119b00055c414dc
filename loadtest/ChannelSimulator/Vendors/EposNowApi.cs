using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Fairlane.ChannelSimulator.Vendors;

/// <summary>
/// Epos Now's shape: a REST API (v4), PascalCase JSON, the API key and secret as a Basic pair,
/// per-product stock resources plus a list form that takes up to <see cref="MaxBatch"/> ids.
/// </summary>
internal static class EposNowApi
{
    public const int MaxBatch = 50;

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/eposnow/{account}/api/v4");

        api.MapGet("/ProductStock/{productId}", (HttpContext context, string productId) =>
                context.SimulatedAccount().GetStock(productId) is { } stock
                    ? Results.Json(new EposNowStock(productId, stock), SimulatorJson.Default.EposNowStock)
                    : Results.Json(new SimulatorError($"product {productId} not found"), SimulatorJson.Default.SimulatorError, statusCode: 404))
            .WithMetadata(new SimulatedEndpoint(ChannelTypes.EposNow, SimulatedEndpoint.ReadOne));

        // GET /ProductStock?productIds=1,2,3 — the list form; unknown ids are left out of the answer.
        api.MapGet("/ProductStock", (HttpContext context, string? productIds) =>
            {
                var ids = (productIds ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (ids.Length > MaxBatch) return TooMany();
                var stock = context.SimulatedAccount().StockOf(ids).Select(s => new EposNowStock(s.Key, s.Value)).ToArray();
                return Results.Json(stock, SimulatorJson.Default.EposNowStockArray);
            })
            .WithMetadata(new SimulatedEndpoint(ChannelTypes.EposNow, SimulatedEndpoint.Read));

        api.MapPut("/ProductStock", (HttpContext context, EposNowStock[] lines) =>
            {
                if (lines.Length > MaxBatch) return TooMany();
                var account = context.SimulatedAccount();
                var results = lines.Select(l =>
                {
                    var update = account.TryUpdateStock(l.ProductId, l.CurrentStock);
                    return new EposNowUpdateResult(l.ProductId, update == StockUpdate.Updated, update.Reason());
                }).ToArray();
                return Results.Json(results, SimulatorJson.Default.EposNowUpdateResultArray);
            })
            .WithMetadata(new SimulatedEndpoint(ChannelTypes.EposNow, SimulatedEndpoint.Push));
    }

    private static IResult TooMany() =>
        Results.Json(new SimulatorError($"at most {MaxBatch} products per request"), SimulatorJson.Default.SimulatorError, statusCode: 400);
}

internal sealed record EposNowStock(
    [property: JsonPropertyName("ProductId")] string ProductId,
    [property: JsonPropertyName("CurrentStock")] int CurrentStock);

internal sealed record EposNowUpdateResult(
    [property: JsonPropertyName("ProductId")] string ProductId,
    [property: JsonPropertyName("Updated")] bool Updated,
    [property: JsonPropertyName("Message")] string? Message);
