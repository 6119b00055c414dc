namespace Fairlane.Contracts.Events;

/// <summary>
/// A channel's webhook: stock of one item changed on that channel. Exactly one of
/// <see cref="Quantity"/> (absolute) or <see cref="Delta"/> is set. <see cref="Sequence"/>, when the
/// channel provides one, orders updates so stale or repeated ones are no-ops.
/// </summary>
public sealed record StockChanged
{
    /// <summary>The channel type: eposnow, wix or deliveroo.</summary>
    public required string ChannelType { get; init; }

    /// <summary>The tenant's channel (connection) id.</summary>
    public required string ChannelId { get; init; }

    /// <summary>The item's id on that channel.</summary>
    public required string ExternalId { get; init; }

    /// <summary>The new absolute stock level, when the channel reports levels.</summary>
    public int? Quantity { get; init; }

    /// <summary>The change in stock, when the channel reports movements.</summary>
    public int? Delta { get; init; }

    /// <summary>The channel's monotonically increasing sequence for this item, if it has one.</summary>
    public long? Sequence { get; init; }
}

/// <summary>Push a product's stock to every mapped channel other than the origin.</summary>
public sealed record SyncRequested
{
    /// <summary>The internal product id.</summary>
    public required string ProductId { get; init; }

    /// <summary>The channel the change came from; it is not pushed back to.</summary>
    public string? OriginChannelId { get; init; }

    /// <summary>Why the sync was requested: webhook, guardian-repair or manual.</summary>
    public required string Reason { get; init; }

    /// <summary>The sync_events row that records this sync, when the requester wrote one.</summary>
    public long? SyncEventId { get; init; }
}

/// <summary>Reconcile one tenant's channel stock against internal stock.</summary>
public sealed record ReconcileTenant
{
    /// <summary>The Guardian run this job belongs to.</summary>
    public required Guid RunId { get; init; }

    /// <summary>The leader's fencing epoch; writes under an older epoch are rejected.</summary>
    public required long Epoch { get; init; }

    /// <summary>Drift at or below this is repaired; above it is alerted.</summary>
    public required int DriftThreshold { get; init; }
}

/// <summary>Run one or all alert checks for a tenant.</summary>
public sealed record AlertCheck
{
    /// <summary>low_stock, sync_health, channel_status or all.</summary>
    public required string Check { get; init; }

    /// <summary>Limit the check to one product, when set.</summary>
    public string? ProductId { get; init; }

    /// <summary>Limit the check to one channel, when set.</summary>
    public string? ChannelId { get; init; }
}

/// <summary>A tenant lifecycle command on the compacted control topic. Unset limits stay as they are.</summary>
public sealed record TenantCommand
{
    /// <summary>register, pause, resume, update or unregister.</summary>
    public required string Command { get; init; }

    /// <summary>The tenant's display name (register, update).</summary>
    public string? Name { get; init; }

    /// <summary>Scheduling weight, 1–1000.</summary>
    public int? Weight { get; init; }

    /// <summary>Events run at once, 1–64 (only across different ordering keys).</summary>
    public int? Concurrency { get; init; }

    /// <summary>What runs in order: "item" (each ordering key) or "tenant" (the whole tenant, one event at a time).</summary>
    public string? Ordering { get; init; }

    /// <summary>Events started per second at most.</summary>
    public double? RatePerSecond { get; init; }

    /// <summary>Events held in memory before the rest are parked.</summary>
    public int? MaxQueueDepth { get; init; }

    /// <summary>Jobs per calendar month (UTC) before the tenant's events are parked.</summary>
    public long? MonthlyBudget { get; init; }
}
