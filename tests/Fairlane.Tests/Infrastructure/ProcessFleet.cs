using System.Globalization;
using Fairlane.Contracts;
using Fairlane.Contracts.Events;
using Fairlane.Producing;
using Fairlane.DevKafka;

namespace Fairlane.Tests.Infrastructure;

/// <summary>
/// A test's own cluster, topics and database for a fleet of real <c>fairlane</c> processes, which the
/// test starts, kills and restarts itself (<see cref="StartWorker"/>). Every worker shares the
/// settings given here, as the nodes of one fleet do.
/// </summary>
internal sealed class ProcessFleet : IAsyncDisposable
{
    private readonly Dictionary<string, string> _settings;

    private ProcessFleet(MockCluster cluster, Topics topics, TestDatabase db, FairlaneProducer producer, Dictionary<string, string> settings)
    {
        (Cluster, Topics, Db, Producer, _settings) = (cluster, topics, db, producer, settings);
    }

    public MockCluster Cluster { get; }
    public Topics Topics { get; }
    public TestDatabase Db { get; }
    public FairlaneProducer Producer { get; }

    /// <param name="settings">Extra worker settings as environment variables (<c>FAIRLANE__ENGINE__...</c>).</param>
    public static async Task<ProcessFleet> StartAsync(int partitions, IReadOnlyDictionary<string, string>? settings = null)
    {
        var cluster = MockCluster.Start(3);
        var topics = new Topics(TestServers.UniqueName("t"));
        cluster.CreateTopics(topics.All, partitions);
        var db = await TestDatabase.CreateAsync();
        var all = new Dictionary<string, string>
        {
            // A killed member holds its partitions until its session expires: keep that short here.
            ["FAIRLANE__KAFKA__SESSIONTIMEOUTMS"] = "6000",
            ["FAIRLANE__LOGGING__MINIMUMLEVEL"] = "Warning",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string>()) all[k] = v;
        return new ProcessFleet(cluster, topics, db, new FairlaneProducer(cluster.BootstrapServers), all);
    }

    /// <summary>Starts one more node of the fleet, with its metrics on <paramref name="metricsPort"/>.</summary>
    public WorkerProcess StartWorker(int metricsPort)
    {
        var environment = WorkerEnvironment.For(Db, Cluster.BootstrapServers, Topics.Prefix, metricsPort);
        foreach (var (k, v) in _settings) environment[k] = v;
        return WorkerProcess.Start(["run"], environment);
    }

    /// <summary>Sends events to the webhooks topic and waits until the brokers acknowledged every one.</summary>
    public async Task SendAsync(IEnumerable<EventEnvelope> events)
    {
        var failures = 0;
        foreach (var e in events) Producer.Produce(Topics.Webhooks, e, r => { if (r.Error.IsError) Interlocked.Increment(ref failures); });
        Assert.Equal(0, await Task.Run(() => Producer.Flush(TimeSpan.FromSeconds(60))));
        Assert.Equal(0, failures);
    }

    /// <summary>How many webhooks partitions a node owns now, by its metrics (0 when it does not answer).</summary>
    public async Task<double> WebhookPartitionsOfAsync(MetricsScrape metrics) =>
        await metrics.ReadAsync($"fairlane_assigned_partitions{{topic=\"{Topics.Webhooks}\"}}") ?? 0;

    public static string Setting(int value) => value.ToString(CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        Producer.Dispose();
        await Db.DisposeAsync();
        Cluster.Dispose();
    }
}
