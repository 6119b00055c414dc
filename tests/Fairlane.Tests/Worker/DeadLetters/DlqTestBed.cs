using Confluent.Kafka;
using Fairlane.Contracts.Events;
using Fairlane.Tests.Infrastructure;

namespace Fairlane.Tests.Worker.DeadLetters;

/// <summary>What the dead-letter replay tests share: a sale of a mapped item, the index's rows, and Kafka's own view of progress.</summary>
internal static class DlqTestBed
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    /// <summary>A stack whose channels lead nowhere (Sync records failed pushes at once), on one webhooks partition.</summary>
    public static Task<TestStack> StartAsync() =>
        new StackBuilder().Kafka(1, 1).With("Channels:Resilience:MaxRetryAttempts", 0).StartAsync();

    public static EventEnvelope Sale(string tenant, int delta, long sequence) =>
        EnvelopeCodec.Create(tenant, EventTypes.StockChanged,
            new StockChanged { ChannelId = "web", ChannelType = "wix", ExternalId = "W-1", Delta = delta, Sequence = sequence },
            FairlaneJsonContext.Default.StockChanged);

    /// <summary>Registers the tenant and gives it product p1 (stock 10) mapped to W-1: the fix of an unknown-tenant dead letter.</summary>
    public static async Task RegisterWithCatalogAsync(TestStack stack, string tenant)
    {
        await stack.Db.RegisterTenantsAsync([tenant]);
        await Catalog.SeedAsync(stack.Db, tenant, [new("web", "wix")], [new("p1", Stock: 10)], [new("p1", "web", "W-1")]);
    }

    public static Task<long> IndexedAsync(TestStack stack, string where = "true") =>
        stack.Db.ScalarAsync<long>($"SELECT count(*) FROM dlq_index WHERE {where}");

    /// <summary>Waits until the node's group committed every record of the webhooks partition: everything sent was handled.</summary>
    public static async Task WaitAllHandledAsync(TestStack stack, string what)
    {
        using var reader = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = stack.Cluster.BootstrapServers,
            GroupId = $"{stack.Topics.Prefix}-group-webhooks",
        }).Build();
        var partition = new TopicPartition(stack.Topics.Webhooks, 0);
        await Eventually.WaitAsync(async () =>
        {
            var high = reader.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(10)).High.Value;
            var committed = (await Task.Run(() => reader.Committed([partition], TimeSpan.FromSeconds(10))))[0].Offset.Value;
            return committed == high;
        }, done => done, Deadline, what);
    }
}
