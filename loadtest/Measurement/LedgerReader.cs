using Npgsql;

namespace Fairlane.LoadTest.Measurement;

/// <summary>One webhook's row in processed_events: when the producer sent it and when its processing transaction began (Unix ms).</summary>
internal readonly record struct ProcessedWebhook(string Tenant, string EventId, long ProducedAtMs, long ProcessedAtMs)
{
    public double LatencyMs => ProcessedAtMs - ProducedAtMs;
}

/// <summary>What the effects themselves say: each webhook's sync_events row, at most one per webhook.</summary>
internal sealed record EffectCounts(long WebhooksWithEffect, long DuplicatedEffects, long SyncsDone, LatencySummary WebhookToSync);

/// <summary>
/// Reads a run's results from its database: the processed-events ledger and the effects, not the
/// workers' own counters. processed_at is PostgreSQL's now() in the processing transaction, i.e.
/// when that transaction began; produced_at is the producer's fl-produced-at header. Both clocks
/// are this machine's.
/// </summary>
internal sealed class LedgerReader(NpgsqlDataSource owner, string webhooksTopic)
{
    public async Task<List<ProcessedWebhook>> WebhooksAsync(CancellationToken cancellationToken)
    {
        await using var cmd = owner.CreateCommand("""
            SELECT tenant_id, event_id, (extract(epoch FROM produced_at) * 1000)::bigint, (extract(epoch FROM processed_at) * 1000)::bigint
            FROM processed_events WHERE topic = @topic AND produced_at IS NOT NULL
            """);
        cmd.Parameters.AddWithValue("topic", webhooksTopic);
        var rows = new List<ProcessedWebhook>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            rows.Add(new ProcessedWebhook(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3)));
        return rows;
    }

    /// <summary>
    /// A webhook's effect is its sync_events row (source_event_id = the webhook's id); a second row
    /// for one webhook is an effect applied twice. Syncs done and their latency (webhook sent → its
    /// push recorded at the channels, warm-up left out) exist only where a Sync agent runs.
    /// </summary>
    public async Task<EffectCounts> EffectsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await owner.OpenConnectionAsync(cancellationToken);
        long withEffect, duplicated;
        await using (var cmd = new NpgsqlCommand("""
            SELECT count(*), coalesce(sum(n - 1), 0)::bigint FROM (
                SELECT count(*) AS n FROM sync_events s
                WHERE EXISTS (SELECT 1 FROM processed_events p WHERE p.tenant_id = s.tenant_id AND p.event_id = s.source_event_id AND p.topic = @topic)
                GROUP BY s.tenant_id, s.source_event_id) x
            """, connection))
        {
            cmd.Parameters.AddWithValue("topic", webhooksTopic);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            (withEffect, duplicated) = (reader.GetInt64(0), reader.GetInt64(1));
        }
        var latencies = new List<double>();
        await using (var cmd = new NpgsqlCommand("""
            SELECT extract(epoch FROM s.completed_at - w.produced_at) * 1000
            FROM sync_events s JOIN processed_events w ON w.tenant_id = s.tenant_id AND w.event_id = s.source_event_id
            WHERE w.topic = @topic AND w.produced_at IS NOT NULL AND w.event_id NOT LIKE 'warmup-%' AND s.completed_at IS NOT NULL
            """, connection))
        {
            cmd.Parameters.AddWithValue("topic", webhooksTopic);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) latencies.Add((double)reader.GetDecimal(0));
        }
        return new EffectCounts(withEffect, duplicated, latencies.Count, Percentiles.Summarize(latencies));
    }
}
