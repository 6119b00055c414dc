namespace Fairlane.Worker.Configuration;

/// <summary>The Guardian: when reconciliation runs, how leadership is held, and the drift threshold.</summary>
public sealed class GuardianOptions
{
    public const string Section = "Guardian";

    /// <summary>Quartz cron expression (with seconds) of the runs, on every node running the guardian agent.</summary>
    public string Cron { get; set; } = "0 0/15 * * * ?";

    /// <summary>Drift (channel minus expected) at or below this is repaired; above it is alerted.</summary>
    public int DriftThreshold { get; set; } = 5;

    /// <summary>The leadership lock's time to live; RedLock extends it while the run lasts.</summary>
    public int LockTtlMs { get; set; } = 30_000;

    /// <summary>The longest a run may hold leadership; it is then cancelled and the lock released.</summary>
    public int MaxRunMs { get; set; } = 600_000;

    /// <summary>How often the leader checks that it still holds the lock and how far the fleet got.</summary>
    public int PollMs { get; set; } = 200;
}
