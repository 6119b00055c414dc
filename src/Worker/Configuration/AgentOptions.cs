namespace Fairlane.Worker.Configuration;

/// <summary>Settings of the agents and of the outbox relay that carries their follow-up events.</summary>
public sealed class AgentOptions
{
    public const string Section = "Agents";

    /// <summary>How long the outbox relay waits before looking again when it found nothing to send.</summary>
    public int OutboxPollMs { get; set; } = 50;

    /// <summary>Outbox rows published per relay transaction.</summary>
    public int OutboxBatchSize { get; set; } = 500;

    /// <summary>How long sent outbox rows are kept (for inspection) before they are deleted.</summary>
    public int OutboxRetentionHours { get; set; } = 24;

    /// <summary>Failed pushes to one channel within the sync-health window that raise a sync_health alert.</summary>
    public int SyncFailureThreshold { get; set; } = 5;

    /// <summary>The window of the sync-health check.</summary>
    public int SyncHealthWindowMinutes { get; set; } = 15;

    /// <summary>
    /// How the Watcher hands a change to Sync: "direct" marks the product pending in the Watcher's own
    /// transaction; "topic" sends sync.requested through the outbox, one more transaction per change.
    /// </summary>
    public string SyncHandoff { get; set; } = "direct";

    /// <summary>How long a product's first sync request waits for more to fold into its one push (0: push as soon as claimed).</summary>
    public int SyncDebounceMs { get; set; } = 25;

    /// <summary>Products of one tenant a pusher takes per pass.</summary>
    public int SyncProductsPerPass { get; set; } = 200;

    /// <summary>Products one pass takes in all, over however many tenants (its two transactions serve them all).</summary>
    public int SyncMaxProductsPerPass { get; set; } = 1_000;

    /// <summary>Passes a node pushes at once.</summary>
    public int SyncMaxPassesInFlight { get; set; } = 4;

    /// <summary>Calls in flight to one channel within a pass.</summary>
    public int SyncChannelConcurrency { get; set; } = 2;

    /// <summary>How long a claimed product is kept from other pushers; a pass still running at 80% of it gives up and is retried.</summary>
    public int SyncLeaseSeconds { get; set; } = 60;

    /// <summary>How often a pusher looks for due products when nothing woke it.</summary>
    public int SyncPollMs { get; set; } = 200;
}
