using Fairlane.Contracts;
using Fairlane.Contracts.Events;
using Fairlane.Producing;
using Fairlane.Worker.Configuration;
using Fairlane.Worker.Infrastructure;
using Fairlane.Worker.Observability;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Fairlane.Worker.Outbox;

/// <summary>
/// Publishes the outbox to Kafka. Every node runs it; a transaction-scoped advisory lock lets one at
/// a time take a batch, in id order, so each tenant's follow-up events keep the order they were
/// written in (one tenant, one partition, and the idempotent producer keeps order within it). Rows
/// are marked sent in the same transaction after the brokers acknowledged them: a crash in between
/// publishes them again, and the consumers' processed-events ledger makes that harmless. Having found
/// nothing, it sleeps until the outbox trigger's notice says a transaction wrote rows, or its poll
/// interval passed: the poll is the fallback for a notice missed while the listening session was down.
/// </summary>
internal sealed partial class OutboxRelay(
    DataSources dataSources, IOptions<KafkaOptions> kafka, IOptions<WorkerOptions> worker, IOptions<AgentOptions> options,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    private const long LockKey = 0x46_4C_4F_55_54_42_4F_58; // "FLOUTBOX"
    private static readonly TimeSpan CleanupInterval = TimeSpan.FromMinutes(5);
    private readonly Topics _topics = kafka.Value.Topics;

    // PostgreSQL or Kafka unreachable: nothing was marked sent; try again later.
    private readonly Polly.ResiliencePipeline _retry = RetryPolicies.Outbox.Build(_ => true,
        (ex, _, delay) => LogRelayFailed(logger, ex, delay.TotalMilliseconds));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var producer = new FairlaneProducer(kafka.Value.BootstrapServers, $"fairlane-{worker.Value.NodeId}-outbox");
        var poll = TimeSpan.FromMilliseconds(options.Value.OutboxPollMs);
        using var notices = new OutboxNotices(dataSources, logger);
        using var listening = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var listener = Task.Run(() => notices.RunAsync(listening.Token), CancellationToken.None);
        try
        {
            await RelayUntilStoppedAsync(producer, notices, poll, stoppingToken);
        }
        finally
        {
            await listening.CancelAsync();
            await listener;
        }
    }

    private async Task RelayUntilStoppedAsync(FairlaneProducer producer, OutboxNotices notices, TimeSpan poll, CancellationToken stoppingToken)
    {
        var nextCleanup = TimeSpan.Zero;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var sent = await _retry.ExecuteAsync(async ct =>
                {
                    var relayed = await RelayBatchAsync(producer, ct);
                    if (clock.Elapsed >= nextCleanup)
                    {
                        await DeleteOldSentAsync(ct);
                        nextCleanup = clock.Elapsed + CleanupInterval;
                    }
                    return relayed;
                }, stoppingToken);
                if (sent == 0)
                {
                    var cause = await notices.WaitAsync(poll, stoppingToken);
                    FairlaneMetrics.OutboxWakeups.WithLabels(cause == OutboxWakeCause.Notify ? "notify" : "poll").Inc();
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task<int> RelayBatchAsync(FairlaneProducer producer, CancellationToken cancellationToken)
    {
        await using var connection = await dataSources.Owner.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCmd = new NpgsqlCommand("SELECT pg_try_advisory_xact_lock(@key)", connection, tx))
        {
            lockCmd.Parameters.AddWithValue("key", LockKey);
            if (!(bool)(await lockCmd.ExecuteScalarAsync(cancellationToken))!) return 0; // another node is relaying
        }

        var rows = new List<(long Id, string Topic, string Tenant, byte[] Value, string? TraceParent, string? TraceState)>();
        await using (var select = new NpgsqlCommand(
            "SELECT id, topic, tenant_id, value, trace_parent, trace_state FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT @limit", connection, tx))
        {
            select.Parameters.AddWithValue("limit", options.Value.OutboxBatchSize);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<byte[]>(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
            }
        }
        if (rows.Count == 0) return 0;

        var deliveries = new List<Task>(rows.Count);
        foreach (var row in rows)
        {
            var decoded = EnvelopeCodec.Decode(row.Tenant, row.Value, int.MaxValue);
            if (decoded.Envelope is null)
            {
                // Written by a handler of ours, so this is a bug, not bad input: keep the row unsent for a fix.
                throw new InvalidOperationException($"Outbox row {row.Id} does not hold a valid event: {decoded.Reason} ({decoded.Detail}).");
            }
            // The catalogue says where a type goes; the row's topic column only shows it to operators.
            if (EventCatalog.Find(decoded.Envelope.Type) is not { } definition)
                throw new InvalidOperationException($"Outbox row {row.Id} holds an event of type '{decoded.Envelope.Type}', which the catalogue does not know.");
            deliveries.Add(PublishAsync(producer, _topics.For(definition.Topic), decoded.Envelope, row.TraceParent, row.TraceState, cancellationToken));
        }
        await Task.WhenAll(deliveries);

        await using (var mark = new NpgsqlCommand("UPDATE outbox SET sent_at = now() WHERE id = ANY(@ids)", connection, tx))
        {
            mark.Parameters.AddWithValue("ids", rows.Select(r => r.Id).ToArray());
            await mark.ExecuteNonQueryAsync(cancellationToken);
        }
        await tx.CommitAsync(cancellationToken);
        FairlaneMetrics.OutboxPublished.Inc(rows.Count);
        return rows.Count;
    }

    // The publish span continues the row's context (the transaction that wrote it), and the record carries
    // that span on; with tracing off here the row's own context still travels, so the trace is not cut.
    private static async Task PublishAsync(FairlaneProducer producer, string topic, EventEnvelope envelope, string? traceParent,
        string? traceState, CancellationToken cancellationToken)
    {
        using var span = Tracing.StartPublish(topic, envelope.TenantId, envelope.Id, Tracing.Parse(traceParent, traceState));
        var delivered = await producer.ProduceAsync(topic, envelope, Tracing.TraceParentOf(span) ?? traceParent,
            span is null ? traceState : span.TraceStateString, cancellationToken);
        span?.SetTag(Tracing.Partition, delivered.Partition.Value).SetTag(Tracing.Offset, delivered.Offset.Value);
    }

    private async Task DeleteOldSentAsync(CancellationToken cancellationToken)
    {
        await using var cmd = dataSources.Owner.CreateCommand("DELETE FROM outbox WHERE sent_at < now() - make_interval(hours => @hours)");
        cmd.Parameters.AddWithValue("hours", options.Value.OutboxRetentionHours);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Relaying the outbox failed; retrying in {DelayMs:F0} ms")]
    private static partial void LogRelayFailed(ILogger logger, Exception ex, double delayMs);
}
