using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Serialization;

namespace Fairlane.Agents.Channels;

/// <summary>
/// Epos Now: REST (v4) with PascalCase JSON; the API key and secret go as a Basic pair. Stock is read
/// through the product-stock list form (<c>?productIds=1,2,3</c>) and set with one PUT per batch.
/// </summary>
public sealed class EposNowAdapter(HttpClient httpClient, ChannelResilience resilience, TimeProvider? timeProvider = null)
    : HttpChannelAdapter(httpClient, resilience, timeProvider)
{
    public const int BatchLimit = 50;

    public override string ChannelType => ChannelTypes.EposNow;
    public override int MaxBatchSize => BatchLimit;

    protected override async Task<IEnumerable<KeyValuePair<string, int>>> ReadBatchAsync(
        ChannelConnection connection, string[] externalIds, CancellationToken cancellationToken)
    {
        // The list form separates ids with commas, so an id containing one cannot be asked for (Epos Now ids are numbers).
        if (externalIds.FirstOrDefault(id => id.Contains(',', StringComparison.Ordinal)) is { } bad)
        {
            throw new ArgumentException($"Epos Now product id '{bad}' contains a comma; check the product mapping of channel {connection}.", nameof(externalIds));
        }
        var ids = string.Join(',', externalIds.Select(Uri.EscapeDataString));
        var request = new HttpRequestMessage(HttpMethod.Get, Endpoint(connection, "api/v4/ProductStock?productIds=" + ids));
        var stock = await SendAsync(connection, ChannelOperations.Read, request, ChannelJson.Default.EposNowStockArray, cancellationToken);
        return stock.Select(s => KeyValuePair.Create(s.ProductId, s.CurrentStock));
    }

    protected override async Task<IEnumerable<StockPushResult>> PushBatchAsync(
        ChannelConnection connection, StockPush[] batch, CancellationToken cancellationToken)
    {
        var lines = batch.Select(p => new EposNowStock(p.ExternalId, p.Quantity)).ToArray();
        var request = new HttpRequestMessage(HttpMethod.Put, Endpoint(connection, "api/v4/ProductStock"))
        {
            Content = JsonContent.Create(lines, ChannelJson.Default.EposNowStockArray),
        };
        var results = await SendAsync(connection, ChannelOperations.Push, request, ChannelJson.Default.EposNowUpdateResultArray, cancellationToken);
        return results.Select(r => r.Updated
            ? StockPushResult.Ok(r.ProductId)
            : StockPushResult.Rejected(r.ProductId, r.Message ?? "not updated"));
    }

    protected override void Authorize(HttpRequestMessage request, ChannelCredentials credentials) =>
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.ApiKey}:{credentials.Secret}")));
}

internal sealed record EposNowStock(
    [property: JsonPropertyName("ProductId")] string ProductId,
    [property: JsonPropertyName("CurrentStock")] int CurrentStock);

internal sealed record EposNowUpdateResult(
    [property: JsonPropertyName("ProductId")] string ProductId,
    [property: JsonPropertyName("Updated")] bool Updated,
    [property: JsonPropertyName("Message")] string? Message);
