namespace Fairlane.Agents.Alerting;

/// <summary>An alert as stored and published. Kinds: low_stock, sync_health, channel_status, drift, unknown_mapping, budget.</summary>
public sealed record Alert(long Id, string Kind, string Subject, string Severity, string Message, DateTimeOffset CreatedAt);
