namespace Fairlane.Agents.Sync;

/// <summary>How Sync folds and pushes (the Agents:Sync* settings).</summary>
public sealed record SyncPushOptions
{
    /// <summary>How the Watcher hands its changes to Sync.</summary>
    public SyncHandoff Handoff { get; init; } = SyncHandoff.Direct;

    /// <summary>How long a product's first request waits for others to fold into it before its push is due.</summary>
    public TimeSpan Debounce { get; init; } = TimeSpan.FromMilliseconds(25);

    /// <summary>Products of one tenant a pass takes (each channel's share goes out in that channel's batch size).</summary>
    public int ProductsPerPass { get; init; } = 200;

    /// <summary>Products one pass takes in all, over however many tenants.</summary>
    public int MaxProductsPerPass { get; init; } = 1_000;

    /// <summary>Passes a node pushes at once; a tenant is in at most one of them.</summary>
    public int MaxPassesInFlight { get; init; } = 4;

    /// <summary>Calls in flight to one channel within a pass.</summary>
    public int ChannelConcurrency { get; init; } = 2;

    /// <summary>How long a claim keeps other pushers off its products; a pass still running at 80% of it gives up.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often a pusher looks for due products when no request woke it (requests marked on other nodes, retries).</summary>
    public TimeSpan Poll { get; init; } = TimeSpan.FromMilliseconds(200);
}
