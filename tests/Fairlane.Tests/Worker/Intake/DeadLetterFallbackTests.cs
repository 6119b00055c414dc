using System.Text;
using Confluent.Kafka;
using Fairlane.Contracts;
using Fairlane.Tests.Infrastructure;
using Fairlane.Worker.Observability;

namespace Fairlane.Tests.Worker.Intake;

/// <summary>
/// A dead letter the dead-letter topic refuses for good (here: larger than the node's dead-letter
/// producer allows) still completes its offset: sent without the record's own headers, or else kept
/// in PostgreSQL with its bytes; every refusal is counted.
/// </summary>
[Trait("Category", "Integration")]
public sealed class DeadLetterFallbackTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private const int DeadLetterLimit = 4_000;
    private const string Tenant = "acme";

    private static Task<TestStack> StartAsync() =>
        new StackBuilder().Kafka(1, 1).With("Kafka:DeadLetterMaxMessageBytes", DeadLetterLimit).StartAsync();

    // Not JSON, so it is dead-lettered as malformed; its headers are what makes it too large.
    private static async Task<long> SendBadRecordAsync(TestStack stack, int valueBytes, int headers)
    {
        var message = new Message<string, byte[]>
        {
            Key = Tenant,
            Value = Encoding.UTF8.GetBytes(new string('x', valueBytes)),
            Headers = [],
        };
        for (var i = 0; i < headers; i++) message.Headers.Add($"x-trace-{i}", new byte[1_000]);
        var delivered = await stack.Producer.ProduceRawAsync(stack.Topics.Webhooks, message);
        return delivered.Offset.Value;
    }

    private static double Failures(string reason) => FairlaneMetrics.DeadLetterFailures.WithLabels(reason).Value;

    // What the node's consumer group committed for the webhooks partition (Kafka's, not our metric).
    private static async Task<long> CommittedAsync(TestStack stack)
    {
        using var reader = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = stack.Cluster.BootstrapServers,
            GroupId = $"{stack.Topics.Prefix}-group-webhooks",
        }).Build();
        var committed = await Task.Run(() => reader.Committed([new TopicPartition(stack.Topics.Webhooks, 0)], TimeSpan.FromSeconds(10)));
        return committed[0].Offset.Value;
    }

    private static async Task ExecuteAsync(TestStack stack, string sql)
    {
        await using var cmd = stack.Db.Owner.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync();
    }

    private static Task<long> StoredCountAsync(TestStack stack) => stack.Db.ScalarAsync<long>("SELECT count(*) FROM dead_letters");

    [Fact(Timeout = 180_000)]
    public async Task A_dead_letter_too_large_with_its_headers_is_published_without_them_and_its_offset_commits()
    {
        await using var stack = await StartAsync();
        var refusedBefore = Failures("too_large");

        var offset = await SendBadRecordAsync(stack, valueBytes: 1_500, headers: 3);

        var letter = Assert.Single(await DeadLetterReader.ReadAsync(stack.Cluster.BootstrapServers, stack.Topics.DeadLetters, 1, Deadline));
        Assert.Equal(DeadLetterReasons.Malformed, letter.Reason);
        Assert.Equal(1_500, letter.Value.Length);
        Assert.Equal("3", letter.Headers[HeaderNames.DlqHeadersDropped]);
        Assert.DoesNotContain(letter.Headers.Keys, k => k.StartsWith("x-trace-", StringComparison.Ordinal));
        Assert.Equal(offset.ToString(System.Globalization.CultureInfo.InvariantCulture), letter.Headers[HeaderNames.DlqOriginOffset]);
        await Eventually.WaitAsync(() => CommittedAsync(stack), c => c == offset + 1, Deadline, "the record's offset to be committed");
        Assert.Equal(1, Failures("too_large") - refusedBefore);
        Assert.Equal(0, await StoredCountAsync(stack));
    }

    [Fact(Timeout = 180_000)]
    public async Task A_dead_letter_too_large_even_without_headers_is_stored_in_postgres_with_its_bytes_and_its_offset_commits()
    {
        await using var stack = await StartAsync();
        var refusedBefore = Failures("too_large");

        var offset = await SendBadRecordAsync(stack, valueBytes: 6_000, headers: 2);

        await Eventually.WaitAsync(() => StoredCountAsync(stack), n => n == 1, Deadline, "the dead letter to be stored");
        await using (var cmd = stack.Db.Owner.CreateCommand("""
            SELECT tenant_id, reason, origin_topic, origin_partition, origin_offset, convert_from(record_key, 'UTF8'),
                   record_value, header_names, publish_error
            FROM dead_letters
            """))
        await using (var row = await cmd.ExecuteReaderAsync())
        {
            Assert.True(await row.ReadAsync());
            Assert.Equal(Tenant, row.GetString(0));
            Assert.Equal(DeadLetterReasons.Malformed, row.GetString(1));
            Assert.Equal(stack.Topics.Webhooks, row.GetString(2));
            Assert.Equal(0, row.GetInt32(3));
            Assert.Equal(offset, row.GetInt64(4));
            Assert.Equal(Tenant, row.GetString(5));
            Assert.Equal(Encoding.UTF8.GetBytes(new string('x', 6_000)), row.GetFieldValue<byte[]>(6));
            Assert.Equal(["x-trace-0", "x-trace-1"], row.GetFieldValue<string[]>(7));
            Assert.Contains("MsgSizeTooLarge", row.GetString(8));
        }
        await Eventually.WaitAsync(() => CommittedAsync(stack), c => c == offset + 1, Deadline, "the record's offset to be committed");
        // Refused twice: with the record's headers, then without them.
        Assert.Equal(2, Failures("too_large") - refusedBefore);
    }

    // Anything can fail on the way, not only Kafka: here PostgreSQL refuses the fallback. The record
    // is retried (not lost, its offset held) and kept once the table is back.
    [Fact(Timeout = 180_000)]
    public async Task A_dead_letter_whose_fallback_store_fails_is_retried_until_it_is_kept_and_only_then_commits()
    {
        await using var stack = await StartAsync();
        await ExecuteAsync(stack, "ALTER TABLE dead_letters RENAME TO dead_letters_away");
        var storeFailedBefore = Failures("store_failed");

        var offset = await SendBadRecordAsync(stack, valueBytes: 6_000, headers: 0);

        await Eventually.WaitAsync(() => Failures("store_failed") - storeFailedBefore >= 2, Deadline, "the store to fail and be retried");
        Assert.NotEqual(offset + 1, await CommittedAsync(stack));
        await ExecuteAsync(stack, "ALTER TABLE dead_letters_away RENAME TO dead_letters");

        await Eventually.WaitAsync(() => StoredCountAsync(stack), n => n == 1, Deadline, "the dead letter to be stored once the table is back");
        await Eventually.WaitAsync(() => CommittedAsync(stack), c => c == offset + 1, Deadline, "the record's offset to be committed");
    }
}
