using Fairlane.Agents.Alerting;
using Fairlane.Agents.Channels;
using Fairlane.Agents.Handling;
using Fairlane.Agents.Outbox;
using Fairlane.Agents.Storage;
using Fairlane.Contracts.Events;
using Microsoft.Extensions.Logging;

namespace Fairlane.Agents.Guardian;

/// <summary>
/// Reconciles one tenant for a Guardian run: reads every mapped item's stock from its channel in
/// the batches the channel allows, compares it with what the channel should show (internal stock
/// minus buffer), repairs small drift by requesting a sync of the product (a fenced outbox event:
/// the push happens in Sync) and alerts on drift above the threshold. The whole transaction is
/// fenced by the run's epoch: a job of a superseded leader writes nothing.
/// </summary>
public sealed partial class ReconcileHandler(ChannelStore channels, ChannelAdapters adapters, AlertStore alerts, IGuardianObserver observer,
    ILogger<ReconcileHandler> logger) : IEventHandler
{
    public string Agent => "guardian";
    public string EventType => EventTypes.ReconcileTenant;

    public async Task<HandlerOutcome> HandleAsync(EventEnvelope envelope, HandlerContext context, CancellationToken cancellationToken)
    {
        var job = EnvelopeCodec.ReadPayload(envelope, FairlaneJsonContext.Default.ReconcileTenant);
        if (!await GuardianFence.HoldsAsync(context.Connection, context.Transaction, job.Epoch, cancellationToken))
        {
            observer.Fenced();
            LogFenced(logger, context.TenantId, job.RunId, job.Epoch);
            return HandlerOutcome.Done;
        }

        var items = await ReconcileStore.ReadItemsAsync(context, cancellationToken);
        // Misconfigured channels come back non-active, so ReadChannelAsync skips them like any other.
        var connections = await TenantChannels.LoadAsync(channels, context, envelope.Id, logger, cancellationToken);
        var readings = new List<(ReconcileItem Item, int Observed)>();
        foreach (var group in items.GroupBy(i => i.ChannelId))
            readings.AddRange(await ReadChannelAsync(context, connections.GetValueOrDefault(group.Key), group.ToList(), cancellationToken));

        var openDrift = await AlertStore.OpenSubjectsAsync(context, AlertKinds.Drift, cancellationToken);
        var toRepair = new SortedSet<string>(StringComparer.Ordinal);
        var (repairs, driftAlerts) = (0, 0);
        foreach (var (item, observed) in readings)
        {
            var drift = observed - item.Expected;
            var subject = $"{item.ChannelId}/{item.ExternalId}";
            if (Math.Abs(drift) > job.DriftThreshold)
            {
                var alert = await alerts.RaiseAsync(context, AlertKinds.Drift, subject, "warning",
                    $"channel '{item.ChannelId}' shows {observed} of product '{item.ProductId}' (item '{item.ExternalId}'), expected {item.Expected}: drift {drift:+#;-#} is over the threshold of {job.DriftThreshold}",
                    cancellationToken);
                if (alert is not null) driftAlerts++;
                continue;
            }
            if (drift != 0)
            {
                toRepair.Add(item.ProductId);
                repairs++;
            }
            if (openDrift.Contains(subject)) await AlertStore.ResolveAsync(context, AlertKinds.Drift, subject, cancellationToken);
        }
        foreach (var productId in toRepair)
        {
            await OutboxWriter.AddAsync(context, "sync", EnvelopeCodec.Create(context.TenantId, EventTypes.SyncRequested,
                new SyncRequested { ProductId = productId, Reason = "guardian-repair" }, FairlaneJsonContext.Default.SyncRequested,
                id: $"{envelope.Id}.repair.{productId}"), cancellationToken);
        }
        await ReconcileStore.SetObservedAsync(context, readings, cancellationToken);
        await ReconcileStore.AddToRunAsync(context, job.RunId, job.Epoch, readings.Count, repairs, driftAlerts, cancellationToken);
        observer.Reconciled(readings.Count, repairs, driftAlerts);
        return HandlerOutcome.Done;
    }

    // A channel that cannot be read now is skipped this run (its breaker and alerts speak for it).
    private async Task<IEnumerable<(ReconcileItem, int)>> ReadChannelAsync(HandlerContext context, ChannelConnection? channel,
        List<ReconcileItem> items, CancellationToken cancellationToken)
    {
        if (channel is null || channel.Status != ChannelStatus.Active || !adapters.TryGet(channel.Type, out var adapter)) return [];
        try
        {
            var stock = await adapter.ReadStockAsync(channel, items.Select(i => i.ExternalId).ToList(), cancellationToken);
            return items.Where(i => stock.ContainsKey(i.ExternalId)).Select(i => (i, stock[i.ExternalId]));
        }
        catch (ChannelException ex)
        {
            LogReadFailed(logger, context.TenantId, channel.ChannelId, ex.Message);
            return [];
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconcile job of run {RunId} for {Tenant} carries epoch {Epoch}, which a newer leader superseded; nothing written")]
    private static partial void LogFenced(ILogger logger, string tenant, Guid runId, long epoch);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read stock of channel {Tenant}/{Channel} for reconciliation: {Reason}")]
    private static partial void LogReadFailed(ILogger logger, string tenant, string channel, string reason);
}
