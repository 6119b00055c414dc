using Fairlane.Agents.Channels;
using Fairlane.Agents.Sync;
using Fairlane.Tests.Agents.Channels;
using Fairlane.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fairlane.Tests.Agents.Handlers;

/// <summary>
/// Sync's two halves on a handler test bed: the handler that folds requests into pending rows, and the
/// pusher that pushes them to the channel simulator. The test drives the pusher's claims and passes itself
/// (as the node's push loop would), so it can place requests between a claim and its pass.
/// </summary>
internal sealed class SyncRig
{
    public SyncRig(HandlerTestBed bed, ChannelHarness channels, SyncPushOptions? options = null)
    {
        Bed = bed;
        Options = options ?? new SyncPushOptions { Debounce = TimeSpan.Zero };
        Handler = new SyncHandler(Options, Signal, Observer);
        Pusher = new SyncPusher(bed.Tenants, new ChannelStore(CredentialProtector.FromBase64(TestServers.CredentialKey)), channels.Adapters, bed.Bus,
            Observer, Options, NullLogger<SyncPusher>.Instance);
    }

    public HandlerTestBed Bed { get; }
    public SyncPushOptions Options { get; }
    public SyncSignal Signal { get; } = new();
    public CountingSyncObserver Observer { get; } = new();
    public SyncHandler Handler { get; }
    public SyncPusher Pusher { get; }

    /// <summary>Claims what is due, as one pusher would (no tenant busy).</summary>
    public Task<IReadOnlyList<ClaimedSync>> ClaimAsync(TimeSpan? lease = null, int perTenant = 1_000) =>
        PendingSyncs.ClaimAsync(Bed.Db.Owner, perTenant, 10_000, lease ?? Options.Lease, [], CancellationToken.None);

    /// <summary>Runs one pass over <paramref name="claimed"/>, whatever its tenants.</summary>
    public Task PushAsync(IReadOnlyList<ClaimedSync> claimed) => Pusher.PushAsync(claimed, CancellationToken.None);

    /// <summary>Claims and pushes until nothing is due; returns the passes run.</summary>
    public async Task<int> DrainAsync()
    {
        var passes = 0;
        for (var claimed = await ClaimAsync(); claimed.Count > 0; claimed = await ClaimAsync())
        {
            await PushAsync(claimed);
            passes += claimed.Select(c => c.TenantId).Distinct().Count();
        }
        return passes;
    }
}

/// <summary>Counts what Sync reports for metrics.</summary>
internal sealed class CountingSyncObserver : ISyncObserver
{
    private int _folded;
    private int _pushed;

    public int FoldedCount => _folded;
    public int PushedCount => _pushed;

    public void Folded() => Interlocked.Increment(ref _folded);

    public void Pushed(string status, TimeSpan waited) => Interlocked.Increment(ref _pushed);
}
