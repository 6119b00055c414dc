using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Fairlane.Agents.Channels;

/// <summary>
/// What every HTTP channel adapter shares: splitting work into batches the channel accepts, running
/// each batch call through the channel's resilience pipeline (so a retry resends one batch, not the
/// whole operation), and turning HTTP failures into <see cref="ChannelException"/>s. A subclass only
/// knows its vendor's routes, JSON and authentication.
/// </summary>
/// <remarks>
/// The <see cref="HttpClient"/> is shared by every tenant (requests carry absolute URLs and their own
/// credentials), so it suits <c>IHttpClientFactory</c>'s typed clients. Leave its own Timeout long: the
/// pipeline's per-attempt timeout (<see cref="ChannelResilienceOptions.AttemptTimeoutMs"/>) governs.
/// </remarks>
public abstract class HttpChannelAdapter(HttpClient httpClient, ChannelResilience resilience, TimeProvider? timeProvider = null) : IChannelAdapter
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public abstract string ChannelType { get; }
    public abstract int MaxBatchSize { get; }

    public async Task<IReadOnlyDictionary<string, int>> ReadStockAsync(
        ChannelConnection connection, IReadOnlyList<string> externalIds, CancellationToken cancellationToken)
    {
        EnsureServes(connection);
        var wanted = externalIds.ToHashSet(StringComparer.Ordinal);
        var stock = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var batch in ReadBatches([.. wanted]))
        {
            var read = await resilience.ExecuteAsync(connection, ChannelOperations.Read,
                token => ReadBatchAsync(connection, batch, token), cancellationToken);
            foreach (var (id, quantity) in read)
            {
                if (wanted.Contains(id)) stock[id] = quantity;
            }
        }
        return stock;
    }

    public async Task<IReadOnlyList<StockPushResult>> PushStockAsync(
        ChannelConnection connection, IReadOnlyList<StockPush> pushes, CancellationToken cancellationToken)
    {
        EnsureServes(connection);
        // The last push of an id is the newest intent; sending older ones as well would only race it.
        var latest = new Dictionary<string, StockPush>(StringComparer.Ordinal);
        foreach (var push in pushes) latest[push.ExternalId] = push;

        var results = new List<StockPushResult>(latest.Count);
        foreach (var batch in latest.Values.Chunk(MaxBatchSize))
        {
            var answered = await resilience.ExecuteAsync(connection, ChannelOperations.Push,
                token => PushBatchAsync(connection, batch, token), cancellationToken);
            var byId = answered.ToDictionary(r => r.ExternalId, StringComparer.Ordinal);
            results.AddRange(batch.Select(p => byId.GetValueOrDefault(p.ExternalId)
                ?? StockPushResult.Rejected(p.ExternalId, "the channel did not report this item")));
        }
        return results;
    }

    /// <summary>How the ids of one read are split into calls; by default into chunks of <see cref="MaxBatchSize"/>.</summary>
    protected virtual IEnumerable<string[]> ReadBatches(string[] externalIds) => externalIds.Chunk(MaxBatchSize);

    /// <summary>One read call. It may return items that were not asked for; they are dropped.</summary>
    protected abstract Task<IEnumerable<KeyValuePair<string, int>>> ReadBatchAsync(ChannelConnection connection, string[] externalIds, CancellationToken cancellationToken);

    /// <summary>One push call of at most <see cref="MaxBatchSize"/> items.</summary>
    protected abstract Task<IEnumerable<StockPushResult>> PushBatchAsync(ChannelConnection connection, StockPush[] batch, CancellationToken cancellationToken);

    /// <summary>Adds the vendor's authentication to a request.</summary>
    protected abstract void Authorize(HttpRequestMessage request, ChannelCredentials credentials);

    /// <summary>Sends a request and reads its JSON answer, or throws the <see cref="ChannelException"/> its status calls for.</summary>
    protected async Task<TResponse> SendAsync<TResponse>(
        ChannelConnection connection, string operation, HttpRequestMessage request, JsonTypeInfo<TResponse> responseType,
        CancellationToken cancellationToken)
    {
        using (request)
        {
            Authorize(request, connection.Credentials);
            using var response = await httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw await ChannelErrors.FromResponseAsync(connection, operation, response, _time, cancellationToken);
            }
            try
            {
                return await response.Content.ReadFromJsonAsync(responseType, cancellationToken)
                    ?? throw ChannelErrors.BadAnswer(connection, operation, null);
            }
            catch (JsonException ex)
            {
                throw ChannelErrors.BadAnswer(connection, operation, ex);
            }
        }
    }

    /// <summary>An absolute URL under the channel's base URL, whether or not the base ends in '/'.</summary>
    protected static Uri Endpoint(ChannelConnection connection, string relativePath)
    {
        var root = connection.BaseUrl.AbsoluteUri;
        return new Uri(root.EndsWith('/') ? root + relativePath : root + "/" + relativePath, UriKind.Absolute);
    }

    private void EnsureServes(ChannelConnection connection)
    {
        if (!string.Equals(connection.Type, ChannelType, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The {ChannelType} adapter cannot call channel {connection}, which is a {connection.Type} channel.", nameof(connection));
        }
    }
}
