using Fairlane.Contracts;
using Fairlane.Contracts.Events;
using Fairlane.DevKafka;
using Fairlane.Producing;

namespace Fairlane.Tests.Infrastructure;

/// <summary>
/// One test's own stack, built by <see cref="StackBuilder"/>: cluster and topics, database, Redis, a producer,
/// and the workers the test started, in-process or as separate processes. Every node gets the same settings
/// (<see cref="SettingsFor"/>); the stack disposes all of it.
/// </summary>
internal sealed class TestStack : IAsyncDisposable
{
    /// <summary>A port nothing listens on: the bootstrap address of a stack without Kafka.</summary>
    private const string NoBroker = "127.0.0.1:1";

    private readonly List<InProcessWorker> _workers = [];
    private readonly List<WorkerProcess> _processes = [];
    private readonly List<PrivateRedis> _redis = [];
    private readonly List<MetricsScrape> _scrapes = [];
    private WorkerSettings _shared = new();
    private MockCluster? _cluster;
    private TestDatabase? _db;
    private FairlaneProducer? _producer;

    internal TestStack() { }

    public MockCluster Cluster => _cluster ?? throw new InvalidOperationException("This stack has no Kafka cluster.");
    public Topics Topics { get; private set; } = null!;
    public TestDatabase Db { get => _db ?? throw new InvalidOperationException("This stack has no database."); internal set => _db = value; }
    public string BootstrapServers => _cluster?.BootstrapServers ?? NoBroker;

    /// <summary>The Redis key prefix every node of the stack shares (and so its notice channels), like a fleet.</summary>
    public string KeyPrefix => Topics.Prefix + ":";

    public IReadOnlyList<PrivateRedis> Redis => _redis;

    /// <summary>The first in-process worker.</summary>
    public InProcessWorker Worker => _workers[0];

    public IReadOnlyList<InProcessWorker> Workers => _workers;

    /// <summary>A producer to the stack's cluster, created on first use.</summary>
    public FairlaneProducer Producer => _producer ??=
        new FairlaneProducer(Cluster.BootstrapServers, extraConfig: [new("message.max.bytes", "4000000")]);

    internal void Initialize(MockCluster? cluster, Topics topics, WorkerSettings shared)
    {
        (_cluster, Topics, _shared) = (cluster, topics, new WorkerSettings(shared));
    }

    internal async Task AddPrivateRedisAsync() => _redis.Add(await PrivateRedis.StartAsync());

    /// <summary>
    /// The settings of one more node: the stack's servers, fresh metrics and admin ports, then the settings the
    /// test gave the builder. In-process nodes log only warnings and stop within 5 s, and use one shared Redis
    /// server; processes use all three, as deployed nodes do. Servers of the test's own replace the shared ones.
    /// </summary>
    public WorkerSettings SettingsFor(bool inProcess, int? metricsPort = null)
    {
        var s = new WorkerSettings()
            .Set("Kafka:BootstrapServers", BootstrapServers)
            .Set("Kafka:TopicPrefix", Topics.Prefix)
            .Set("Kafka:GroupId", Topics.Prefix + "-group")
            .Set("Postgres:ConnectionString", _db?.AppConnectionString ?? TestServers.AppConnectionString("fairlane"))
            .Set("Postgres:OwnerConnectionString", _db?.OwnerConnectionString ?? TestServers.OwnerConnectionString("fairlane"))
            .SetList("Redis:Endpoints", Endpoints(RedisPorts(inProcess)))
            .Set("Redis:KeyPrefix", KeyPrefix)
            .Set("Http:MetricsPort", metricsPort ?? FreePort.Next())
            .Set("Channels:CredentialKey", TestServers.CredentialKey)
            .Set("Admin:Port", FreePort.Next())
            .Set("Admin:Token", InProcessWorker.AdminToken)
            .Set("Guardian:Cron", "0 0 0 1 1 ? 2099"); // runs only when a test asks
        if (inProcess) s.Set("Logging:MinimumLevel", "Warning").Set("Worker:ShutdownGraceMs", 5000);
        return s.Apply(_shared);
    }

    /// <summary>Redis endpoint values for the given ports on the loopback interface.</summary>
    public static IEnumerable<string> Endpoints(IEnumerable<int> ports) => ports.Select(p => $"127.0.0.1:{p}");

    private IEnumerable<int> RedisPorts(bool inProcess) =>
        _redis.Count > 0 ? _redis.Select(r => r.Port) : inProcess ? TestServers.RedisPorts.Take(1) : TestServers.RedisPorts;

    /// <summary>Starts one more in-process node; <paramref name="configure"/> changes its settings only.</summary>
    public async Task<InProcessWorker> StartWorkerAsync(Action<WorkerSettings>? configure = null)
    {
        var settings = SettingsFor(inProcess: true);
        configure?.Invoke(settings);
        var worker = await InProcessWorker.StartAsync(settings);
        _workers.Add(worker);
        return worker;
    }

    /// <summary>Starts one more node as a `fairlane run` process, with its metrics on <paramref name="metricsPort"/>.</summary>
    public WorkerProcess StartProcess(int metricsPort, Action<WorkerSettings>? configure = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var settings = SettingsFor(inProcess: false, metricsPort);
        configure?.Invoke(settings);
        var all = settings.ToEnvironment();
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) all[k] = v;
        var process = WorkerProcess.Start(["run"], all);
        _processes.Add(process);
        return process;
    }

    /// <summary>A reader of a node's metrics page, closed with the stack.</summary>
    public MetricsScrape Scrape(int metricsPort)
    {
        var scrape = new MetricsScrape(metricsPort);
        _scrapes.Add(scrape);
        return scrape;
    }

    /// <summary>Runs a `fairlane` command against the stack to completion.</summary>
    public Task<(int ExitCode, string Stdout, string Stderr)> RunCliAsync(IEnumerable<string> args, TimeSpan deadline, Action<WorkerSettings>? configure = null)
    {
        var settings = SettingsFor(inProcess: false);
        configure?.Invoke(settings);
        return WorkerProcess.RunToEndAsync(args, settings.ToEnvironment(), deadline);
    }

    /// <summary>Sends events to the webhooks topic and waits until the brokers acknowledged every one.</summary>
    public async Task SendAsync(IEnumerable<EventEnvelope> events)
    {
        var failures = 0;
        foreach (var e in events) Producer.Produce(Topics.Webhooks, e, r => { if (r.Error.IsError) Interlocked.Increment(ref failures); });
        Assert.Equal(0, await Task.Run(() => Producer.Flush(TimeSpan.FromSeconds(60))));
        Assert.Equal(0, failures);
    }

    /// <summary>
    /// Sends events in chunks, each once the in-process worker has consumed the previous ones. The embedded
    /// broker keeps only ~5 MB per partition, so a flood must build its backlog in Fairlane (the park), not
    /// in the broker, or its oldest records fall off unread.
    /// </summary>
    public async Task SendPacedAsync(IEnumerable<EventEnvelope> events, int chunk = 2_000)
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

    /// <summary>How many webhooks partitions a node owns now, by its metrics (0 when it does not answer).</summary>
    public async Task<double> WebhookPartitionsOfAsync(MetricsScrape metrics) =>
        await metrics.ReadAsync($"fairlane_assigned_partitions{{topic=\"{Topics.Webhooks}\"}}") ?? 0;

    public async ValueTask DisposeAsync()
    {
        _producer?.Dispose();
        foreach (var scrape in _scrapes) scrape.Dispose();
        foreach (var process in _processes) await process.DisposeAsync();
        foreach (var worker in _workers) await worker.DisposeAsync();
        foreach (var redis in _redis) await redis.DisposeAsync();
        if (_db is not null) await _db.DisposeAsync();
        _cluster?.Dispose();
    }
}
