using Confluent.Kafka;
using Fairlane.Contracts;
using Fairlane.DevKafka;
using Fairlane.Tests.Infrastructure;

namespace Fairlane.Tests.Worker;

/// <summary>
/// `fairlane topics ensure` against the embedded cluster. It reports the partition counts of existing
/// topics. The embedded cluster does not serve CreateTopics, so creation itself is verified only
/// against a real cluster; here the command must say which topics it could not create and fail.
/// </summary>
[Trait("Category", "Integration")]
public sealed class TopicsCliTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    private static Task<(int ExitCode, string Stdout, string Stderr)> EnsureAsync(MockCluster cluster, Topics topics, params string[] extra)
    {
        var environment = WorkerEnvironment.For(null, cluster.BootstrapServers, topics.Prefix, FreePort.Next());
        environment["FAIRLANE__KAFKA__PARTITIONS"] = "6";
        return WorkerProcess.RunToEndAsync(["topics", "ensure", .. extra], environment, Deadline);
    }

    [Fact]
    public async Task Existing_topics_are_reported_with_their_partition_counts_and_left_alone()
    {
        using var cluster = MockCluster.Start(1);
        var topics = new Topics(TestServers.UniqueName("topics"));
        cluster.CreateTopics(topics.All.Where(t => t != topics.DeadLetters), 6);
        cluster.CreateTopic(topics.DeadLetters, 3);

        var (code, stdout, stderr) = await EnsureAsync(cluster, topics);

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        foreach (var topic in topics.All.Where(t => t != topics.DeadLetters))
            Assert.Contains($"{topic}: 6 partitions\n", stdout + "\n", StringComparison.Ordinal);
        Assert.Contains($"{topics.DeadLetters}: 3 partitions (Kafka:Partitions is 6; existing topics are left as they are)", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("created", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Topics_the_cluster_will_not_create_are_named_and_the_command_fails()
    {
        using var cluster = MockCluster.Start(1);
        var topics = new Topics(TestServers.UniqueName("topics"));
        cluster.CreateTopic(topics.Webhooks, 6);

        var (code, stdout, stderr) = await EnsureAsync(cluster, topics, "--timeout", "5");

        Assert.True(code == 1, $"exit {code}\n{stdout}\n{stderr}");
        Assert.Contains($"{topics.Webhooks}: 6 partitions", stdout, StringComparison.Ordinal);
        var missing = topics.All.Where(t => t != topics.Webhooks).ToList();
        foreach (var topic in missing) Assert.Contains($"{topic}: missing, not created:", stdout, StringComparison.Ordinal);
        Assert.Contains("could not create", stderr, StringComparison.Ordinal);

        // Nothing was created behind our back (a metadata request by name could auto-create them).
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build();
        var existing = admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics.Where(t => t.Error.Code == ErrorCode.NoError).Select(t => t.Topic).ToHashSet();
        Assert.All(missing, t => Assert.DoesNotContain(t, existing));
    }
}
