using Fairlane.Partitioning.Placement;
using Fairlane.Tests.Infrastructure;

namespace Fairlane.Tests.Worker.Intake;

[Trait("Category", "Integration")]
public sealed class WebhookConsumeTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    private static async Task<List<(string Tenant, string EventId, int Partition)>> ProcessedRows(TestDatabase db)
    {
        var rows = new List<(string, string, int)>();
        await using var cmd = db.Owner.CreateCommand("SELECT tenant_id, event_id, partition FROM processed_events");
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add((reader.GetString(0), reader.GetString(1), reader.GetInt32(2)));
        return rows;
    }

    [Fact(Timeout = 240_000)]
    public async Task Produce_to_consume_over_three_brokers_and_24_partitions_loses_nothing()
    {
        await using var stack = await new StackBuilder().Kafka(3, 24).StartAsync();
        var (topics, producer) = (stack.Topics, stack.Producer);

        await stack.Db.RegisterTenantsAsync(EventSender.Tenants(50));
        var sent = await EventSender.SendAsync(producer, topics.Webhooks, count: 5_000, tenants: 50);
        await Eventually.WaitAsync(() => stack.ProcessedCountAsync(), n => n >= sent.Count, Deadline, "all 5000 events processed");

        var rows = await ProcessedRows(stack.Db);
        Assert.Equal(sent.Select(e => (e.TenantId, e.Id)).OrderBy(x => x), rows.Select(r => (r.Tenant, r.EventId)).OrderBy(x => x));
        // The producer's murmur2 partitioner and our placement agree, and all 24 partitions carried traffic.
        Assert.All(rows, r => Assert.Equal(TenantPlacement.PartitionFor(r.Tenant, 24), r.Partition));
        Assert.True(rows.Select(r => r.Partition).Distinct().Count() > 20);
    }

    [Fact(Timeout = 240_000)]
    public async Task A_broker_taken_down_and_brought_back_during_consumption_loses_nothing()
    {
        await using var stack = await new StackBuilder().Kafka(3, 24).StartAsync();
        var (topics, producer) = (stack.Topics, stack.Producer);

        await stack.Db.RegisterTenantsAsync(EventSender.Tenants(40));
        var first = await EventSender.SendAsync(producer, topics.Webhooks, count: 2_000, tenants: 40);
        await Eventually.WaitAsync(() => stack.ProcessedCountAsync(), n => n > 0, Deadline, "consumption to start");

        stack.Cluster.SetBrokerDown(2);
        // Sent while the broker is down: the idempotent producer retries until it is back.
        var whileDown = Task.Run(() => EventSender.SendAsync(producer, topics.Webhooks, count: 2_000, tenants: 40, firstSequence: 2_000));
        await Eventually.WaitAsync(() => stack.ProcessedCountAsync(), n => n >= 1_000, Deadline, "progress while a broker is down");
        stack.Cluster.SetBrokerUp(2);
        var second = await whileDown;

        await Eventually.WaitAsync(() => stack.ProcessedCountAsync(), n => n >= 4_000, Deadline, "all 4000 events processed");
        var rows = await ProcessedRows(stack.Db);
        Assert.Equal(first.Concat(second).Select(e => e.Id).Order(), rows.Select(r => r.EventId).Order());
    }
}
