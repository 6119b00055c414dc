using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Fairlane.Contracts;
using Fairlane.Contracts.Events;
using Fairlane.Tests.Infrastructure;

namespace Fairlane.Tests.Worker.DeadLetters;

/// <summary>
/// `fairlane dlq` as an operator uses it: a dead letter is indexed when it is kept, listed, and once
/// its cause is fixed replayed to its origin topic, where it is applied exactly once; replaying again
/// sends nothing, and forcing it (--again) is absorbed by the processed-events ledger.
/// </summary>
[Trait("Category", "Integration")]
public sealed class DeadLetterReplayCliTests
{
    private const string Tenant = "late";

    private sealed record Run(int ExitCode, string Stdout, string Stderr)
    {
        public JsonElement Json => JsonDocument.Parse(Stdout).RootElement;
        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
    }

    private static async Task<Run> DlqAsync(TestStack stack, params string[] args)
    {
        var (code, stdout, stderr) = await stack.RunCliAsync(["dlq", .. args], DlqTestBed.Deadline);
        return new Run(code, stdout, stderr);
    }

    [Fact(Timeout = 300_000)]
    public async Task A_dead_letter_whose_cause_is_fixed_is_replayed_and_applied_exactly_once()
    {
        await using var stack = await DlqTestBed.StartAsync();
        var sale = DlqTestBed.Sale(Tenant, delta: -3, sequence: 1);
        var sent = await stack.Producer.ProduceAsync(stack.Topics.Webhooks, sale);

        // Indexed as it was kept, with what an operator needs to find it and where the record is.
        await Eventually.WaitAsync(() => DlqTestBed.IndexedAsync(stack), n => n == 1, DlqTestBed.Deadline, "the dead letter to be indexed");
        var list = await DlqAsync(stack, "list", "--tenant", Tenant, "--since", "1h", "--json");
        Assert.True(list.ExitCode == 0, list.ToString());
        var entry = Assert.Single(list.Json.EnumerateArray());
        Assert.Equal(sale.Id, entry.GetProperty("eventId").GetString());
        Assert.Equal(EventTypes.StockChanged, entry.GetProperty("eventType").GetString());
        Assert.Equal(DeadLetterReasons.UnknownTenant, entry.GetProperty("reason").GetString());
        Assert.Equal(stack.Topics.Webhooks, entry.GetProperty("originTopic").GetString());
        Assert.Equal(sent.Offset.Value, entry.GetProperty("originOffset").GetInt64());
        Assert.Equal(0, entry.GetProperty("dlqOffset").GetInt64());
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("replayedAt").ValueKind);
        Assert.Empty((await DlqAsync(stack, "list", "--reason", DeadLetterReasons.Malformed, "--json")).Json.EnumerateArray());

        await DlqTestBed.RegisterWithCatalogAsync(stack, Tenant);
        var dryRun = await DlqAsync(stack, "replay", "--reason", DeadLetterReasons.UnknownTenant, "--dry-run", "--json");
        Assert.True(dryRun.ExitCode == 0, dryRun.ToString());
        Assert.Equal(1, dryRun.Json.GetProperty("matched").GetInt32());
        Assert.Equal(0, dryRun.Json.GetProperty("replayed").GetInt32());
        Assert.Equal(1L, DeadLetterReader.Count(stack.Cluster.BootstrapServers, stack.Topics.Webhooks)); // nothing re-sent

        var replay = await DlqAsync(stack, "replay", "--reason", DeadLetterReasons.UnknownTenant, "--tenant", Tenant);
        Assert.True(replay.ExitCode == 0, replay.ToString());
        Assert.Contains("Replayed 1 of 1", replay.Stdout);
        await Eventually.WaitAsync(() => Catalog.StockAsync(stack.Db, Tenant, "p1"), s => s == 7, DlqTestBed.Deadline, "the replayed sale applied");
        Assert.Equal(1L, await DlqTestBed.IndexedAsync(stack, "replay_count = 1 AND replayed_at IS NOT NULL"));

        // The replayed row is not sent again...
        var second = await DlqAsync(stack, "replay", "--reason", DeadLetterReasons.UnknownTenant, "--json");
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(0, second.Json.GetProperty("matched").GetInt32());
        Assert.Equal(2L, DeadLetterReader.Count(stack.Cluster.BootstrapServers, stack.Topics.Webhooks));

        // ...and sent again on request, the ledger skips it: the stock moved once.
        var again = await DlqAsync(stack, "replay", "--reason", DeadLetterReasons.UnknownTenant, "--again", "--json");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(1, again.Json.GetProperty("replayed").GetInt32());
        Assert.Equal(3L, DeadLetterReader.Count(stack.Cluster.BootstrapServers, stack.Topics.Webhooks));
        await DlqTestBed.WaitAllHandledAsync(stack, "the forced replay handled");
        Assert.Equal(7, await Catalog.StockAsync(stack.Db, Tenant, "p1"));
        Assert.Equal(1L, await stack.Db.ScalarAsync<long>($"SELECT count(*) FROM processed_events WHERE event_id = '{sale.Id}'"));
        Assert.Equal(1L, await DlqTestBed.IndexedAsync(stack)); // nothing dead-lettered on the way
    }

    // Too large for the dead-letter topic even without headers, so kept in dead_letters: the replay reads it from there.
    [Fact(Timeout = 240_000)]
    public async Task A_dead_letter_stored_in_postgres_is_replayed_from_the_table_with_its_key_and_headers()
    {
        await using var stack = await new StackBuilder().Kafka(1, 1).With("Channels:Resilience:MaxRetryAttempts", 0)
            .With("Kafka:DeadLetterMaxMessageBytes", 4_000).StartAsync();
        var sale = DlqTestBed.Sale(Tenant, delta: -2, sequence: 1);
        // Members the envelope does not know are ignored by the decoder: padding that makes the record too large for the DLQ.
        var json = Encoding.UTF8.GetString(EnvelopeCodec.Encode(sale));
        var padded = Encoding.UTF8.GetBytes(json[..^1] + $",\"padding\":\"{new string('x', 6_000)}\"}}");
        await stack.Producer.ProduceRawAsync(stack.Topics.Webhooks,
            new Message<string, byte[]> { Key = Tenant, Value = padded, Headers = [new Header("x-trace", "t-1"u8.ToArray())] });
        await Eventually.WaitAsync(() => DlqTestBed.IndexedAsync(stack, "dlq_partition IS NULL AND dlq_offset IS NULL"), n => n == 1,
            DlqTestBed.Deadline, "the dead letter to be stored and indexed");
        Assert.Equal(1L, await stack.Db.ScalarAsync<long>("SELECT count(*) FROM dead_letters"));

        await DlqTestBed.RegisterWithCatalogAsync(stack, Tenant);
        var replay = await DlqAsync(stack, "replay", "--reason", DeadLetterReasons.UnknownTenant);
        Assert.True(replay.ExitCode == 0, replay.ToString());
        await Eventually.WaitAsync(() => Catalog.StockAsync(stack.Db, Tenant, "p1"), s => s == 8, DlqTestBed.Deadline, "the replayed sale applied");

        using var reader = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = stack.Cluster.BootstrapServers,
            GroupId = TestServers.UniqueName("replayed"),
        }).Build();
        reader.Assign(new TopicPartitionOffset(stack.Topics.Webhooks, 0, 1));
        var replayed = reader.Consume(TimeSpan.FromSeconds(30));
        Assert.NotNull(replayed);
        Assert.Equal(Tenant, replayed.Message.Key);
        Assert.Equal(padded, replayed.Message.Value);
        Assert.Equal("t-1", Encoding.UTF8.GetString(replayed.Message.Headers.GetLastBytes("x-trace")));
        Assert.Equal($"dead_letters {stack.Topics.Webhooks}/0@0", Encoding.UTF8.GetString(replayed.Message.Headers.GetLastBytes("fl-replayed-from")));
    }

    [Fact(Timeout = 120_000)]
    public async Task Replay_without_a_reason_or_a_bad_since_is_a_usage_error()
    {
        await using var stack = await new StackBuilder().NoKafka().InProcessWorkers(0).StartAsync();
        Assert.Equal(2, (await DlqAsync(stack, "replay")).ExitCode);
        Assert.Equal(2, (await DlqAsync(stack, "list", "--since", "yesterday")).ExitCode);
        var empty = await DlqAsync(stack, "list");
        Assert.True(empty.ExitCode == 0, empty.ToString());
        Assert.Contains("0 dead letter(s).", empty.Stdout);
    }
}
