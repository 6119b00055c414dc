using Fairlane.Contracts;
using Fairlane.Contracts.Producing;
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

    public static async Task<WorkerStack> StartAsync(int brokers = 3, int partitions = 24)
    {
        var cluster = MockCluster.Start(brokers);
        var topics = new Topics(TestServers.UniqueName("t"));
        cluster.CreateTopics(topics.All, partitions);
        var db = await TestDatabase.CreateAsync();
        var worker = await InProcessWorker.StartAsync(db, cluster.BootstrapServers, topics.Prefix);
        return new WorkerStack(cluster, topics, db, worker, new FairlaneProducer(cluster.BootstrapServers));
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
