using Fairlane.Agents.Bus;
using Fairlane.Agents.Channels;
using Fairlane.Agents.Inventory;
using Microsoft.Extensions.Logging;

namespace Fairlane.Agents.Sync;

public sealed partial class SyncPusher
{
    /// <summary>
    /// Pushes one channel's share of a pass in the channel's batch size, a few calls at once, and
    /// returns one result per product: ok only if the channel took every item of the product.
    /// </summary>
    private async Task<List<(string ProductId, ChannelSyncResult Result)>> PushChannelAsync(string tenantId, ChannelConnection? channel,
        string channelId, List<(SyncTarget Target, string ExternalId)> share, CancellationToken cancellationToken)
    {
        if (Unpushable(channel, channelId) is { } unpushable)
            return share.Select(s => s.Target.ProductId).Distinct().Select(p => (p, unpushable)).ToList();
        var adapter = adapters.TryGet(channel!.Type, out var found) ? found : throw new InvalidOperationException("checked by Unpushable");

        using var gate = new SemaphoreSlim(options.ChannelConcurrency);
        var chunks = share.Chunk(Math.Max(1, adapter.MaxBatchSize)).Select(async chunk =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                return await PushChunkAsync(tenantId, adapter, channel, channelId, chunk, cancellationToken);
            }
            finally
            {
                gate.Release();
            }
        });
        var items = (await Task.WhenAll(chunks)).SelectMany(c => c);
        return items.GroupBy(i => i.Target.ProductId)
            .Select(product => (product.Key, Combine(channelId, product.First().Target.ChannelQuantity, product.Select(i => i.Outcome).ToList())))
            .ToList();
    }

    private ChannelSyncResult? Unpushable(ChannelConnection? channel, string channelId)
    {
        if (channel is null) return new ChannelSyncResult(channelId, SyncOutcomes.Failed, null, "the channel does not exist");
        if (channel.Status != ChannelStatus.Active)
        {
            return new ChannelSyncResult(channelId, SyncOutcomes.Skipped, null,
                $"the channel is {channel.Status.ToName()}" + (channel.Problem is { } problem ? $": {problem}" : ""));
        }
        return adapters.TryGet(channel.Type, out _) ? null
            : new ChannelSyncResult(channelId, SyncOutcomes.Failed, null, $"no adapter for channel type '{channel.Type}'");
    }

    /// <summary>What happened to one pushed item: its outcome and, when the channel refused it, why.</summary>
    private readonly record struct ItemOutcome(string Outcome, string? Error);

    private async Task<List<(SyncTarget Target, ItemOutcome Outcome)>> PushChunkAsync(string tenantId, IChannelAdapter adapter,
        ChannelConnection channel, string channelId, (SyncTarget Target, string ExternalId)[] chunk, CancellationToken cancellationToken)
    {
        ItemOutcome failure;
        try
        {
            var results = await adapter.PushStockAsync(channel, chunk.Select(i => new StockPush(i.ExternalId, i.Target.ChannelQuantity)).ToList(),
                cancellationToken);
            var byItem = results.ToDictionary(r => r.ExternalId, StringComparer.Ordinal);
            return chunk.Select(i => (i.Target, byItem.TryGetValue(i.ExternalId, out var r) && !r.Accepted
                ? new ItemOutcome(SyncOutcomes.Rejected, $"{i.ExternalId}: {r.Error}")
                : new ItemOutcome(SyncOutcomes.Ok, null))).ToList();
        }
        catch (ChannelAuthException ex)
        {
            LogAuthFailed(logger, tenantId, channelId, channel.Type, ex.Message);
            failure = new ItemOutcome(SyncOutcomes.AuthFailed, ex.Message);
        }
        catch (ChannelUnavailableException ex)
        {
            LogPushFailed(logger, tenantId, channelId, channel.Type, ex.Message);
            failure = new ItemOutcome(SyncOutcomes.CircuitOpen, ex.Message);
        }
        catch (ChannelException ex)
        {
            LogPushFailed(logger, tenantId, channelId, channel.Type, ex.Message);
            failure = new ItemOutcome(SyncOutcomes.Failed, ex.Message);
        }
        return chunk.Select(i => (i.Target, failure)).ToList();
    }

    // A product's items on one channel: the first failure wins (auth before breaker before failed), then
    // refusals with every refused item named, else ok.
    private static ChannelSyncResult Combine(string channelId, int quantity, List<ItemOutcome> outcomes)
    {
        foreach (var severe in new[] { SyncOutcomes.AuthFailed, SyncOutcomes.CircuitOpen, SyncOutcomes.Failed })
        {
            if (outcomes.FirstOrDefault(o => o.Outcome == severe) is { Outcome: not null } failed)
                return new ChannelSyncResult(channelId, severe, null, failed.Error);
        }
        var refused = outcomes.Where(o => o.Outcome == SyncOutcomes.Rejected).Select(o => o.Error).ToList();
        return refused.Count > 0
            ? new ChannelSyncResult(channelId, SyncOutcomes.Rejected, quantity, string.Join("; ", refused))
            : new ChannelSyncResult(channelId, SyncOutcomes.Ok, quantity, null);
    }

    // Exception messages of the channel layer name the channel and the HTTP status, never credentials.
    [LoggerMessage(Level = LogLevel.Error, Message = "Channel {Tenant}/{Channel} ({ChannelType}) refused its credentials; it is marked auth_failed: {Reason}")]
    private static partial void LogAuthFailed(ILogger logger, string tenant, string channel, string channelType, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pushing stock to channel {Tenant}/{Channel} ({ChannelType}) failed: {Reason}")]
    private static partial void LogPushFailed(ILogger logger, string tenant, string channel, string channelType, string reason);
}

/// <summary>How pushing to one channel ended, as recorded in sync_events.results.</summary>
public static class SyncOutcomes
{
    public const string Ok = "ok";
    public const string Rejected = "rejected";
    public const string Failed = "failed";
    public const string CircuitOpen = "circuit_open";
    public const string AuthFailed = "auth_failed";
    public const string Skipped = "skipped";
}
