using System.Text.Json;
using Fairlane.Agents.Alerting;
using Fairlane.Agents.Bus;
using Fairlane.Agents.Channels;
using Fairlane.Agents.Handling;
using Fairlane.Agents.Inventory;
using Fairlane.Agents.Outbox;
using Fairlane.Contracts.Events;
using Microsoft.Extensions.Logging;
using Fairlane.Agents.Storage;

namespace Fairlane.Agents.Sync;

/// <summary>
/// Pushes a product's stock, minus its buffer, to every mapped channel but the one the change came
/// from, with no transaction open while a channel answers: what to push is read in a short
/// transaction of its own, the channels are called after it committed, and the results are recorded
/// in the event's own transaction. Pushes are absolute quantities of the level read just before, so a
/// push repeated (a retry, a re-delivered event) is harmless. Each channel call goes through that
/// channel's resilience pipeline (retries with backoff, 429 Retry-After, circuit breaker); a channel
/// that still fails is recorded as failed, not retried here: the next change or the Guardian's
/// reconciliation brings it level. The results are stored on the sync event, refused credentials mark
/// the channel auth_failed (and a configuration that cannot be called, misconfigured: see
/// <see cref="TenantChannels"/>), unhealthy channels get an alert check, and the outcome is announced
/// on the event bus once committed.
/// </summary>
public sealed partial class SyncHandler(TenantDatabase database, ChannelStore channels, ChannelAdapters adapters, IEventBus bus,
    ILogger<SyncHandler> logger) : IEventHandler<SyncRequested>
{
    public string Agent => "sync";

    public async Task<object?> PrepareAsync(TypedEnvelope<SyncRequested> envelope, string tenantId, CancellationToken cancellationToken)
    {
        var request = envelope.Payload;
        SyncTarget? target = null;
        Dictionary<string, ChannelConnection> connections = [];
        await database.InTenantTransactionAsync(tenantId, async (c, tx, ct) =>
        {
            var context = new HandlerContext(c, tx, tenantId, default);
            target = await SyncStore.ReadTargetAsync(context, request.ProductId, request.OriginChannelId, ct);
            if (target is not null) connections = await TenantChannels.LoadAsync(channels, context, envelope.Id, logger, ct);
            return true;
        }, cancellationToken);
        if (target is null) return new SyncPlan(null, []);

        // Committed above: the channels are called with no transaction open.
        var results = new List<ChannelSyncResult>();
        foreach (var group in target.Items.GroupBy(i => i.ChannelId))
        {
            var pushes = group.Select(i => new StockPush(i.ExternalId, target.ChannelQuantity)).ToList();
            results.Add(await PushAsync(tenantId, connections.GetValueOrDefault(group.Key), group.Key, pushes, cancellationToken));
        }
        return new SyncPlan(target, results);
    }

    public async Task<Outcome> HandleAsync(TypedEnvelope<SyncRequested> envelope, HandlerContext context, CancellationToken cancellationToken)
    {
        var request = envelope.Payload;
        var (target, results) = context.Prepared as SyncPlan
            ?? throw new InvalidOperationException("A sync reached its transaction without its pushes; the pipeline must prepare it first.");
        if (target is null) return Outcome.Permanent($"product '{request.ProductId}' does not exist");

        foreach (var refused in results.Where(r => r.Outcome == SyncOutcomes.AuthFailed))
        {
            await ChannelStore.SetStatusAsync(context.Connection, context.Transaction, context.TenantId, refused.ChannelId, ChannelStatus.AuthFailed,
                cancellationToken);
        }
        var ok = results.Where(r => r.Outcome == SyncOutcomes.Ok).Select(r => r.ChannelId).ToList();
        await SyncStore.SetChannelStockAsync(context, target.ProductId, ok, target.ChannelQuantity, cancellationToken);
        var status = ok.Count == results.Count ? "completed" : ok.Count == 0 ? "failed" : "partial";
        var syncEventId = await SyncStore.RecordResultAsync(context, request.SyncEventId, target.ProductId, envelope.Id, request.OriginChannelId,
            target.ChannelQuantity, status, results, cancellationToken);
        await RequestChecksAsync(context, envelope.Id, results, cancellationToken);

        var notice = new SyncCompletedNotice(target.ProductId, syncEventId, status, target.ChannelQuantity, results);
        var published = new BusNotice(BusNotice.SyncCompleted, context.TenantId, DateTimeOffset.UtcNow,
            JsonSerializer.SerializeToElement(notice, AgentsJsonContext.Default.SyncCompletedNotice));
        context.AfterCommit.Add(ct => bus.PublishAsync(published, ct));
        return Outcome.Done;
    }

    /// <summary>What a sync read before it called the channels, and what each channel answered.</summary>
    private sealed record SyncPlan(SyncTarget? Target, List<ChannelSyncResult> Results);

    private async Task<ChannelSyncResult> PushAsync(string tenantId, ChannelConnection? channel, string channelId, List<StockPush> pushes,
        CancellationToken cancellationToken)
    {
        if (channel is null) return new ChannelSyncResult(channelId, SyncOutcomes.Failed, null, "the channel does not exist");
        if (channel.Status != ChannelStatus.Active)
            return new ChannelSyncResult(channelId, SyncOutcomes.Skipped, null,
                $"the channel is {channel.Status.ToName()}" + (channel.Problem is { } problem ? $": {problem}" : ""));
        if (!adapters.TryGet(channel.Type, out var adapter))
            return new ChannelSyncResult(channelId, SyncOutcomes.Failed, null, $"no adapter for channel type '{channel.Type}'");
        try
        {
            var pushed = await adapter.PushStockAsync(channel, pushes, cancellationToken);
            var refused = pushed.Where(p => !p.Accepted).ToList();
            return refused.Count == 0
                ? new ChannelSyncResult(channelId, SyncOutcomes.Ok, pushes[0].Quantity, null)
                : new ChannelSyncResult(channelId, SyncOutcomes.Rejected, pushes[0].Quantity,
                    string.Join("; ", refused.Select(r => $"{r.ExternalId}: {r.Error}")));
        }
        catch (ChannelAuthException ex)
        {
            LogAuthFailed(logger, tenantId, channelId, channel.Type, ex.Message);
            return new ChannelSyncResult(channelId, SyncOutcomes.AuthFailed, null, ex.Message);
        }
        catch (ChannelUnavailableException ex)
        {
            LogPushFailed(logger, tenantId, channelId, channel.Type, ex.Message);
            return new ChannelSyncResult(channelId, SyncOutcomes.CircuitOpen, null, ex.Message);
        }
        catch (ChannelException ex)
        {
            LogPushFailed(logger, tenantId, channelId, channel.Type, ex.Message);
            return new ChannelSyncResult(channelId, SyncOutcomes.Failed, null, ex.Message);
        }
    }

    // Exception messages of the channel layer name the channel and the HTTP status, never credentials.
    [LoggerMessage(Level = LogLevel.Error, Message = "Channel {Tenant}/{Channel} ({ChannelType}) refused its credentials; it is marked auth_failed: {Reason}")]
    private static partial void LogAuthFailed(ILogger logger, string tenant, string channel, string channelType, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pushing stock to channel {Tenant}/{Channel} ({ChannelType}) failed: {Reason}")]
    private static partial void LogPushFailed(ILogger logger, string tenant, string channel, string channelType, string reason);

    // A failing channel gets its health checked (opening alerts); a channel that works again after
    // an alert gets one too (resolving it). Ids derive from this event, so a replay asks once.
    private static async Task RequestChecksAsync(HandlerContext context, string eventId, List<ChannelSyncResult> results, CancellationToken ct)
    {
        var alerted = await AlertStore.OpenSubjectsAsync(context, AlertKinds.ChannelStatus, ct);
        alerted.UnionWith(await AlertStore.OpenSubjectsAsync(context, AlertKinds.SyncHealth, ct));
        foreach (var result in results.Where(r => r.Outcome is not (SyncOutcomes.Ok or SyncOutcomes.Skipped) || alerted.Contains(r.ChannelId)))
        {
            await OutboxWriter.AddAsync(context, EventCatalog.AlertCheck,
                new AlertCheck { Check = AlertKinds.All, ChannelId = result.ChannelId }, $"{eventId}.check.{result.ChannelId}", ct);
        }
    }
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
