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

    // Only the topics a test names exist: the command is to find the rest missing.
    private static Task<TestStack> StartAsync(Action<MockCluster, Topics> createTopics) =>
        new StackBuilder().Kafka(1, 6).Topics(createTopics).NoDatabase().InProcessWorkers(0).With("Kafka:Partitions", 6).StartAsync();

    private static Task<(int ExitCode, string Stdout, string Stderr)> EnsureAsync(TestStack stack, params string[] extra) =>
        stack.RunCliAsync(["topics", "ensure", .. extra], Deadline);

    [Fact(Timeout = 180_000)]
    public async Task Existing_topics_are_reported_with_their_partition_counts_and_left_alone()
    {
        await using var stack = await StartAsync((cluster, topics) =>
        {
            cluster.CreateTopics(topics.All.Where(t => t != topics.DeadLetters), 6);
            cluster.CreateTopic(topics.DeadLetters, 3);
        });
        var topics = stack.Topics;

        var (code, stdout, stderr) = await EnsureAsync(stack);

        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
        foreach (var topic in topics.All.Where(t => t != topics.DeadLetters))
            Assert.Contains($"{topic}: 6 partitions\n", stdout + "\n", StringComparison.Ordinal);
        Assert.Contains($"{topics.DeadLetters}: 3 partitions (Kafka:Partitions is 6; existing topics are left as they are)", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("created", stdout, StringComparison.Ordinal);
    }

    [Fact(Timeout = 180_000)]
    public async Task Topics_the_cluster_will_not_create_are_named_and_the_command_fails()
    {
        await using var stack = await StartAsync((cluster, topics) => cluster.CreateTopic(topics.Webhooks, 6));
        var (cluster, topics) = (stack.Cluster, stack.Topics);

        var (code, stdout, stderr) = await EnsureAsync(stack, "--timeout", "5");

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
