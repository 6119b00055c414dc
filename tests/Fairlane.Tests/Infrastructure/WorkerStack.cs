using Fairlane.Contracts;
using Fairlane.Producing;
using Fairlane.DevKafka;

namespace Fairlane.Tests.Infrastructure;

/// <summary>
/// One test's own stack: an embedded Kafka cluster with the Fairlane topics under a unique prefix,
/// a fresh migrated database, the daemon's host running in-process, and a producer.
/// </summary>
internal sealed class WorkerStack : IAsyncDisposable
{
    private WorkerStack(MockCluster cluster, Topics topics, TestDatabase db, InProcessWorker worker, FairlaneProducer producer)
    {
        Cluster = cluster;
        Topics = topics;
        Db = db;
        Worker = worker;
        Producer = producer;
    }

    public MockCluster Cluster { get; }
    public Topics Topics { get; }
    public TestDatabase Db { get; }
    public InProcessWorker Worker { get; }
    public FairlaneProducer Producer { get; }

    public static async Task<WorkerStack> StartAsync(int brokers = 3, int partitions = 24, params string[] workerSettings)
    {
        var cluster = MockCluster.Start(brokers);
        var topics = new Topics(TestServers.UniqueName("t"));
        cluster.CreateTopics(topics.All, partitions);
        var db = await TestDatabase.CreateAsync();
        var worker = await InProcessWorker.StartAsync(db, cluster.BootstrapServers, topics.Prefix, workerSettings);
        var producer = new FairlaneProducer(cluster.BootstrapServers, extraConfig: [new("message.max.bytes", "4000000")]);
        return new WorkerStack(cluster, topics, db, worker, producer);
    }

    /// <summary>
    /// Sends events in chunks, each once the worker has consumed the previous ones. The embedded
    /// broker keeps only ~5 MB per partition, so a flood must build its backlog in Fairlane (the
    /// park), not in the broker, or its oldest records fall off unread.
    /// </summary>
    public async Task SendPacedAsync(IEnumerable<Fairlane.Contracts.Events.EventEnvelope> events, int chunk = 2_000)
    {
        var consumed = Fairlane.Worker.Observability.FairlaneMetrics.EventsConsumed.WithLabels(Topics.Webhooks);
        var start = consumed.Value;
        var sent = 0;
        foreach (var batch in events.Chunk(chunk))
        {
            foreach (var e in batch) Producer.Produce(Topics.Webhooks, e);
            Assert.Equal(0, Producer.Flush(TimeSpan.FromSeconds(60)));
            sent += batch.Length;
            await Eventually.WaitAsync(() => consumed.Value - start >= sent, TimeSpan.FromSeconds(60), $"the worker to consume {sent} events");
        }
    }

    public Task<long> ProcessedCountAsync() => Db.ScalarAsync<long>("SELECT count(*) FROM processed_events");

    public async ValueTask DisposeAsync()
    {
        Producer.Dispose();
        await Worker.DisposeAsync();
        await Db.DisposeAsync();
        Cluster.Dispose();
    }
}
