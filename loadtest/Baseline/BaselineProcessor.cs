using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Fairlane.Agents.Alerting;
using Fairlane.Agents.Handling;
using Fairlane.Agents.Storage;
using Fairlane.Agents.Sync;
using Fairlane.Agents.Watcher;
using Fairlane.Contracts;
using Fairlane.Contracts.Events;
using Npgsql;
using Fairlane.Agents.Tenants;

namespace Fairlane.LoadTest.Baseline;

/// <summary>
/// The baseline's work for one record, the same database work the daemon does for a webhook: in one
/// tenant-bound transaction, read the tenant, insert the processed-events ledger row (skip a
/// re-delivery), wait the handler delay, and run the real <see cref="WatcherHandler"/> (mapping
/// lookup under a row lock, stock update, sync_events row, product marked pending for Sync). Only the scheduling around
/// it differs: records are taken in partition order, one at a time per partition.
/// </summary>
internal sealed class BaselineProcessor(TenantDatabase database, int handlerDelayMs)
{
    private const int MaxAttempts = 5;
    private readonly WatcherHandler _watcher = new(new AlertStore(new NoEventBus()),
        new WatcherSyncHandoff(new SyncPushOptions(), new SyncSignal(), new NoSyncObserver()));

    public long Failed => Interlocked.Read(ref _failed);
    private long _failed;

    public async Task ProcessAsync(ConsumeResult<string?, byte[]?> record, CancellationToken cancellationToken)
    {
        var decoded = EnvelopeCodec.Decode(record.Message.Key, record.Message.Value ?? []);
        if (decoded.Envelope is not { } envelope)
        {
            Interlocked.Increment(ref _failed);
            return;
        }
        var origin = new EventOrigin(record.Topic, record.Partition.Value, record.Offset.Value, ProducedAt(record.Message.Headers));
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await database.InTenantTransactionAsync(envelope.TenantId, (c, tx, ct) => RunAsync(envelope, origin, c, tx, ct), cancellationToken);
                return;
            }
            // What a hand-written consumer does: retry what may pass, give up on the rest and move on.
            catch (NpgsqlException ex) when (ex.IsTransient && attempt < MaxAttempts && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(100 * attempt, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Interlocked.Increment(ref _failed);
                return;
            }
        }
    }

    private async Task<bool> RunAsync(EventEnvelope envelope, EventOrigin origin, NpgsqlConnection c, NpgsqlTransaction tx, CancellationToken ct)
    {
        var tenant = await TenantRecord.ReadAsync(c, tx, envelope.TenantId, ct);
        if (tenant is null || tenant.IsDeleted) return false;
        if (!await RecordProcessedAsync(c, tx, envelope.TenantId, envelope.Id, origin, ct)) return false;
        if (handlerDelayMs > 0) await Task.Delay(handlerDelayMs, ct);
        var context = new HandlerContext(c, tx, envelope.TenantId, origin);
        var outcome = await _watcher.HandleAsync(EventCatalog.StockChanged.Decode(envelope), context, ct);
        if (!outcome.Completed) throw new InvalidOperationException(outcome.Detail);
        foreach (var write in context.BeforeCommit) await write(ct);
        return true;
    }

    // The plain consumer keeps the same exactly-once ledger as Fairlane, so the comparison is like for like.
    private static async Task<bool> RecordProcessedAsync(NpgsqlConnection c, NpgsqlTransaction tx, string tenant, string eventId,
        EventOrigin origin, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO processed_events (tenant_id, event_id, topic, partition, "offset", produced_at)
            VALUES (@tenant, @event, @topic, @partition, @offset, @produced) ON CONFLICT (tenant_id, event_id) DO NOTHING
            """, c, tx);
        cmd.Parameters.AddWithValue("tenant", tenant);
        cmd.Parameters.AddWithValue("event", eventId);
        cmd.Parameters.AddWithValue("topic", origin.Topic);
        cmd.Parameters.AddWithValue("partition", origin.Partition);
        cmd.Parameters.AddWithValue("offset", origin.Offset);
        cmd.Parameters.AddWithValue("produced", (object?)origin.ProducedAt ?? DBNull.Value);
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    private static DateTimeOffset? ProducedAt(Headers? headers) =>
        headers is not null && headers.TryGetLastBytes(HeaderNames.ProducedAt, out var bytes)
            && long.TryParse(Encoding.UTF8.GetString(bytes), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;
}

/// <summary>The baseline pushes nothing, so it has no folds to count.</summary>
internal sealed class NoSyncObserver : ISyncObserver
{
    public void Folded()
    {
    }

    public void Pushed(string status, TimeSpan waited)
    {
    }
}
