using Fairlane.Agents.Outbox;
using Fairlane.Agents.Guardian;
using Fairlane.Contracts.Events;
using Npgsql;
using Fairlane.Agents.Tenants;

namespace Fairlane.Worker.Guardian;

/// <summary>A Guardian run as recorded in guardian_runs.</summary>
internal sealed record GuardianRunRecord(
    Guid Id, long Epoch, string Node, string Status, string Trigger, DateTimeOffset? Period, int Tenants, int TenantsDone,
    int Checks, int Repairs, int Alerts, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, int TenantsFailed);

/// <summary>How recording a run went: started (true), fenced (false) or already run this period (null), and how many dead leaders' runs it closed.</summary>
internal readonly record struct GuardianRunStart(bool? Started, int Abandoned);

/// <summary>The guardian_runs table and the run's fan-out, written by the leader under its fencing epoch.</summary>
internal static class GuardianRuns
{
    /// <summary>
    /// The tenants a run reconciles: active and not held. A held tenant's events wait in the park
    /// (paused, or over its monthly budget), so its job would only keep the run waiting.
    /// </summary>
    public static async Task<(List<string> Tenants, int Held)> TenantsToReconcileAsync(NpgsqlDataSource owner, CancellationToken cancellationToken)
    {
        var all = await TenantRecord.ReadAllAsync(owner, cancellationToken);
        var tenants = all.Where(t => t.IsActive && !t.IsHeld).Select(t => t.Id).Order(StringComparer.Ordinal).ToList();
        return (tenants, all.Count(t => !t.IsDeleted && t.IsHeld));
    }

    /// <summary>
    /// Records the run and one reconcile job per tenant in the outbox, in one fenced transaction,
    /// and closes the runs older leaders left running: their fence is gone, so nobody else can.
    /// </summary>
    public static async Task<GuardianRunStart> StartAsync(NpgsqlConnection connection, Guid runId, long epoch, string node, string trigger,
        DateTimeOffset? period, IReadOnlyList<string> tenants, int driftThreshold, CancellationToken cancellationToken)
    {
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        if (!await GuardianFence.HoldsAsync(connection, tx, epoch, cancellationToken)) return new GuardianRunStart(false, 0);
        int abandoned;
        await using (var abandon = new NpgsqlCommand("""
            UPDATE guardian_runs SET status = 'abandoned', finished_at = now() WHERE status = 'running' AND epoch < @epoch
            """, connection, tx))
        {
            abandon.Parameters.AddWithValue("epoch", epoch);
            abandoned = await abandon.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO guardian_runs (id, epoch, node, trigger, period, tenants) VALUES (@id, @epoch, @node, @trigger, @period, @tenants)
            ON CONFLICT (period) WHERE period IS NOT NULL DO NOTHING
            """, connection, tx))
        {
            insert.Parameters.AddWithValue("id", runId);
            insert.Parameters.AddWithValue("epoch", epoch);
            insert.Parameters.AddWithValue("node", node);
            insert.Parameters.AddWithValue("trigger", trigger);
            insert.Parameters.Add(new NpgsqlParameter<DateTime?>("period", period?.UtcDateTime) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
            insert.Parameters.AddWithValue("tenants", tenants.Count);
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                await tx.CommitAsync(cancellationToken); // the abandoned runs stay closed
                return new GuardianRunStart(null, abandoned);
            }
        }
        var job = new ReconcileTenant { RunId = runId, Epoch = epoch, DriftThreshold = driftThreshold };
        await OutboxWriter.AddForTenantsAsync(connection, tx, EventCatalog.ReconcileTenant,
            tenants.Select(t => (t, job, $"guardian.{runId:N}")).ToList(), cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return new GuardianRunStart(true, abandoned);
    }

    /// <summary>Tenants reconciled and tenants failed (their job dead-lettered) so far: the run is over when they add up to its tenants.</summary>
    public static async Task<(int Done, int Failed)> TenantsFinishedAsync(NpgsqlDataSource owner, Guid runId, CancellationToken cancellationToken)
    {
        await using var cmd = owner.CreateCommand("SELECT tenants_done, tenants_failed FROM guardian_runs WHERE id = @id");
        cmd.Parameters.AddWithValue("id", runId);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetInt32(0), reader.GetInt32(1)) : (0, 0);
    }

    /// <summary>Marks the run ended, fenced by its epoch; false when a newer leader exists (nothing written).</summary>
    public static async Task<bool> FinishAsync(NpgsqlDataSource owner, Guid runId, long epoch, string status, CancellationToken cancellationToken)
    {
        await using var connection = await owner.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        if (!await GuardianFence.HoldsAsync(connection, tx, epoch, cancellationToken)) return false;
        await using var cmd = new NpgsqlCommand("UPDATE guardian_runs SET status = @status, finished_at = now() WHERE id = @id", connection, tx);
        cmd.Parameters.AddWithValue("status", status);
        cmd.Parameters.AddWithValue("id", runId);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return true;
    }

    public static async Task<List<GuardianRunRecord>> LatestAsync(NpgsqlDataSource owner, int limit, CancellationToken cancellationToken)
    {
        await using var cmd = owner.CreateCommand("""
            SELECT id, epoch, node, status, trigger, period, tenants, tenants_done, checks, repairs, alerts, started_at, finished_at, tenants_failed
            FROM guardian_runs ORDER BY started_at DESC LIMIT @limit
            """);
        cmd.Parameters.AddWithValue("limit", limit);
        var runs = new List<GuardianRunRecord>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            runs.Add(new GuardianRunRecord(reader.GetGuid(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5), reader.GetInt32(6), reader.GetInt32(7),
                reader.GetInt32(8), reader.GetInt32(9), reader.GetInt32(10), reader.GetFieldValue<DateTimeOffset>(11),
                reader.IsDBNull(12) ? null : reader.GetFieldValue<DateTimeOffset>(12), reader.GetInt32(13)));
        }
        return runs;
    }
}
