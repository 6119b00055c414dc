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
}
