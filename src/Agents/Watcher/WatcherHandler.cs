using Fairlane.Agents.Alerting;
using Fairlane.Agents.Handling;
using Fairlane.Agents.Inventory;
using Fairlane.Agents.Outbox;
using Fairlane.Agents.Sync;
using Fairlane.Contracts.Events;

namespace Fairlane.Agents.Watcher;

/// <summary>
/// A channel reported a stock change: map its item to the product, apply the change unless it is
/// stale, record the sync it needs and hand the product to Sync (marked pending, or sync.requested
/// through the outbox, by <see cref="SyncPushOptions.Handoff"/>), all in the event's transaction. A run
/// of reports reads its items once and writes once (<see cref="WatcherRun"/>). Stale or repeated
/// reports (by the channel's sequence, or its time when it has none) change nothing, so stock never
/// moves backwards. An unmapped item raises an alert once and is not retried: no amount of retrying maps it.
/// </summary>
public sealed class WatcherHandler(AlertStore alerts, WatcherSyncHandoff handoff) : IEventHandler<StockChanged>, IRunLocker
{
    public string Agent => "watcher";

    /// <summary>A run's items and their products, read and locked in product order before the first report is applied.</summary>
    public Task LockAsync(IReadOnlyList<TypedEnvelope> envelopes, HandlerContext context, CancellationToken cancellationToken) =>
        WatcherRun.For(context, handoff).ReadAsync(
            envelopes.Select(e => e.As<StockChanged>().Payload).Select(c => (c.ChannelId, c.ExternalId)).ToList(), envelopes.Count, cancellationToken);

    public async Task<Outcome> HandleAsync(TypedEnvelope<StockChanged> envelope, HandlerContext context, CancellationToken cancellationToken)
    {
        var change = envelope.Payload;
        if (change.Quantity is null == change.Delta is null)
            return Outcome.Permanent("a stock change needs exactly one of quantity and delta");

        // A flood of reports for an unmapped item (a misconfigured channel) raises its alert once per transaction.
        var unmapped = $"watcher.unmapped:{change.ChannelId}/{change.ExternalId}";
        if (context.TransactionState.ContainsKey(unmapped)) return Outcome.Done;
        var run = WatcherRun.For(context, handoff);
        var item = await run.FindAsync(change.ChannelId, change.ExternalId, cancellationToken);
        if (item is null)
        {
            await alerts.RaiseAsync(context, AlertKinds.UnknownMapping, $"{change.ChannelId}/{change.ExternalId}", "warning",
                $"{change.ChannelType} channel '{change.ChannelId}' reported item '{change.ExternalId}', which maps to no product", cancellationToken);
            context.TransactionState[unmapped] = true;
            return Outcome.Done;
        }
        if (IsStale(change, envelope.OccurredAt, item)) return Outcome.Done;

        // The channel showed what it last reported, or failing that what it should show; the
        // difference is what happened on the channel, and internal stock moves by the same amount.
        var before = item.ChannelStock ?? item.ExpectedChannelStock;
        var channelStock = change.Quantity ?? before + change.Delta!.Value;
        var stock = item.Stock + (channelStock - before);
        var syncEventId = run.Apply(item, stock, channelStock, change.Sequence, envelope.OccurredAt, envelope.Id);
        if (handoff.Options.Handoff == SyncHandoff.Topic)
        {
            run.Emit(OutboxWriter.Command(context, EventCatalog.SyncRequested,
                new SyncRequested { ProductId = item.ProductId, OriginChannelId = change.ChannelId, Reason = "webhook", SyncEventId = syncEventId },
                $"{envelope.Id}.sync"));
        }
        if (item.LowStockThreshold is { } threshold && (stock <= threshold) != (item.Stock <= threshold))
        {
            run.Emit(OutboxWriter.Command(context, EventCatalog.AlertCheck,
                new AlertCheck { Check = AlertKinds.LowStock, ProductId = item.ProductId }, $"{envelope.Id}.low-stock"));
        }
        return Outcome.Done;
    }

    // Without a sequence the report's time orders it. A level no newer than the last report says
    // nothing new; a delta in the same instant as the last report is another sale (channels often stamp
    // whole seconds), so only an older delta is stale: a newer report already counted it. A webhook
    // delivered twice has the same id, and the processed-events ledger skips it before this.
    private static bool IsStale(StockChanged change, DateTimeOffset occurredAt, MappedItem item) =>
        change.Sequence is { } sequence
            ? item.LastSequence is { } last && sequence <= last
            : item.LastChangedAt is { } at && (change.Delta is null ? occurredAt <= at : occurredAt < at);
}
