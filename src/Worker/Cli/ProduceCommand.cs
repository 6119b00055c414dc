using System.Diagnostics;
using Confluent.Kafka;
using Fairlane.Contracts.Events;
using Fairlane.Producing;
using Fairlane.Worker.Configuration;

namespace Fairlane.Worker.Cli;

/// <summary>
/// `fairlane produce --demo N`: N valid, tenant-keyed webhook events over several tenants. Each event is a sale
/// (a stock delta) of item <c>item-NNN</c> (NNN below <c>--items</c>) on channel <c>{type}-main</c> of tenant
/// <c>demo-KK</c>: the names scripts/run-dev.sh gives the catalogue it imports, so every webhook of the demo names
/// a mapped item. The events walk tenants first, then channel types, then items, so every tenant reports from
/// every channel. They carry no sequence: a second demo run against the same database is newer, not stale.
/// </summary>
internal static class ProduceCommand
{
    private const string Demo = "--demo";
    private const string Tenants = "--tenants";
    private const string Items = "--items";
    private static readonly string[] ChannelTypes = ["eposnow", "wix", "deliveroo"];

    public static async Task<int> RunAsync(CommandLine line)
    {
        if (!line.Has(Demo)) throw new UsageException("produce needs --demo N (how many events to send).");
        var count = line.GetInt(Demo, 0, 1, 100_000_000);
        var tenants = line.GetInt(Tenants, 8, 1, 10_000);
        var items = line.GetInt(Items, 50, 1, 1_000);
        var configuration = CliConfiguration.Build(line.ConfigurationArgs);
        var kafka = configuration.GetValidated<KafkaOptions, KafkaOptionsValidator>(KafkaOptions.Section);
        await RegisterDemoTenantsAsync(configuration, tenants);

        using var producer = new FairlaneProducer(kafka.BootstrapServers, "fairlane-demo");
        var topic = kafka.Topics.Webhooks;
        var failures = new DeliveryFailures();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var envelope = EnvelopeCodec.Create(DemoTenant(i % tenants), EventTypes.StockChanged, DemoEvent(i, tenants, items), FairlaneJsonContext.Default.StockChanged);
            ProduceWhenQueueHasRoom(producer, topic, envelope, failures);
        }
        var pending = producer.Flush(TimeSpan.FromSeconds(60));
        clock.Stop();
        if (failures.Count > 0 || pending > 0)
        {
            await Console.Error.WriteLineAsync($"fairlane: {failures.Count} event(s) failed and {pending} were still queued: {failures.First}");
            return ExitCodes.Failure;
        }
        Console.WriteLine($"Sent {count} events to {topic} for {tenants} tenant(s) in {clock.Elapsed.TotalSeconds:F2} s.");
        return ExitCodes.Ok;
    }

    public static string DemoTenant(int i) => $"demo-{i + 1:00}";

    // Events of unregistered tenants are dead-lettered, so the demo registers its tenants first.
    private static async Task RegisterDemoTenantsAsync(IConfiguration configuration, int tenants)
    {
        var owner = configuration["Postgres:OwnerConnectionString"];
        if (string.IsNullOrWhiteSpace(owner))
        {
            await Console.Error.WriteLineAsync(
                "fairlane: Postgres:OwnerConnectionString is not set, so the demo tenants were not registered; their events will be dead-lettered as unknown-tenant.");
            return;
        }
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(owner);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await Agents.Tenants.TenantLifecycle.RegisterMissingAsync(connection, tx, Enumerable.Range(0, tenants).Select(DemoTenant), "Demo tenant", CancellationToken.None);
        await tx.CommitAsync();
    }

    // Event i goes to tenant i % tenants (DemoTenant); the rest of its index picks the channel, then the item.
    private static StockChanged DemoEvent(int i, int tenants, int items)
    {
        var type = ChannelTypes[i / tenants % ChannelTypes.Length];
        return new StockChanged
        {
            ChannelType = type,
            ChannelId = $"{type}-main",
            ExternalId = $"item-{i / (tenants * ChannelTypes.Length) % items:000}",
            Delta = -Random.Shared.Next(1, 4),
        };
    }

    private static void ProduceWhenQueueHasRoom(FairlaneProducer producer, string topic, EventEnvelope envelope, DeliveryFailures failures)
    {
        while (true)
        {
            try
            {
                producer.Produce(topic, envelope, failures.Observe);
                return;
            }
            catch (ProduceException<string, byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
            {
                // The client's local queue is full: let deliveries drain, then try again.
                producer.Flush(TimeSpan.FromMilliseconds(100));
            }
        }
    }

    /// <summary>Counts failed deliveries; reports arrive on the producer's delivery thread.</summary>
    private sealed class DeliveryFailures
    {
        private int _count;
        public int Count => Volatile.Read(ref _count);
        public string? First { get; private set; }

        public void Observe(DeliveryReport<string, byte[]> report)
        {
            if (!report.Error.IsError) return;
            if (Interlocked.Increment(ref _count) == 1) First = report.Error.Reason;
        }
    }
}
