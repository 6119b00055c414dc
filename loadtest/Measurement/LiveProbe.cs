using Npgsql;

namespace Fairlane.LoadTest.Measurement;

/// <summary>One look at a system's ledger for the live progress line.</summary>
internal readonly record struct LiveSample(long Processed, double? RecentP99Ms, long Parked);

/// <summary>Counts processed webhooks and the p99 of the last 5 s straight from the ledger, once a second.</summary>
internal sealed class LiveProbe(NpgsqlDataSource owner, string webhooksTopic)
{
    public async Task<LiveSample> SampleAsync(CancellationToken cancellationToken)
    {
        await using var cmd = owner.CreateCommand("""
            SELECT count(*),
                   percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM processed_at - produced_at))
                       FILTER (WHERE processed_at > now() - interval '5 seconds'),
                   (SELECT count(*) FROM parked_events)
            FROM processed_events WHERE topic = @topic
            """);
        cmd.Parameters.AddWithValue("topic", webhooksTopic);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new LiveSample(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetDouble(1) * 1000, reader.GetInt64(2));
    }
}
