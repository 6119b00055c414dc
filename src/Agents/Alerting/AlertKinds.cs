namespace Fairlane.Agents.Alerting;

/// <summary>The kinds of alert (the alerts.kind column) and of alert check.</summary>
public static class AlertKinds
{
    public const string LowStock = "low_stock";
    public const string SyncHealth = "sync_health";
    public const string ChannelStatus = "channel_status";
    public const string Drift = "drift";
    public const string UnknownMapping = "unknown_mapping";
    public const string Budget = "budget";

    /// <summary>An alert check that runs every check.</summary>
    public const string All = "all";
}
