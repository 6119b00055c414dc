namespace Fairlane.Partitioning.Engine;

/// <summary>The node-wide limits the engine core enforces (the host maps them from its configuration).</summary>
/// <param name="Quantum">Worker time a weight-1 tenant may start per scheduling round.</param>
/// <param name="TenantQueueDepth">Events a tenant may hold in memory before the rest are parked, unless its own setting says otherwise.</param>
/// <param name="ParkBatchSize">The most parked events one load brings back into memory.</param>
/// <param name="BufferHighWatermark">Buffered events at which consumption pauses.</param>
/// <param name="BufferLowWatermark">Buffered events at or below which it resumes (with the bytes at or below half their watermark).</param>
/// <param name="BufferHighWatermarkBytes">Buffered record bytes at which consumption pauses.</param>
/// <param name="Workers">The node's workers: what a tenant's automatic concurrency is derived from.</param>
/// <param name="RunBudget">The estimated worker time one run may take (its events' estimates summed); null: the scheduler's default.</param>
public sealed record EngineSettings(
    TimeSpan Quantum, int TenantQueueDepth, int ParkBatchSize, int BufferHighWatermark, int BufferLowWatermark, long BufferHighWatermarkBytes,
    int Workers, TimeSpan? RunBudget = null);
