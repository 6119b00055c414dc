using Npgsql;

namespace Fairlane.LoadTest.Chaos;

/// <summary>Reads what the fleet left in the run's database: ledger rows, effects, stock, the park and the Guardian's runs.</summary>
internal sealed class EffectReader(NpgsqlDataSource owner, string webhooksTopic)
{
    /// <summary>(tenant, event id) of every chaos report in the processed-events ledger.</summary>
    public async Task<HashSet<(string, string)>> ProcessedAsync(CancellationToken cancellationToken)
    {
        var rows = new HashSet<(string, string)>();
        await using var cmd = owner.CreateCommand("SELECT tenant_id, event_id FROM processed_events WHERE topic = @topic AND event_id LIKE 'c-%'");
        cmd.Parameters.AddWithValue("topic", webhooksTopic);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) rows.Add((reader.GetString(0), reader.GetString(1)));
        return rows;
    }

    public async Task<long> CountProcessedAsync(CancellationToken cancellationToken)
    {
        await using var cmd = owner.CreateCommand("SELECT count(*) FROM processed_events WHERE topic = @topic AND event_id LIKE 'c-%'");
        cmd.Parameters.AddWithValue("topic", webhooksTopic);
        return (long)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>How many sync_events rows each chaos report caused: its effect.</summary>
    public async Task<Dictionary<(string, string), int>> EffectsAsync(CancellationToken cancellationToken)
    {
        var rows = new Dictionary<(string, string), int>();
        await using var cmd = owner.CreateCommand("SELECT tenant_id, source_event_id, count(*)::int FROM sync_events WHERE source_event_id LIKE 'c-%' GROUP BY 1, 2");
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) rows[(reader.GetString(0), reader.GetString(1))] = reader.GetInt32(2);
        return rows;
    }

    public async Task<List<(string Tenant, string Product, int Stock)>> StockAsync(CancellationToken cancellationToken)
    {
        var rows = new List<(string, string, int)>();
        await using var cmd = owner.CreateCommand("SELECT tenant_id, id, stock FROM products ORDER BY 1, 2");
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) rows.Add((reader.GetString(0), reader.GetString(1), reader.GetInt32(2)));
        return rows;
    }

    public async Task<long> ParkedAsync(CancellationToken cancellationToken)
    {
        await using var cmd = owner.CreateCommand("SELECT count(*) FROM parked_events");
        return (long)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>guardian_runs by status, and the tenants counted as failed over all runs.</summary>
    public async Task<(Dictionary<string, int> ByStatus, int TenantsFailed)> GuardianRunsAsync(CancellationToken cancellationToken)
    {
        var byStatus = new Dictionary<string, int>(StringComparer.Ordinal);
        var failed = 0;
        await using var cmd = owner.CreateCommand("SELECT status, count(*)::int, coalesce(sum(tenants_failed), 0)::int FROM guardian_runs GROUP BY status");
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            byStatus[reader.GetString(0)] = reader.GetInt32(1);
            failed += reader.GetInt32(2);
        }
        return (byStatus, failed);
    }
}
