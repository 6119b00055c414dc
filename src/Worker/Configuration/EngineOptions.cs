namespace Fairlane.Worker.Configuration;

/// <summary>The fair engine: worker pool, buffers, retries, parking (DESIGN §3).</summary>
public sealed class EngineOptions
{
    public const string Section = "Engine";

    /// <summary>Events processed at once on this node, across all tenants.</summary>
    public int Workers { get; set; } = 8;

    /// <summary>
    /// Most events of one strictly ordered tenant processed in one transaction. A run shares the
    /// tenant's scheduling credit like single events, so it buys throughput, not priority.
    /// </summary>
    public int MaxBatchSize { get; set; } = 100;

    /// <summary>
    /// Worker time a weight-1 tenant may start per scheduling round, at the least: while one event run
    /// alone costs more (a busy machine), a round grants that.
    /// </summary>
    public int QuantumMs { get; set; } = 10;

    /// <summary>
    /// The estimated worker time the events of one run (a batch of one tenant's events in one
    /// transaction) may add to what every run pays anyway (its transaction): longer runs batch more,
    /// shorter ones hold a worker less. Charged by measured cost afterwards.
    /// </summary>
    public int RunBudgetMs { get; set; } = 50;

    /// <summary>Events a tenant may hold in memory (unless its own max_queue_depth says otherwise); the rest are parked.</summary>
    public int TenantQueueDepth { get; set; } = 1_000;

    /// <summary>Buffered events on this node at which consumption pauses.</summary>
    public int BufferHighWatermark { get; set; } = 20_000;

    /// <summary>Buffered events below which consumption resumes.</summary>
    public int BufferLowWatermark { get; set; } = 10_000;

    /// <summary>
    /// Record bytes buffered on this node at which consumption pauses, whatever the event count;
    /// it resumes at half. Bounds memory when records are large.
    /// </summary>
    public long BufferHighWatermarkBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Attempts at a transiently failing event before it is dead-lettered.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>First retry delay; it doubles per attempt, with jitter, up to <see cref="RetryMaxMs"/>.</summary>
    public int RetryBaseMs { get; set; } = 200;

    public int RetryMaxMs { get; set; } = 30_000;

    /// <summary>How long a revoked partition's in-flight events may take to finish before the hand-over.</summary>
    public int RevokeGraceMs { get; set; } = 5_000;

    /// <summary>Events per park write and per park load.</summary>
    public int ParkBatchSize { get; set; } = 500;

    /// <summary>How often tenant settings are re-read from PostgreSQL.</summary>
    public int TenantRefreshMs { get; set; } = 2_000;

    /// <summary>Per-tenant metrics are exported for at most this many tenants (the deepest queues).</summary>
    public int TenantMetricsTopN { get; set; } = 20;

    /// <summary>Load testing only: a delay added to every processing transaction, to model slow channel calls.</summary>
    public int ArtificialHandlerDelayMs { get; set; }
}
