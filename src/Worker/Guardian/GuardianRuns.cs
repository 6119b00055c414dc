using Fairlane.Agents.Guardian;
using Fairlane.Contracts.Events;
using Npgsql;

namespace Fairlane.Worker.Guardian;

/// <summary>A Guardian run as recorded in guardian_runs.</summary>
internal sealed record GuardianRunRecord(
    Guid Id, long Epoch, string Node, string Status, string Trigger, DateTimeOffset? Period, int Tenants, int TenantsDone,
    int Checks, int Repairs, int Alerts, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt);

/// <summary>The guardian_runs table and the run's fan-out, written by the leader under its fencing epoch.</summary>
internal static class GuardianRuns
{
    public static async Task<List<string>> ActiveTenantsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand("SELECT id FROM tenants WHERE status = 'active' ORDER BY id", connection);
        var tenants = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) tenants.Add(reader.GetString(0));
        return tenants;
    }

    /// <summary>
    /// Records the run and one reconcile job per tenant in the outbox, in one fenced transaction.
    /// Returns true when started, false when fenced, null when the period already had its run.
    /// </summary>
    public static async Task<bool?> StartAsync(NpgsqlConnection connection, Guid runId, long epoch, string node, string trigger,
        DateTimeOffset? period, IReadOnlyList<string> tenants, int driftThreshold, CancellationToken cancellationToken)
    {
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        if (!await GuardianFence.HoldsAsync(connection, tx, epoch, cancellationToken)) return false;
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
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0) return null;
        }
        await using (var fanOut = new NpgsqlCommand("""
            INSERT INTO outbox (tenant_id, topic, event_id, value) SELECT t, 'guardian', e, v FROM unnest(@tenants, @ids, @values) AS j(t, e, v)
            """, connection, tx))
        {
            var jobs = tenants.Select(t => EnvelopeCodec.Create(t, EventTypes.ReconcileTenant,
                new ReconcileTenant { RunId = runId, Epoch = epoch, DriftThreshold = driftThreshold }, FairlaneJsonContext.Default.ReconcileTenant,
                id: $"guardian.{runId:N}")).ToList();
            fanOut.Parameters.AddWithValue("tenants", tenants.ToArray());
            fanOut.Parameters.AddWithValue("ids", jobs.Select(j => j.Id).ToArray());
            fanOut.Parameters.AddWithValue("values", jobs.Select(EnvelopeCodec.Encode).ToArray());
            await fanOut.ExecuteNonQueryAsync(cancellationToken);
        }
        await tx.CommitAsync(cancellationToken);
        return true;
    }

    public static async Task<int> TenantsDoneAsync(NpgsqlConnection connection, Guid runId, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand("SELECT tenants_done FROM guardian_runs WHERE id = @id", connection);
        cmd.Parameters.AddWithValue("id", runId);
        return (int)(await cmd.ExecuteScalarAsync(cancellationToken) ?? 0);
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
            SELECT id, epoch, node, status, trigger, period, tenants, tenants_done, checks, repairs, alerts, started_at, finished_at
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
                reader.IsDBNull(12) ? null : reader.GetFieldValue<DateTimeOffset>(12)));
        }
        return runs;
    }
}
