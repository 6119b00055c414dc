using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace Fairlane.Agents.Channels;

/// <summary>
/// Wix Stores: camelCase JSON and a bearer token; inventory is read with a POST query filtering
/// <c>productId $in [...]</c> and written with a POST update, not through REST resources.
/// </summary>
public sealed class WixAdapter(HttpClient httpClient, ChannelResilience resilience, TimeProvider? timeProvider = null)
    : HttpChannelAdapter(httpClient, resilience, timeProvider)
{
    public const int BatchLimit = 100;

    public override string ChannelType => ChannelTypes.Wix;
    public override int MaxBatchSize => BatchLimit;

    protected override async Task<IEnumerable<KeyValuePair<string, int>>> ReadBatchAsync(
        ChannelConnection connection, string[] externalIds, CancellationToken cancellationToken)
    {
        var query = new WixQueryRequest(new WixQuery(new WixFilter(new WixInFilter(externalIds)), new WixPaging(externalIds.Length)));
        var request = new HttpRequestMessage(HttpMethod.Post, Endpoint(connection, "stores/v2/inventoryItems/query"))
        {
            Content = JsonContent.Create(query, ChannelJson.Default.WixQueryRequest),
        };
        var answer = await SendAsync(connection, ChannelOperations.Read, request, ChannelJson.Default.WixQueryResponse, cancellationToken);
        // An item whose quantity Wix does not track has no stock level to compare; leave it out.
        return (answer.InventoryItems ?? [])
            .Where(i => i.TrackQuantity && i.Quantity is not null)
            .Select(i => KeyValuePair.Create(i.ProductId, i.Quantity!.Value));
    }

    protected override async Task<IEnumerable<StockPushResult>> PushBatchAsync(
        ChannelConnection connection, StockPush[] batch, CancellationToken cancellationToken)
    {
        var update = new WixUpdateRequest(batch.Select(p => new WixStockUpdate(p.ExternalId, p.Quantity)).ToArray());
        var request = new HttpRequestMessage(HttpMethod.Post, Endpoint(connection, "stores/v2/inventoryItems/update"))
        {
            Content = JsonContent.Create(update, ChannelJson.Default.WixUpdateRequest),
        };
        var answer = await SendAsync(connection, ChannelOperations.Push, request, ChannelJson.Default.WixUpdateResponse, cancellationToken);
        return (answer.Results ?? []).Select(r => r.Success
            ? StockPushResult.Ok(r.ProductId)
            : StockPushResult.Rejected(r.ProductId, r.Error is { } e ? $"{e.Code}: {e.Description}" : "not updated"));
    }

    protected override void Authorize(HttpRequestMessage request, ChannelCredentials credentials) =>
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credentials.Secret);
}

internal sealed record WixQueryRequest([property: JsonPropertyName("query")] WixQuery Query);

internal sealed record WixQuery([property: JsonPropertyName("filter")] WixFilter Filter, [property: JsonPropertyName("paging")] WixPaging Paging);

internal sealed record WixFilter([property: JsonPropertyName("productId")] WixInFilter ProductId);

internal sealed record WixInFilter([property: JsonPropertyName("$in")] string[] In);

internal sealed record WixPaging([property: JsonPropertyName("limit")] int Limit);

internal sealed record WixInventoryItem(
    [property: JsonPropertyName("productId")] string ProductId,
    [property: JsonPropertyName("trackQuantity")] bool TrackQuantity,
    [property: JsonPropertyName("quantity")] int? Quantity);

internal sealed record WixQueryResponse([property: JsonPropertyName("inventoryItems")] WixInventoryItem[]? InventoryItems);

internal sealed record WixUpdateRequest([property: JsonPropertyName("inventoryItems")] WixStockUpdate[] InventoryItems);

internal sealed record WixStockUpdate([property: JsonPropertyName("productId")] string ProductId, [property: JsonPropertyName("quantity")] int Quantity);

internal sealed record WixUpdateResponse([property: JsonPropertyName("results")] WixUpdateResult[]? Results);

internal sealed record WixUpdateResult(
    [property: JsonPropertyName("productId")] string ProductId,
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("error")] WixError? Error);

internal sealed record WixError([property: JsonPropertyName("code")] string Code, [property: JsonPropertyName("description")] string Description);
