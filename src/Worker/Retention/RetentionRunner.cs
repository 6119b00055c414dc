using Fairlane.Worker.Configuration;
using Fairlane.Worker.Observability;
using Npgsql;
using Prometheus;

namespace Fairlane.Worker.Retention;

/// <summary>What one retention attempt did: nothing (another node holds the lock) or rows deleted per table.</summary>
internal sealed record RetentionRun(bool Ran, IReadOnlyDictionary<string, long> Deleted);

/// <summary>
/// Deletes expired history in batches, one node at a time. A session advisory lock, held on the
/// connection that deletes, serialises nodes for the whole run (the outbox relay's transaction-scoped
/// lock would not outlive one batch); each batch is its own statement and so its own short
/// transaction, keeping row locks, WAL bursts and replication lag small however much has piled up.
/// </summary>
/// <remarks>
/// It runs as the schema owner: retention is fleet-wide maintenance, and under row-level security
/// the application role sees no row outside the tenant its transaction names, so it could only
/// trim tenant by tenant. The owner is exempt from the policies (they are not forced).
/// </remarks>
internal sealed partial class RetentionRunner(NpgsqlDataSource owner, RetentionOptions options, ILogger<RetentionRunner> logger)
{
    /// <summary>Every node contends for this key; fixed and distinct from the migration and outbox locks.</summary>
    public const long LockKey = 0x46_4C_52_45_54_41_49_4E; // "FLRETAIN"

    public async Task<RetentionRun> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var connection = await owner.OpenConnectionAsync(cancellationToken);
        await using (var tryLock = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection))
        {
            tryLock.Parameters.AddWithValue("key", LockKey);
            if (!(bool)(await tryLock.ExecuteScalarAsync(cancellationToken))!)
            {
                FairlaneMetrics.RetentionRuns.WithLabels("busy").Inc();
                return new RetentionRun(false, new Dictionary<string, long>());
            }
        }
        try
        {
            var deleted = new Dictionary<string, long>();
            foreach (var table in RetentionTable.All)
                deleted[table.Name] = await TrimAsync(connection, table, cancellationToken);
            FairlaneMetrics.RetentionRuns.WithLabels("completed").Inc();
            FairlaneMetrics.RetentionLastRun.SetToCurrentTimeUtc();
            return new RetentionRun(true, deleted);
        }
        finally
        {
            await UnlockAsync(connection);
        }
    }

    private async Task<long> TrimAsync(NpgsqlConnection connection, RetentionTable table, CancellationToken cancellationToken)
    {
        // One horizon per run, read from the database's clock (the one that stamped the rows), so a
        // long run ends instead of chasing rows that expire while it works.
        DateTime cutoff;
        await using (var horizon = new NpgsqlCommand("SELECT now() - make_interval(days => @days)", connection))
        {
            horizon.Parameters.AddWithValue("days", table.Days(options));
            cutoff = (DateTime)(await horizon.ExecuteScalarAsync(cancellationToken))!;
        }

        var total = 0L;
        await using var delete = new NpgsqlCommand(table.DeleteBatchSql, connection);
        delete.Parameters.AddWithValue("cutoff", cutoff);
        delete.Parameters.AddWithValue("batch", options.BatchSize);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rows = await delete.ExecuteNonQueryAsync(cancellationToken);
            total += rows;
            FairlaneMetrics.RetentionDeletedRows.WithLabels(table.Name).Inc(rows);
            if (rows < options.BatchSize) break;
        }
        if (total > 0) LogTrimmed(logger, total, table.Name, cutoff);
        return total;
    }

    // A pooled connection keeps its session, and so the lock, after disposal: release it explicitly.
    // If the connection broke, the server ended the session and its lock already.
    private async Task UnlockAsync(NpgsqlConnection connection)
    {
        if (connection.FullState != System.Data.ConnectionState.Open) return;
        try
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
            unlock.Parameters.AddWithValue("key", LockKey);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (NpgsqlException ex)
        {
            LogUnlockFailed(logger, ex);
            NpgsqlConnection.ClearPool(connection);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention deleted {Rows} rows of {Table} older than {Cutoff:O}")]
    private static partial void LogTrimmed(ILogger logger, long rows, string table, DateTime cutoff);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not release the retention lock; it is released when the session ends")]
    private static partial void LogUnlockFailed(ILogger logger, Exception ex);
}
