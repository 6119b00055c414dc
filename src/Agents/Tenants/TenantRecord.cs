using Fairlane.Agents.Storage;
using Npgsql;

namespace Fairlane.Agents.Tenants;

/// <summary>
/// A tenant's status and limits as stored in the tenants table, with its jobs this month. A null
/// <see cref="Concurrency"/> is automatic: the engine derives it from the weight and its workers.
/// </summary>
public sealed record TenantRecord(
    string Id, TenantStatus Status, int Weight, int? Concurrency, double? RatePerSecond, int? MaxQueueDepth, long? MonthlyBudget = null,
    long JobsThisMonth = 0, TenantOrdering Ordering = TenantOrdering.Item)
{
    public bool IsActive => Status == TenantStatus.Active;
    public bool IsPaused => Status == TenantStatus.Paused;
    public bool IsDeleted => Status == TenantStatus.Deleted;

    /// <summary>The tenant used up its monthly job budget.</summary>
    public bool OverBudget => MonthlyBudget is { } budget && JobsThisMonth >= budget;

    /// <summary>Its events are kept in the park, not run: paused, or over its budget.</summary>
    public bool IsHeld => IsPaused || OverBudget;

    /// <summary>The tenant's own row, inside its bound transaction (row-level security hides every other).</summary>
    public static async Task<TenantRecord?> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string tenantId, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, tx) { BatchCommands = { ReadCommand(tenantId) } };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        return await FromAsync(reader, cancellationToken);
    }

    /// <summary>The statement <see cref="ReadAsync"/> runs, for a batch; read its row with <see cref="FromAsync"/>.</summary>
    public static NpgsqlBatchCommand ReadCommand(string tenantId) => BatchCommand.Of(SelectColumns + " WHERE t.id = $1", tenantId);

    /// <summary>The tenant in the reader's current result (of <see cref="ReadCommand"/>); null when it has no row.</summary>
    public static async Task<TenantRecord?> FromAsync(NpgsqlDataReader reader, CancellationToken cancellationToken) =>
        await reader.ReadAsync(cancellationToken) ? Read(reader) : null;

    /// <summary>Every tenant (fleet-wide: needs the owner's connection).</summary>
    public static async Task<List<TenantRecord>> ReadAllAsync(NpgsqlDataSource owner, CancellationToken cancellationToken)
    {
        var tenants = new List<TenantRecord>();
        await using var cmd = owner.CreateCommand(SelectColumns);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) tenants.Add(Read(reader));
        return tenants;
    }

    private const string SelectColumns = """
        SELECT t.id, t.status, t.weight, t.concurrency, t.rate_limit_per_second, t.max_queue_depth, t.monthly_budget, coalesce(u.jobs, 0), t.ordering
        FROM tenants t
        LEFT JOIN tenant_usage u ON u.tenant_id = t.id AND u.month = date_trunc('month', now() AT TIME ZONE 'utc')::date
        """;

    private static TenantRecord Read(NpgsqlDataReader r) => new(
        r.GetString(0), TenantStatusText.Parse(r.GetString(1)), r.GetInt32(2), r.IsDBNull(3) ? null : r.GetInt32(3),
        r.IsDBNull(4) ? null : r.GetDouble(4), r.IsDBNull(5) ? null : r.GetInt32(5),
        r.IsDBNull(6) ? null : r.GetInt64(6), r.GetInt64(7), TenantOrderingText.Parse(r.GetString(8)));
}
