using Prometheus;

namespace Fairlane.Worker.Observability;

/// <summary>
/// The daemon's Prometheus metrics (prefix <c>fairlane_</c>, base units, counters end in <c>_total</c>).
/// Labels stay low-cardinality: topic, agent and reason, never tenant or event ids.
/// </summary>
internal static class FairlaneMetrics
{
    // 1 ms .. ~65 s: handlers are milliseconds, end-to-end latency under backlog can be minutes.
    private static readonly double[] LatencyBuckets = Histogram.ExponentialBuckets(0.001, 2, 17);

    public static readonly Counter EventsConsumed = Metrics.CreateCounter(
        "fairlane_events_consumed_total", "Records read from Kafka.", "topic");

    public static readonly Counter EventsProcessed = Metrics.CreateCounter(
        "fairlane_events_processed_total", "Events whose effects were committed.", "agent");

    public static readonly Counter EventsDuplicate = Metrics.CreateCounter(
        "fairlane_events_duplicate_total", "Re-delivered events skipped because the processed-events ledger already had them.", "agent");

    public static readonly Counter DeadLetters = Metrics.CreateCounter(
        "fairlane_dead_letters_total", "Dead letters kept: sent to the dead-letter topic or, refused there for good, stored in PostgreSQL.", "reason");

    public static readonly Counter DeadLettersReplayed = Metrics.CreateCounter(
        "fairlane_dead_letters_replayed_total", "Dead letters re-sent to their origin topic by a replay (fairlane dlq replay, POST /admin/dlq/replay).", "reason");

    public static readonly Counter DeadLetterFailures = Metrics.CreateCounter(
        "fairlane_dead_letter_failures_total",
        "Failed attempts to keep a dead letter: refused by the dead-letter topic for good, a transient or unexpected error (retried), or the PostgreSQL fallback failing.",
        "reason");

    public static readonly Counter OffsetsRewound = Metrics.CreateCounter(
        "fairlane_offsets_rewound_total",
        "Records skipped because their offset was at or below one already consumed under the same assignment (the position went back, e.g. an offset reset).",
        "topic");

    public static readonly Counter ProcessingFailures = Metrics.CreateCounter(
        "fairlane_processing_failures_total", "Processing attempts that failed and will be retried.", "agent");

    public static readonly Histogram ProcessingDuration = Metrics.CreateHistogram(
        "fairlane_processing_duration_seconds", "Time of one processing transaction (one event, or a run of one tenant's events).",
        new HistogramConfiguration { LabelNames = ["agent"], Buckets = LatencyBuckets });

    public static readonly Histogram BatchSize = Metrics.CreateHistogram(
        "fairlane_batch_events", "Events processed together in one transaction, for runs of more than one.",
        new HistogramConfiguration { LabelNames = ["agent"], Buckets = [2, 5, 10, 25, 50, 100, 250, 500, 1000] });

    public static readonly Gauge GcHeapSize = Metrics.CreateGauge(
        "fairlane_gc_heap_size_bytes", "Managed heap size after the last garbage collection.");

    public static readonly Histogram EndToEndLatency = Metrics.CreateHistogram(
        "fairlane_end_to_end_latency_seconds", "From the producer's fl-produced-at header to the effect committed.",
        new HistogramConfiguration { LabelNames = ["agent"], Buckets = LatencyBuckets });

    public static readonly Gauge AssignedPartitions = Metrics.CreateGauge(
        "fairlane_assigned_partitions", "Partitions this node currently owns.", "topic");

    public static readonly Counter EventsParked = Metrics.CreateCounter(
        "fairlane_events_parked_total", "Events written to the durable park.", "reason");

    public static readonly Gauge ConsumerLag = Metrics.CreateGauge(
        "fairlane_consumer_lag", "Records between this node's position and the partition's high watermark.", "topic", "partition");

    public static readonly Gauge UncommittedOffsets = Metrics.CreateGauge(
        "fairlane_uncommitted_offsets", "Offsets a crash would re-deliver: highest consumed + 1 - the committable offset.", "topic", "partition");

    public static readonly Gauge CommitAge = Metrics.CreateGauge(
        "fairlane_commit_age_seconds", "Time since the committed offset last moved while records wait behind it; 0 when none wait.", "topic", "partition");

    public static readonly Gauge CommittedOffset = Metrics.CreateGauge(
        "fairlane_committed_offset", "The last offset this node committed per partition.", "topic", "partition");

    public static readonly Gauge ConsumptionPaused = Metrics.CreateGauge(
        "fairlane_consumption_paused", "1 while the buffer bound has paused consumption.");

    public static readonly Gauge BufferedEvents = Metrics.CreateGauge(
        "fairlane_buffered_events", "Events held by this node: queued, running, being parked or dead-lettered.", "state");

    public static readonly Gauge BufferedBytes = Metrics.CreateGauge(
        "fairlane_buffered_bytes", "Record bytes read from Kafka and not yet complete on this node (what Engine:BufferHighWatermarkBytes bounds).");

    public static readonly Gauge ActiveTenants = Metrics.CreateGauge(
        "fairlane_active_tenants", "Tenants with queued or running events on this node.");

    public static readonly Gauge RoundGrant = Metrics.CreateGauge(
        "fairlane_scheduler_round_grant_seconds",
        "Worker time a scheduling round grants a weight-1 tenant on this node: Engine:QuantumMs, or what one event run alone costs now if more.");

    public static readonly Gauge ParkedTenants = Metrics.CreateGauge(
        "fairlane_parked_tenants", "Tenants with events in the durable park of this node's partitions.");

    public static readonly Gauge TenantQueueDepth = Metrics.CreateGauge(
        "fairlane_tenant_queue_depth", "Queued events of the deepest tenants (top N only, to bound cardinality).", "tenant");

    public static readonly Gauge TenantInFlight = Metrics.CreateGauge(
        "fairlane_tenant_in_flight", "Running events of the deepest tenants (top N only).", "tenant");

    public static readonly Counter OutboxPublished = Metrics.CreateCounter(
        "fairlane_outbox_published_total", "Follow-up events relayed from the outbox to Kafka.");

    public static readonly Counter OutboxWakeups = Metrics.CreateCounter(
        "fairlane_outbox_wakeups_total", "Times the outbox relay looked again after finding nothing, by what woke it (notify, poll).", "cause");

    public static readonly Counter SyncRequestsFolded = Metrics.CreateCounter(
        "fairlane_sync_requests_coalesced_total", "Sync requests that found their product already pending and folded into its one push.");

    public static readonly Histogram SyncPushDelay = Metrics.CreateHistogram(
        "fairlane_sync_push_delay_seconds", "From a product's first pending sync request to its push recorded, by the push's status.",
        new HistogramConfiguration { LabelNames = ["status"], Buckets = LatencyBuckets });

    public static readonly Counter SyncPasses = Metrics.CreateCounter(
        "fairlane_sync_passes_total", "Push passes (one tenant's claimed products each), by how they ended (recorded, abandoned).", "outcome");

    public static readonly Counter ChannelCalls = Metrics.CreateCounter(
        "fairlane_channel_calls_total", "Channel API call attempts, by how they ended.", "channel_type", "operation", "outcome");

    public static readonly Histogram ChannelCallDuration = Metrics.CreateHistogram(
        "fairlane_channel_call_duration_seconds", "Time of one channel API call attempt.",
        new HistogramConfiguration { LabelNames = ["channel_type", "operation"], Buckets = LatencyBuckets });

    public static readonly Gauge ChannelBreakers = Metrics.CreateGauge(
        "fairlane_channel_breakers", "Tenant channels whose circuit breaker on this node is in each state.", "state");

    public static readonly Counter ChannelBreakerTransitions = Metrics.CreateCounter(
        "fairlane_channel_breaker_transitions_total", "Circuit breaker state changes, by the state entered.", "channel_type", "state");

    // Guardian (DESIGN §4, §6): leadership and reconciliation.
    public static readonly Gauge Leader = Metrics.CreateGauge(
        "fairlane_leader", "1 while this node holds the Guardian lock, else 0.");

    public static readonly Counter LockAttempts = Metrics.CreateCounter(
        "fairlane_lock_attempts_total", "Guardian lock acquisitions tried, by outcome (acquired, busy, no_quorum, lost).", "outcome");

    public static readonly Counter GuardianRuns = Metrics.CreateCounter(
        "fairlane_guardian_runs_total", "Guardian runs this node led, by outcome (completed, cancelled, fenced).", "outcome");

    public static readonly Histogram GuardianRunDuration = Metrics.CreateHistogram(
        "fairlane_guardian_run_duration_seconds", "Wall time of a Guardian run this node led, from fan-out to the last tenant reconciled.",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.5, 2, 12) });

    public static readonly Gauge GuardianLastRun = Metrics.CreateGauge(
        "fairlane_guardian_last_run_timestamp_seconds", "Unix time at which the last Guardian run this node led completed.");

    public static readonly Counter GuardianChecks = Metrics.CreateCounter(
        "fairlane_guardian_checks_total", "Channel items compared with internal stock by reconciliation.");

    public static readonly Counter GuardianRepairs = Metrics.CreateCounter(
        "fairlane_guardian_repairs_total", "Channel items whose drift was within the threshold and was repaired.");

    public static readonly Counter GuardianDriftAlerts = Metrics.CreateCounter(
        "fairlane_guardian_drift_alerts_total", "Channel items whose drift exceeded the threshold and was alerted.");

    public static readonly Counter GuardianTenantsFailed = Metrics.CreateCounter(
        "fairlane_guardian_tenants_failed_total", "Tenants whose reconcile job was dead-lettered, counted as failed on their run.");

    public static readonly Counter GuardianRunsAbandoned = Metrics.CreateCounter(
        "fairlane_guardian_runs_abandoned_total", "Runs a dead leader left running, closed as abandoned by the leader after it.");

    public static readonly Counter FencedWrites = Metrics.CreateCounter(
        "fairlane_guardian_fenced_writes_total", "Guardian write transactions refused because a newer leader's epoch exists.");

    // Retention: fleet-wide history trimmed by one node at a time.
    public static readonly Counter RetentionDeletedRows = Metrics.CreateCounter(
        "fairlane_retention_deleted_rows_total", "Expired rows this node deleted, by table.", "table");

    public static readonly Counter RetentionRuns = Metrics.CreateCounter(
        "fairlane_retention_runs_total", "Retention attempts on this node, by outcome (completed, busy, failed).", "outcome");

    public static readonly Gauge RetentionLastRun = Metrics.CreateGauge(
        "fairlane_retention_last_run_timestamp_seconds", "Unix time at which the last retention run on this node completed.");

    public static readonly Gauge BuildInfo = Metrics.CreateGauge(
        "fairlane_build_info", "Always 1; the labels carry the version and node.", "version", "node");
}
