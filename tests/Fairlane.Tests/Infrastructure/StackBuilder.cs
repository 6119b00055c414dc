using Fairlane.Contracts;
using Fairlane.DevKafka;

namespace Fairlane.Tests.Infrastructure;

/// <summary>
/// Describes one test's stack: brokers and partitions (the mock cluster, topics under a unique prefix), a
/// unique database, Redis (the shared servers under the test's own key prefix, or servers of its own), the
/// worker settings every node shares, and how many in-process workers start with it. Processes are started
/// by the test itself (<see cref="TestStack.StartProcess"/>), since tests kill and restart them.
/// </summary>
internal sealed class StackBuilder
{
    private int _brokers = 1;
    private int _partitions = 6;
    private bool _kafka = true;
    private Action<MockCluster, Topics>? _createTopics;
    private bool _database = true;
    private bool _migrate = true;
    private string[] _tenants = [];
    private int _privateRedis;
    private int _inProcessWorkers = 1;
    private readonly WorkerSettings _settings = new();

    /// <summary>A mock cluster of <paramref name="brokers"/> brokers with every Fairlane topic at <paramref name="partitions"/> partitions.</summary>
    public StackBuilder Kafka(int brokers, int partitions)
    {
        (_brokers, _partitions, _kafka) = (brokers, partitions, true);
        return this;
    }

    /// <summary>Creates the topics as the test needs them instead of all of them at one partition count.</summary>
    public StackBuilder Topics(Action<MockCluster, Topics> create)
    {
        _createTopics = create;
        return this;
    }

    /// <summary>No cluster: the workers are pointed at a closed port (for commands and startup checks that never reach Kafka).</summary>
    public StackBuilder NoKafka()
    {
        _kafka = false;
        return this;
    }

    /// <summary>A fresh database, migrated unless the daemon under test is to migrate it itself.</summary>
    public StackBuilder Database(bool migrate = true)
    {
        (_database, _migrate) = (true, migrate);
        return this;
    }

    /// <summary>No database of the test's own: the settings name the shared server's default database, which such tests never reach.</summary>
    public StackBuilder NoDatabase()
    {
        _database = false;
        return this;
    }

    public StackBuilder Tenants(params string[] tenants)
    {
        _tenants = tenants;
        return this;
    }

    /// <summary>Redis servers of the test's own (which it may stop and start), instead of the shared ones.</summary>
    public StackBuilder PrivateRedis(int nodes)
    {
        _privateRedis = nodes;
        return this;
    }

    /// <summary>How many in-process workers start with the stack (1 unless told; 0 for tests that start processes).</summary>
    public StackBuilder InProcessWorkers(int count)
    {
        _inProcessWorkers = count;
        return this;
    }

    /// <summary>
    /// For a fleet of processes the test starts, kills and restarts itself: no in-process worker, warnings
    /// only, and a short session, since a killed member holds its partitions until its session expires.
    /// </summary>
    public StackBuilder ForProcesses() =>
        InProcessWorkers(0).With("Kafka:SessionTimeoutMs", 6000).With("Logging:MinimumLevel", "Warning");

    /// <summary>A setting every node of the stack shares, by configuration key (<c>Engine:Workers</c>).</summary>
    public StackBuilder With(string key, object value)
    {
        _settings.Set(key, value);
        return this;
    }

    public StackBuilder With(IEnumerable<(string Key, object Value)> settings)
    {
        foreach (var (key, value) in settings) _settings.Set(key, value);
        return this;
    }

    public async Task<TestStack> StartAsync()
    {
        var stack = new TestStack();
        try
        {
            var topics = new Topics(TestServers.UniqueName("t"));
            var cluster = _kafka ? MockCluster.Start(_brokers) : null;
            stack.Initialize(cluster, topics, _settings); // from here on the stack disposes what it holds
            if (cluster is not null)
            {
                if (_createTopics is null) cluster.CreateTopics(topics.All, _partitions);
                else _createTopics(cluster, topics);
            }
            if (_database)
            {
                stack.Db = await TestDatabase.CreateAsync(_migrate);
                if (_tenants.Length > 0) await stack.Db.RegisterTenantsAsync(_tenants);
            }
            for (var i = 0; i < _privateRedis; i++) await stack.AddPrivateRedisAsync();
            for (var i = 0; i < _inProcessWorkers; i++) await stack.StartWorkerAsync();
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }
}
