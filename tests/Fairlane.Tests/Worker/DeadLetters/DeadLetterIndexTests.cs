using Confluent.Kafka;
using Fairlane.Contracts;
using Fairlane.Contracts.Events;
using Fairlane.Tests.Infrastructure;
using Fairlane.Worker.Observability;
using Npgsql;

namespace Fairlane.Tests.Worker.DeadLetters;

/// <summary>
/// The dead-letter index misses nothing the sink kept: a dead letter is acknowledged only once it is
/// indexed, an index that cannot be written is retried without sending the record to the dead-letter
/// topic again, and the table is the owner's alone (it holds keys of tenants nobody registered).
/// </summary>
[Trait("Category", "Integration")]
public sealed class DeadLetterIndexTests
{
    private static double IndexFailures() => FairlaneMetrics.DeadLetterFailures.WithLabels("index_failed").Value;

    [Fact(Timeout = 180_000)]
    public async Task A_dead_letter_whose_index_write_fails_is_retried_until_indexed_and_published_only_once()
    {
        await using var stack = await DlqTestBed.StartAsync();
        await stack.Db.ExecuteAsync("ALTER TABLE dlq_index RENAME TO dlq_index_away");
        var failuresBefore = IndexFailures();

        // Keyed to another tenant than its envelope's: refused at intake, where only the record's bytes say what it is.
        var sale = DlqTestBed.Sale("acme", delta: -1, sequence: 1);
        var bad = await stack.Producer.ProduceRawAsync(stack.Topics.Webhooks,
            new Message<string, byte[]> { Key = "other", Value = EnvelopeCodec.Encode(sale) });

        await Eventually.WaitAsync(() => IndexFailures() - failuresBefore >= 2, DlqTestBed.Deadline, "the index write to fail and be retried");
        await stack.Db.ExecuteAsync("ALTER TABLE dlq_index_away RENAME TO dlq_index");
        await Eventually.WaitAsync(() => DlqTestBed.IndexedAsync(stack), n => n == 1, DlqTestBed.Deadline, "the dead letter to be indexed");
        await DlqTestBed.WaitAllHandledAsync(stack, "the record's offset to be committed");

        Assert.Equal(1L, DeadLetterReader.Count(stack.Cluster.BootstrapServers, stack.Topics.DeadLetters));
        Assert.Equal(1L, await DlqTestBed.IndexedAsync(stack,
            $"tenant_id = 'other' AND event_id = '{sale.Id}' AND event_type = 'stock.changed' AND reason = '{DeadLetterReasons.KeyMismatch}' " +
            $"AND origin_offset = {bad.Offset.Value} AND dlq_partition = 0 AND dlq_offset = 0"));
    }

    [Fact(Timeout = 60_000)]
    public async Task The_application_role_can_neither_read_nor_write_the_index()
    {
        await using var db = await TestDatabase.CreateAsync();
        await db.ExecuteAsync("INSERT INTO dlq_index (tenant_id, reason, origin_topic, origin_partition, origin_offset) VALUES ('ghost', 'unknown-tenant', 't', 0, 1)");

        foreach (var sql in new[] { "SELECT count(*) FROM dlq_index", "DELETE FROM dlq_index" })
        {
            await using var cmd = db.App.CreateCommand(sql);
            var ex = await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteScalarAsync());
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, ex.SqlState);
        }
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM dlq_index"));
    }
}
