using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Fairlane.DevKafka.Native;

namespace Fairlane.DevKafka;

/// <summary>
/// An in-process Kafka cluster: librdkafka's mock cluster, the one librdkafka's own tests use.
/// It speaks the Kafka protocol on loopback ports (producers, idempotence, consumer groups,
/// offset commits), keeps every partition log in memory, and dies with the process.
/// </summary>
/// <remarks>
/// <para>Creating a topic that exists throws <see cref="MockClusterException"/> with
/// <see cref="MockClusterException.ErrorCode"/> 36 (TOPIC_ALREADY_EXISTS); the existing topic is
/// left as it was.</para>
/// <para>Leader election is emulated here; the mock has none. A broker set down would otherwise
/// keep leading its partitions, which stall until it is back, whatever the replication factor.
/// So for topics created through this class, partitions it leads move to their next replica that
/// is up; with one replica they go offline until it returns, as in Kafka. Leadership does not
/// move back when the broker returns (Kafka only rebalances leaders every 5 minutes).</para>
/// <para>Differences from Kafka that clients notice:</para>
/// <list type="bullet">
/// <item>After a partition changes leader, the mock rejects commits of offsets read before the
/// change (FENCED_LEADER_EPOCH), which Kafka accepts; a consumer is fine again once it commits a
/// record written after the change, but a restart before that re-reads from the last accepted
/// commit.</item>
/// <item>Group coordinators never move: the group id hashes over all brokers, up or not, so a
/// group whose coordinator is down cannot join, rebalance or commit until it returns.</item>
/// <item>When the last member leaves a group, the next member to join waits up to the session
/// timeout of the one that left minus 1 s (44 s with librdkafka's default 45 s) for its first
/// assignment. Use a new group id, or a short <c>session.timeout.ms</c>, to rejoin fast.</item>
/// <item>Each partition keeps at most 5 MiB (or 100,000 batches) of records; older batches are
/// dropped.</item>
/// </list>
/// </remarks>
public sealed partial class MockCluster : IDisposable
{
    /// <summary>
    /// The mock's group.initial.rebalance.delay.ms used unless told otherwise: a new group gets
    /// its first assignment in about 0.1-0.2 s, against 3.2 s with the mock's (and Kafka's) 3000.
    /// </summary>
    public const int DefaultInitialRebalanceDelayMs = 0;

    /// <summary>Largest replication factor given to topics created without one.</summary>
    public const int MaxDefaultReplicationFactor = 3;

    // Each call hands an op to the mock's thread, which wakes on a pipe but empties that pipe
    // only after answering, so an op sent right after the previous answer can lose its wake-up
    // and wait for the thread's 1 s poll timeout. Without a pause, creating one topic of 24
    // partitions (25 calls) took up to 8 s; with it, about 30 ms.
    private static readonly TimeSpan PaceInterval = TimeSpan.FromMilliseconds(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, ManagedTopic> _topics = new(StringComparer.Ordinal);
    private readonly bool[] _down;
    private long _lastCall;
    private nint _handle;
    private nint _cluster;

    private MockCluster(nint handle, nint cluster, int brokers)
    {
        _handle = handle;
        _cluster = cluster;
        Brokers = brokers;
        _down = new bool[brokers];
        BootstrapServers = LibRdKafka.Bootstraps(cluster);
    }

    /// <summary>Comma-separated <c>host:port</c> list of every broker, for <c>bootstrap.servers</c>.</summary>
    public string BootstrapServers { get; }

    /// <summary>Number of brokers; their ids are 1 to <see cref="Brokers"/>.</summary>
    public int Brokers { get; }

    /// <summary>Replication factor of topics created without one: min(3, <see cref="Brokers"/>).</summary>
    public int DefaultReplicationFactor => Math.Min(MaxDefaultReplicationFactor, Brokers);

    /// <summary>Starts a cluster listening on free loopback ports.</summary>
    /// <param name="brokers">Broker count, at least 1.</param>
    /// <param name="initialRebalanceDelayMs">
    /// How long a new consumer group waits for more members before its first assignment;
    /// negative keeps the mock's default of 3000 ms.
    /// </param>
    public static MockCluster Start(int brokers = 3, int initialRebalanceDelayMs = DefaultInitialRebalanceDelayMs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokers, 1);
        var handle = CreateHostHandle();
        var cluster = LibRdKafka.MockClusterNew(handle, brokers);
        if (cluster == 0)
        {
            LibRdKafka.Destroy(handle);
            throw new MockClusterException(-1,
                $"librdkafka could not start a mock cluster of {brokers} brokers (no free loopback port or socket?)");
        }
        if (initialRebalanceDelayMs >= 0) LibRdKafka.MockGroupInitialRebalanceDelayMs(cluster, initialRebalanceDelayMs);
        return new MockCluster(handle, cluster, brokers);
    }

    /// <summary>Creates a topic.</summary>
    /// <param name="name">A valid Kafka topic name (<see cref="IsValidTopicName"/>).</param>
    /// <param name="partitions">Partition count, at least 1.</param>
    /// <param name="replicationFactor">1 to <see cref="Brokers"/>; default <see cref="DefaultReplicationFactor"/>.</param>
    /// <exception cref="MockClusterException">The topic exists (error code 36) or librdkafka refused it.</exception>
    public void CreateTopic(string name, int partitions, int? replicationFactor = null)
    {
        ValidateTopicName(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        var replicas = replicationFactor ?? DefaultReplicationFactor;
        if (replicas < 1 || replicas > Brokers)
        {
            throw new ArgumentOutOfRangeException(nameof(replicationFactor), replicas,
                $"the replication factor must be between 1 and the broker count ({Brokers})");
        }

        lock (_gate)
        {
            var cluster = Cluster();
            var err = Paced(() => LibRdKafka.MockTopicCreate(cluster, name, partitions, replicas));
            if (err != LibRdKafka.NoError)
            {
                throw new MockClusterException(err, $"cannot create topic '{name}': {LibRdKafka.ErrorText(err)}");
            }

            // The mock picks each leader at random; pin them so leadership is spread evenly and
            // known to the failover in SetBrokerState.
            var topic = new ManagedTopic(partitions, replicas, Brokers);
            _topics[name] = topic;
            for (var p = 0; p < partitions; p++)
            {
                var up = Array.Find(topic.Replicas[p], b => !_down[b - 1]);
                topic.Leaders[p] = up != 0 ? up : topic.Replicas[p][0];
                SetLeader(cluster, name, p, topic.Leaders[p]);
            }
        }
    }

    /// <summary>Creates several topics with the same partition count and replication factor.</summary>
    public void CreateTopics(IEnumerable<string> names, int partitions, int? replicationFactor = null)
    {
        ArgumentNullException.ThrowIfNull(names);
        foreach (var name in names) CreateTopic(name, partitions, replicationFactor);
    }

    /// <summary>Whether Kafka would accept <paramref name="name"/> as a topic name.</summary>
    public static bool IsValidTopicName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= 249 && name is not ("." or "..") && TopicName().IsMatch(name);

    /// <summary>
    /// Closes the broker's connections and refuses new ones until <see cref="SetBrokerUp"/>;
    /// the partitions it leads move to another replica that is up, if they have one.
    /// No-op if already down.
    /// </summary>
    public void SetBrokerDown(int brokerId) => SetBrokerState(brokerId, down: true);

    /// <summary>
    /// Lets the broker accept connections again. It takes over only partitions that had no
    /// replica up; the others keep their current leader. No-op if already up.
    /// </summary>
    public void SetBrokerUp(int brokerId) => SetBrokerState(brokerId, down: false);

    /// <summary>
    /// Makes the cluster answer the next requests of one Kafka API with these errors, one request
    /// each, whichever client sends them; for fault tests (e.g. API key 1, Fetch, with 1,
    /// OFFSET_OUT_OF_RANGE, resets a consumer's position).
    /// </summary>
    public unsafe void PushRequestErrors(short apiKey, params int[] errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        lock (_gate)
        {
            var cluster = Cluster();
            fixed (int* e = errors)
            {
                var address = (nint)e; // the call below is synchronous: the array stays pinned throughout
                Paced(() =>
                {
                    LibRdKafka.MockPushRequestErrorsArray(cluster, apiKey, (nuint)errors.Length, (int*)address);
                    return LibRdKafka.NoError;
                });
            }
        }
    }

    /// <summary>Stops every broker and frees the cluster. Safe to call more than once, from any thread.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_cluster == 0) return;
            // The cluster lives on the handle's resources, so it goes first.
            LibRdKafka.MockClusterDestroy(_cluster);
            LibRdKafka.Destroy(_handle);
            _cluster = 0;
            _handle = 0;
        }
    }

    private void SetBrokerState(int brokerId, bool down)
    {
        if (brokerId < 1 || brokerId > Brokers)
        {
            throw new ArgumentOutOfRangeException(nameof(brokerId), brokerId, $"broker ids run from 1 to {Brokers}");
        }

        lock (_gate)
        {
            var cluster = Cluster();
            if (_down[brokerId - 1] == down) return;
            var err = Paced(() => down ? LibRdKafka.MockBrokerSetDown(cluster, brokerId) : LibRdKafka.MockBrokerSetUp(cluster, brokerId));
            if (err != LibRdKafka.NoError)
            {
                throw new MockClusterException(err,
                    $"cannot set broker {brokerId} {(down ? "down" : "up")}: {LibRdKafka.ErrorText(err)}");
            }
            _down[brokerId - 1] = down;

            foreach (var (name, topic) in _topics)
            {
                for (var p = 0; p < topic.Leaders.Length; p++)
                {
                    if (!_down[topic.Leaders[p] - 1]) continue;
                    // Going down: the first replica in preference order that is up takes over.
                    // Coming up: an offline partition returns with the first of its replicas
                    // back, which needs no move if that is the leader it had.
                    var next = Array.Find(topic.Replicas[p], b => !_down[b - 1]);
                    if (next == 0 || next == topic.Leaders[p] || (!down && next != brokerId)) continue;
                    SetLeader(cluster, name, p, next);
                    topic.Leaders[p] = next;
                }
            }
        }
    }

    private void SetLeader(nint cluster, string topic, int partition, int brokerId)
    {
        var err = Paced(() => LibRdKafka.MockPartitionSetLeader(cluster, topic, partition, brokerId));
        if (err != LibRdKafka.NoError)
        {
            throw new MockClusterException(err,
                $"cannot make broker {brokerId} the leader of {topic} [{partition}]: {LibRdKafka.ErrorText(err)}");
        }
    }

    // See PaceInterval.
    private int Paced(Func<int> call)
    {
        if (Stopwatch.GetElapsedTime(_lastCall) < PaceInterval) Thread.Sleep(PaceInterval);
        var result = call();
        _lastCall = Stopwatch.GetTimestamp();
        return result;
    }

    private nint Cluster() => _cluster != 0 ? _cluster : throw new ObjectDisposedException(nameof(MockCluster));

    // The mock would accept any string; holding names to Kafka's rules keeps tests honest and
    // keeps names safe in URLs of the control API.
    private static void ValidateTopicName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!IsValidTopicName(name))
        {
            throw new ArgumentException(
                $"'{name}' is not a valid topic name (1-249 characters of A-Z a-z 0-9 . _ -, not '.' or '..')",
                nameof(name));
        }
    }

    /// <summary>Replica sets and current leaders of a topic created through this class.</summary>
    private sealed class ManagedTopic
    {
        public ManagedTopic(int partitions, int replicationFactor, int brokers)
        {
            Replicas = new int[partitions][];
            Leaders = new int[partitions];
            var led = new int[brokers + 1];
            for (var p = 0; p < partitions; p++)
            {
                // The replica set the mock reports (rd_kafka_mock_partition_assign_replicas:
                // consecutive brokers from index p × replicationFactor, wrapping). It is led by
                // the replica that leads the fewest partitions so far, and the others follow in
                // an order rotated by p, so that leadership spreads, also after a failover.
                var first = p * replicationFactor % brokers;
                var replicas = Enumerable.Range(0, replicationFactor).Select(k => (first + k) % brokers + 1).ToList();
                var leader = replicas.MinBy(b => led[b]);
                led[leader]++;
                replicas.Remove(leader);
                var turn = replicas.Count > 0 ? p % replicas.Count : 0;
                Replicas[p] = [leader, .. replicas[turn..], .. replicas[..turn]];
            }
        }

        /// <summary>Broker ids per partition, in leader preference order.</summary>
        public int[][] Replicas { get; }

        /// <summary>Current leader per partition; a down broker means the partition is offline.</summary>
        public int[] Leaders { get; }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex TopicName();

    // The mock needs an rd_kafka_t to live on; a producer with no brokers configured sends nothing.
    private static unsafe nint CreateHostHandle()
    {
        const int Size = 512;
        var errstr = stackalloc byte[Size];
        var conf = LibRdKafka.ConfNew();
        // Errors only: the host handle has nothing useful to say at notice level.
        if (LibRdKafka.ConfSet(conf, "log_level", "3", errstr, Size) != LibRdKafka.ConfOk)
        {
            LibRdKafka.ConfDestroy(conf);
            throw new MockClusterException(-1, $"librdkafka rejected log_level: {Text(errstr)}");
        }
        var handle = LibRdKafka.New(LibRdKafka.ProducerType, conf, errstr, Size);
        if (handle == 0)
        {
            LibRdKafka.ConfDestroy(conf); // rd_kafka_new takes the conf only when it succeeds
            throw new MockClusterException(-1, $"librdkafka could not create the mock cluster's host handle: {Text(errstr)}");
        }
        return handle;

        static string Text(byte* s) => Marshal.PtrToStringUTF8((nint)s) ?? "";
    }
}

/// <summary>A mock cluster operation failed; <see cref="ErrorCode"/> is librdkafka's error code, or -1.</summary>
public sealed class MockClusterException(int errorCode, string message) : Exception(message)
{
    /// <summary>librdkafka's <c>rd_kafka_resp_err_t</c>, e.g. 36 for TOPIC_ALREADY_EXISTS; -1 if none.</summary>
    public int ErrorCode { get; } = errorCode;
}
