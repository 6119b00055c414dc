using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace Fairlane.Agents.Channels;

/// <summary>
/// Deliveroo: snake_case JSON and a bearer token, one site's menu per channel. A read fetches the
/// whole site's item stock in one call (the API has no per-item lookup); a push PUTs batches and the
/// answer lists accepted and rejected items.
/// </summary>
public sealed class DeliverooAdapter(HttpClient httpClient, ChannelResilience resilience, TimeProvider? timeProvider = null)
    : HttpChannelAdapter(httpClient, resilience, timeProvider)
{
    public const int BatchLimit = 200;

    public override string ChannelType => ChannelTypes.Deliveroo;
    public override int MaxBatchSize => BatchLimit;

    // One snapshot of the site answers any number of ids.
    protected override IEnumerable<string[]> ReadBatches(string[] externalIds) => externalIds.Length == 0 ? [] : [externalIds];

    protected override async Task<IEnumerable<KeyValuePair<string, int>>> ReadBatchAsync(
        ChannelConnection connection, string[] externalIds, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, Endpoint(connection, "site/v1/menu/item_stock"));
        var site = await SendAsync(connection, ChannelOperations.Read, request, ChannelJson.Default.DeliverooSiteStock, cancellationToken);
        return (site.Items ?? []).Select(i => KeyValuePair.Create(i.ItemId, i.Stock));
    }

    protected override async Task<IEnumerable<StockPushResult>> PushBatchAsync(
        ChannelConnection connection, StockPush[] batch, CancellationToken cancellationToken)
    {
        var update = new DeliverooStockUpdate(batch.Select(p => new DeliverooStockLine(p.ExternalId, p.Quantity)).ToArray());
        var request = new HttpRequestMessage(HttpMethod.Put, Endpoint(connection, "site/v1/menu/item_stock"))
        {
            Content = JsonContent.Create(update, ChannelJson.Default.DeliverooStockUpdate),
        };
        var answer = await SendAsync(connection, ChannelOperations.Push, request, ChannelJson.Default.DeliverooStockUpdateResult, cancellationToken);
        return (answer.Accepted ?? []).Select(StockPushResult.Ok)
            .Concat((answer.Rejected ?? []).Select(r => StockPushResult.Rejected(r.ItemId, r.Reason)));
    }

    protected override void Authorize(HttpRequestMessage request, ChannelCredentials credentials) =>
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credentials.Secret);
}

internal sealed record DeliverooItemStock([property: JsonPropertyName("item_id")] string ItemId, [property: JsonPropertyName("stock")] int Stock);

internal sealed record DeliverooSiteStock([property: JsonPropertyName("items")] DeliverooItemStock[]? Items);

internal sealed record DeliverooStockLine([property: JsonPropertyName("item_id")] string ItemId, [property: JsonPropertyName("stock")] int Stock);

internal sealed record DeliverooStockUpdate([property: JsonPropertyName("items")] DeliverooStockLine[] Items);

internal sealed record DeliverooRejection([property: JsonPropertyName("item_id")] string ItemId, [property: JsonPropertyName("reason")] string Reason);

internal sealed record DeliverooStockUpdateResult(
    [property: JsonPropertyName("accepted")] string[]? Accepted,
    [property: JsonPropertyName("rejected")] DeliverooRejection[]? Rejected);
