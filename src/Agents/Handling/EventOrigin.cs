namespace Fairlane.Agents.Handling;

/// <summary>Where a consumed event came from, as recorded in the processed-events ledger.</summary>
public readonly record struct EventOrigin(string Topic, int Partition, long Offset, DateTimeOffset? ProducedAt);
