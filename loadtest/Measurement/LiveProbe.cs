using Npgsql;

namespace Fairlane.LoadTest.Measurement;

/// <summary>One look at a system's ledger for the live progress line.</summary>
internal readonly record struct LiveSample(long Processed, double? RecentP99Ms, long Parked);

/// <summary>
/// Counts processed webhooks and the p99 of the last 5 s straight from the ledger, once a second. The
/// probe shares the cores with the systems it measures, so it reads only recent rows (by the ledger's
/// <c>processed_at</c> index): rows older than a settled mark are counted once, as the mark moves on, and
/// kept. A row's <c>processed_at</c> is its transaction's start, so the mark stays 10 s behind: a
/// processing transaction committing later than that after it began would be missed by the live count,
/// which then holds the drain to its timeout; the report reads the ledgers again in full.
/// </summary>
internal sealed class LiveProbe(NpgsqlDataSource owner, string webhooksTopic) : IDisposable
{
    private static readonly TimeSpan Settled = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _one = new(1, 1); // the progress line and the drain both sample: one at a time moves the mark
    private DateTime _mark = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc); // on the server's clock
    private long _beforeMark;

    public async Task<LiveSample> SampleAsync(CancellationToken cancellationToken)
    {
        await _one.WaitAsync(cancellationToken);
        try
        {
            return await ReadAsync(cancellationToken);
        }
        finally
        {
            _one.Release();
        }
    }

    private async Task<LiveSample> ReadAsync(CancellationToken cancellationToken)
    {
        await using var cmd = owner.CreateCommand("""
            SELECT (SELECT count(*) FROM processed_events WHERE topic = @topic AND processed_at >= @mark),
                   (SELECT percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM processed_at - produced_at))
                    FROM processed_events WHERE topic = @topic AND processed_at > now() - interval '5 seconds'),
                   (SELECT count(*) FROM parked_events),
                   (SELECT count(*) FROM processed_events WHERE topic = @topic AND processed_at >= @mark AND processed_at < now() - @settled),
                   now() - @settled
            """);
        cmd.Parameters.AddWithValue("topic", webhooksTopic);
        cmd.Parameters.AddWithValue("mark", _mark);
        cmd.Parameters.AddWithValue("settled", Settled);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var sample = new LiveSample(_beforeMark + reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetDouble(1) * 1000, reader.GetInt64(2));
        // Rows older than the margin are settled: count them in once and read only newer ones from now on.
        _beforeMark += reader.GetInt64(3);
        _mark = reader.GetFieldValue<DateTime>(4);
        return sample;
    }

    public void Dispose() => _one.Dispose();
}
