using System.Globalization;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Fairlane.Contracts;
using Fairlane.Contracts.Events;
using Fairlane.Tests.Deploy;
using Fairlane.Tests.Infrastructure;

namespace Fairlane.Tests.Contracts;

/// <summary>
/// A producer that is not ours, written from the README alone: Debian's kcat, librdkafka's default
/// partitioner, the key given with -K and the header with -H, envelopes typed by hand. A running
/// worker processes them. kcat missing fails the test (scripts/test.sh installs it); it is never skipped.
/// </summary>
[Trait("Category", "Integration")]
public sealed class KcatContractTests
{
    private const string Tenant = "acme";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    // occurredAt is now: an event older than the processed-events ledger keeps is dead-lettered.
    private static string StockChanged(string id, string payload) =>
        $$"""{"id":"{{id}}","tenantId":"{{Tenant}}","type":"stock.changed","schemaVersion":1,"occurredAt":"{{Now}}","payload":{{payload}}}""";

    private static readonly string Now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    [Fact(Timeout = 120_000)]
    public async Task Events_produced_with_kcat_are_processed_once_each_and_a_broken_one_is_dead_lettered()
    {
        var kcat = ExternalTool.Require("kcat", "kcat");
        // Channels lead nowhere: the syncs the webhooks cause fail at once, which is all this test needs of them.
        // The topic hand-off puts the Watcher's requests for them on the sync topic, to validate below.
        await using var stack = await new StackBuilder().Kafka(1, 6).With("Channels:Resilience:MaxRetryAttempts", 0).With("Agents:SyncHandoff", "topic")
            .StartAsync();
        await stack.Db.RegisterTenantsAsync([Tenant]);
        await Catalog.SeedAsync(stack.Db, Tenant, [new("web", "wix")], [new("p1", Stock: 10)], [new("p1", "web", "W-1")]);

        var level = StockChanged("kcat|level", """{"channelType":"wix","channelId":"web","externalId":"W-1","quantity":20,"sequence":1}""");
        var sale = StockChanged("kcat|sale", """{"channelType":"wix","channelId":"web","externalId":"W-1","delta":-3,"sequence":2}""");
        var broken = StockChanged("kcat-3", """{"channelType":"wix","channelId":"web","delta":-1}"""); // no externalId
        foreach (var line in new[] { level, sale })
            Assert.Null(SchemaValidator.Errors(SchemaValidator.Of(EventTypes.StockChanged), JsonNode.Parse(line)));
        Assert.NotNull(SchemaValidator.Errors(SchemaValidator.Of(EventTypes.StockChanged), JsonNode.Parse(broken)));

        // The sale twice: a re-sent event (same id) must apply once. The ids hold a '|': kcat splits key
        // from value at the first one, as the README says.
        using var dir = DeployFiles.TempDirectory("kcat");
        var file = dir.Path("events.txt");
        await File.WriteAllLinesAsync(file, [$"{Tenant}|{level}", $"{Tenant}|{sale}", $"{Tenant}|{sale}", $"{Tenant}|{broken}"]);
        var producedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var result = await ExternalTool.RunAsync(kcat,
            ["-P", "-b", stack.Cluster.BootstrapServers, "-t", stack.Topics.Webhooks, "-K", "|",
             "-H", $"{HeaderNames.ProducedAt}={producedAt.ToString(CultureInfo.InvariantCulture)}", "-l", file], Deadline);
        Assert.True(result.ExitCode == 0, $"kcat failed: {result}");

        var letter = Assert.Single(await DeadLetterReader.ReadAsync(stack.Cluster.BootstrapServers, stack.Topics.DeadLetters, 1, Deadline));
        Assert.Equal(DeadLetterReasons.Malformed, letter.Reason);
        var webhooks = $"processed_events WHERE tenant_id = '{Tenant}' AND topic = '{stack.Topics.Webhooks}'";
        await Eventually.WaitAsync(() => stack.Db.ScalarAsync<long>($"SELECT count(*) FROM {webhooks}"), n => n == 2, Deadline, "both valid events processed");

        Assert.Equal(17, await Catalog.StockAsync(stack.Db, Tenant, "p1")); // 10 → level 20 → sale −3, the re-sent sale skipped
        // The header kcat set is the one the worker reads: the start of end-to-end latency.
        Assert.Equal(2, await stack.Db.ScalarAsync<long>($"SELECT count(*) FROM {webhooks} AND produced_at = to_timestamp({producedAt} / 1000.0)"));

        // What the worker produced in turn (Watcher → outbox → relay) validates against the published schema.
        foreach (var record in await ReadAsync(stack.Cluster.BootstrapServers, stack.Topics.Sync, 2))
            Assert.Null(SchemaValidator.Errors(SchemaValidator.Of(EventTypes.SyncRequested), record));
    }

    private static async Task<List<byte[]>> ReadAsync(string bootstrap, string topic, int expected)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = TestServers.UniqueName("schema-reader"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe(topic);
        var records = new List<byte[]>();
        await Eventually.WaitAsync(() =>
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { Message: { } m }) records.Add(m.Value);
            return records.Count >= expected;
        }, Deadline, $"{expected} records on {topic}");
        consumer.Close();
        return records;
    }
}
