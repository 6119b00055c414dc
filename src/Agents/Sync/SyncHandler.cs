using Fairlane.Agents.Handling;
using Fairlane.Agents.Inventory;
using Fairlane.Contracts.Events;

namespace Fairlane.Agents.Sync;

/// <summary>
/// A product's stock must reach its channels: marks the product pending in the request's transaction
/// and returns, so no worker slot waits on a channel. Requests for a product already pending fold into
/// its one push (only the newest level matters to a channel); <see cref="SyncPusher"/> pushes it once
/// the debounce passed. A request without a sync_events row of its own (a Guardian repair) gets one
/// here, so every request's result is recorded.
/// </summary>
public sealed class SyncHandler(SyncPushOptions options, SyncSignal signal, ISyncObserver observer) : IEventHandler<SyncRequested>, IRunLocker
{
    public string Agent => "sync";

    /// <summary>The run's pending rows, locked in product order, as a pusher's release takes them (a run of one needs no order).</summary>
    public Task LockAsync(IReadOnlyList<TypedEnvelope> envelopes, HandlerContext context, CancellationToken cancellationToken) =>
        envelopes.Count < 2 ? Task.CompletedTask : PendingSyncs.LockAsync(context, envelopes.Select(e => e.As<SyncRequested>().Payload.ProductId).ToList(), cancellationToken);

    public async Task<Outcome> HandleAsync(TypedEnvelope<SyncRequested> envelope, HandlerContext context, CancellationToken cancellationToken)
    {
        var request = envelope.Payload;
        var folded = await PendingSyncs.MarkAsync(context, request.ProductId, request.OriginChannelId, options.Debounce, cancellationToken);
        if (folded is null) return Outcome.Permanent($"product '{request.ProductId}' does not exist");
        if (request.SyncEventId is null)
        {
            await InventoryStore.AddSyncEventAsync(context, request.ProductId, envelope.Id, request.OriginChannelId, quantity: 0, cancellationToken);
        }
        context.AfterCommit.Add(_ =>
        {
            if (folded.Value) observer.Folded();
            signal.Wake();
            return Task.CompletedTask;
        });
        return Outcome.Done;
    }
}
