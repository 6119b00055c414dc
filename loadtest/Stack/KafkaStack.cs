using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Fairlane.Producing;
using Fairlane.DevKafka;

namespace Fairlane.LoadTest.Stack;

/// <summary>
/// The Kafka the run uses: the embedded mock cluster hosted in this process (3 brokers), or a
/// configured cluster (<c>--bootstrap</c>). Topics are created here either way: the mock does not
/// serve the admin API's CreateTopics, so it gets them through its own call.
/// </summary>
internal sealed class KafkaStack : IDisposable
{
    private readonly MockCluster? _mock;

    private KafkaStack(MockCluster? mock, string bootstrapServers)
    {
        _mock = mock;
        BootstrapServers = bootstrapServers;
    }

    public string BootstrapServers { get; }
    public bool IsEmbedded => _mock is not null;

    public static KafkaStack Start(string? bootstrapServers)
    {
        KafkaNativeLibrary.EnsureLoaded();
        if (!string.IsNullOrWhiteSpace(bootstrapServers)) return new KafkaStack(null, bootstrapServers);
        var mock = MockCluster.Start(brokers: 3);
        return new KafkaStack(mock, mock.BootstrapServers);
    }

    public async Task CreateTopicsAsync(IEnumerable<string> topics, int partitions)
    {
        if (_mock is not null)
        {
            _mock.CreateTopics(topics, partitions);
            return;
        }
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = BootstrapServers }).Build();
        try
        {
            await admin.CreateTopicsAsync(topics.Select(t => new TopicSpecification { Name = t, NumPartitions = partitions, ReplicationFactor = -1 }));
        }
        catch (CreateTopicsException ex) when (ex.Results.All(r => r.Error.Code is ErrorCode.NoError or ErrorCode.TopicAlreadyExists))
        {
            // Topic names carry the run's unique prefix, so "exists" only happens on a retry of the same run.
        }
    }

    /// <summary>Takes an embedded broker down or brings it back (the chaos run's broker outage).</summary>
    public void SetBrokerDown(int brokerId, bool down)
    {
        var mock = _mock ?? throw new InvalidOperationException("Only the embedded cluster's brokers can be taken down by the harness.");
        if (down) mock.SetBrokerDown(brokerId);
        else mock.SetBrokerUp(brokerId);
    }

    public void Dispose() => _mock?.Dispose();
}
