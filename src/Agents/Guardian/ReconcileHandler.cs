using Fairlane.Agents.Alerting;
using Fairlane.Agents.Channels;
using Fairlane.Agents.Handling;
using Fairlane.Agents.Outbox;
using Fairlane.Agents.Storage;
using Fairlane.Contracts.Events;
using Microsoft.Extensions.Logging;
using Fairlane.Agents.Tenants;
using Fairlane.Agents.Inventory;

namespace Fairlane.Agents.Guardian;

/// <summary>
/// Reconciles one tenant for a Guardian run in two steps, so no transaction ever waits on a channel
/// (DESIGN §3, §6). First, outside the event's transaction, it reads the tenant's mapped items and
/// channels in a short transaction, then every channel's stock in the batches the channel allows.
/// Then, in the event's transaction fenced by the run's epoch, it compares what each channel showed
/// with what it should show (internal stock, read again, minus buffer), repairs small drift by
/// requesting a sync of the product (a fenced outbox event: the push happens in Sync) and alerts on
/// drift above the threshold. A job of a superseded leader writes nothing. A job that ends as a dead
/// letter, or finds its tenant held (paused or over budget since the fan-out), counts its tenant as
/// failed on its run, so the run still ends.
/// </summary>
public sealed partial class ReconcileHandler(TenantDatabase database, ChannelStore channels, ChannelAdapters adapters, AlertStore alerts,
    IGuardianObserver observer, ILogger<ReconcileHandler> logger) : IEventHandler<ReconcileTenant>, IDeadLetterAware<ReconcileTenant>
{
    public string Agent => "guardian";

    // A held tenant is not reconciled, but its job must end: waiting in the park would keep the run open.
    public bool WaitsWhileTenantHeld => false;

    public async Task<object?> PrepareAsync(TypedEnvelope<ReconcileTenant> envelope, string tenantId, CancellationToken cancellationToken)
    {
        var job = envelope.Payload;
        List<ReconcileItem>? items = null;
        Dictionary<string, ChannelConnection> connections = [];
        await database.InTenantTransactionAsync(tenantId, async (c, tx, ct) =>
        {
            if (!await GuardianFence.HoldsAsync(c, tx, job.Epoch, ct)) return false;
            if ((await TenantRecord.ReadAsync(c, tx, tenantId, ct))?.IsHeld == true) return false; // not read: counted failed below
            var context = new HandlerContext(c, tx, tenantId, default);
            items = await ReconcileStore.ReadItemsAsync(context, ct);
            // Misconfigured channels come back non-active, so ReadChannelAsync skips them like any other.
            connections = await TenantChannels.LoadAsync(channels, context, envelope.Id, logger, ct);
            return true;
        }, cancellationToken);
        if (items is null) return ChannelReadings.None; // superseded or held: the fenced transaction will say so

        // Committed above: the channels are called with no transaction open.

        var observed = new Dictionary<(string, string), int>();
        foreach (var group in items.GroupBy(i => i.ChannelId))
        {
            foreach (var (externalId, stock) in await ReadChannelAsync(tenantId, connections.GetValueOrDefault(group.Key), group.ToList(), cancellationToken))
                observed[(group.Key, externalId)] = stock;
        }
        return new ChannelReadings(observed);
    }

    public async Task<Outcome> HandleAsync(TypedEnvelope<ReconcileTenant> envelope, HandlerContext context, CancellationToken cancellationToken)
    {
        var job = envelope.Payload;
        var shown = (context.Prepared as ChannelReadings
            ?? throw new InvalidOperationException("A reconcile job reached its transaction without its channel readings; the pipeline must prepare it first.")).Observed;
        if (!await GuardianFence.HoldsAsync(context.Connection, context.Transaction, job.Epoch, cancellationToken))
        {
            observer.Fenced();
            LogFenced(logger, context.TenantId, job.RunId, job.Epoch);
            return Outcome.Done;
        }
        // Paused or over budget since the fan-out: nothing is reconciled or pushed for it this run.
        if ((await TenantRecord.ReadAsync(context.Connection, context.Transaction, context.TenantId, cancellationToken))?.IsHeld == true)
        {
            await CountFailedAsync(job, context, "held", cancellationToken);
            return Outcome.Done;
        }

        // Internal stock is read again under the fence: it may have moved while the channels answered.
        var readings = (await ReconcileStore.ReadItemsAsync(context, cancellationToken))
            .Where(i => shown.ContainsKey((i.ChannelId, i.ExternalId)))
            .Select(i => (Item: i, Observed: shown[(i.ChannelId, i.ExternalId)]))
            .ToList();

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
            await OutboxWriter.AddAsync(context, EventCatalog.SyncRequested,
                new SyncRequested { ProductId = productId, Reason = "guardian-repair" }, $"{envelope.Id}.repair.{productId}", cancellationToken);
        }
        await InventoryStore.RecordChannelStockAsync(context, readings.Select(r => (r.Item.ChannelId, r.Item.ExternalId, r.Observed)).ToList(), cancellationToken);
        await ReconcileStore.AddToRunAsync(context, job.RunId, job.Epoch, readings.Count, repairs, driftAlerts, cancellationToken);
        observer.Reconciled(readings.Count, repairs, driftAlerts);
        return Outcome.Done;
    }

    /// <summary>Counts the tenant as failed on its run, once per job, fenced like every Guardian write.</summary>
    public async Task DeadLetteredAsync(TypedEnvelope<ReconcileTenant> envelope, HandlerContext context, CancellationToken cancellationToken)
    {
        var job = envelope.Payload; // decoded at intake: an unreadable job was dead-lettered there and never reaches this
        if (!await GuardianFence.HoldsAsync(context.Connection, context.Transaction, job.Epoch, cancellationToken))
        {
            observer.Fenced();
            return;
        }
        await CountFailedAsync(job, context, "dead-lettered", cancellationToken);
    }

    // Counted once: a held job through the event's own ledger mark, a dead letter through the sink's.
    private async Task CountFailedAsync(ReconcileTenant job, HandlerContext context, string why, CancellationToken cancellationToken)
    {
        if (!await ReconcileStore.AddFailureToRunAsync(context, job.RunId, job.Epoch, cancellationToken)) return;
        observer.Failed();
        LogFailed(logger, context.TenantId, job.RunId, why);
    }

    // A channel that cannot be read now is skipped this run (its breaker and alerts speak for it).
    private async Task<IReadOnlyDictionary<string, int>> ReadChannelAsync(string tenantId, ChannelConnection? channel,
        List<ReconcileItem> items, CancellationToken cancellationToken)
    {
        if (channel is null || channel.Status != ChannelStatus.Active || !adapters.TryGet(channel.Type, out var adapter))
            return new Dictionary<string, int>();
        try
        {
            return await adapter.ReadStockAsync(channel, items.Select(i => i.ExternalId).ToList(), cancellationToken);
        }
        catch (ChannelException ex)
        {
            LogReadFailed(logger, tenantId, channel.ChannelId, ex.Message);
            return new Dictionary<string, int>();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconcile job of run {RunId} for {Tenant} carries epoch {Epoch}, which a newer leader superseded; nothing written")]
    private static partial void LogFenced(ILogger logger, string tenant, Guid runId, long epoch);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconcile job of run {RunId} for {Tenant} ended unreconciled ({Why}); the tenant counts as failed on the run")]
    private static partial void LogFailed(ILogger logger, string tenant, Guid runId, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read stock of channel {Tenant}/{Channel} for reconciliation: {Reason}")]
    private static partial void LogReadFailed(ILogger logger, string tenant, string channel, string reason);
}
