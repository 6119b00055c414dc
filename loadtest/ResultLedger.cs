using System.Globalization;
using System.Text;
using Npgsql;

namespace Fairlane.LoadTest;

/// <summary>Reads a run's results from processed_events: the effects themselves, not the workers' own claims.</summary>
internal sealed class ResultLedger(string ownerConnectionString)
{
    /// <summary>Registers the run's tenants: events of unknown tenants are dead-lettered, not processed.</summary>
    public async Task RegisterTenantsAsync(string[] tenants)
    {
        await using var owner = NpgsqlDataSource.Create(ownerConnectionString);
        await Fairlane.Agents.Storage.TenantRecord.RegisterMissingAsync(owner, tenants, "load test", CancellationToken.None);
    }

    public async Task<long> CountAsync(string runId)
    {
        await using var connection = new NpgsqlConnection(ownerConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM processed_events WHERE tenant_id LIKE @p", connection);
        cmd.Parameters.AddWithValue("p", $"load-{runId}-%");
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    public async Task<LoadReport> ReportAsync(string runId, long sent)
    {
        await using var connection = new NpgsqlConnection(ownerConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            SELECT count(*),
                   extract(epoch FROM max(processed_at) - min(produced_at)),
                   percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY extract(epoch FROM processed_at - produced_at)),
                   max(extract(epoch FROM processed_at - produced_at))
            FROM processed_events WHERE tenant_id LIKE @p
            """, connection);
        cmd.Parameters.AddWithValue("p", $"load-{runId}-%");
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        var processed = reader.GetInt64(0);
        var span = reader.IsDBNull(1) ? 0 : (double)reader.GetDecimal(1);
        var percentiles = reader.IsDBNull(2) ? [0d, 0d, 0d] : reader.GetFieldValue<double[]>(2);
        var max = reader.IsDBNull(3) ? 0 : (double)reader.GetDecimal(3);
        // processed_events has one row per (tenant, event id): a duplicate effect is impossible by key,
        // so "duplicated" counts rows beyond what was sent.
        return new LoadReport(sent, processed, Math.Max(0, sent - processed), Math.Max(0, processed - sent),
            span > 0 ? processed / span : 0, percentiles[0], percentiles[1], percentiles[2], max);
    }
}

internal sealed record LoadReport(long Sent, long Processed, long Lost, long Duplicated, double Throughput,
    double P50, double P95, double P99, double Max)
{
    public string ToMarkdown(LoadTestOptions o)
    {
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"| tenants | rate/s | sent | processed | lost | dup | throughput/s | p50 ms | p95 ms | p99 ms | max ms |");
        s.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        s.AppendLine(CultureInfo.InvariantCulture,
            $"| {o.Tenants} | {o.RatePerSecond:0.#} | {Sent} | {Processed} | {Lost} | {Duplicated} | {Throughput:0} | {P50 * 1000:0} | {P95 * 1000:0} | {P99 * 1000:0} | {Max * 1000:0} |");
        return s.ToString();
    }
}
