using System.Diagnostics;
using Confluent.Kafka;
using Fairlane.Tests.Infrastructure;
using Fairlane.Worker.Observability;

namespace Fairlane.Tests.Worker.Intake;

/// <summary>
/// Kafka:CommitIntervalMs drives the commits, read back from the group as any client sees them, and
/// the per-partition commit metrics say what a crash would re-deliver and for how long.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CommitTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    // What the group has committed, asked through the coordinator (Offset.Unset = nothing yet).
    private static long[] GroupCommitted(TestStack stack, int partitions)
    {
        using var reader = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = stack.Cluster.BootstrapServers,
            GroupId = $"{stack.Topics.Prefix}-group-webhooks", // Kafka:GroupId + the topic's own name
        }).Build();
        var committed = reader.Committed(Enumerable.Range(0, partitions).Select(p => new TopicPartition(stack.Topics.Webhooks, p)), TimeSpan.FromSeconds(10));
        return committed.Select(c => c.Offset.Value).ToArray();
    }

    [Fact(Timeout = 180_000)]
    public async Task A_long_commit_interval_means_no_commit_before_it_has_passed()
    {
        var clock = Stopwatch.StartNew();
        await using var stack = await new StackBuilder().Kafka(1, 2).With("Kafka:CommitIntervalMs", 60000).StartAsync();
        await stack.Db.RegisterTenantsAsync(EventSender.Tenants(4));
        var sent = await EventSender.SendAsync(stack.Producer, stack.Topics.Webhooks, count: 40, tenants: 4);
        await Eventually.WaitAsync(() => stack.ProcessedCountAsync(), n => n >= sent.Count, Deadline, "every event processed");

        var committed = GroupCommitted(stack, 2);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(55), $"inconclusive: {clock.Elapsed} passed, the first commit may be due");
        Assert.All(committed, offset => Assert.Equal(Offset.Unset.Value, offset));
    }

    [Fact(Timeout = 180_000)]
    public async Task A_short_commit_interval_commits_every_completed_offset_promptly()
    {
        await using var stack = await new StackBuilder().Kafka(1, 2).With("Kafka:CommitIntervalMs", 100).StartAsync();
        await stack.Db.RegisterTenantsAsync(EventSender.Tenants(4));
        var sent = await EventSender.SendAsync(stack.Producer, stack.Topics.Webhooks, count: 40, tenants: 4);

        await Eventually.WaitAsync(() => Task.FromResult(GroupCommitted(stack, 2).Where(o => o >= 0).Sum()), n => n == sent.Count, Deadline,
            "the group's committed offsets to cover every event");
    }

    /// <summary>
    /// One record is stuck (its processed-events row is locked by another transaction) while the
    /// records behind it on the same partition complete. The commit cannot pass the stuck one, so a
    /// crash would re-deliver all of them: the uncommitted window is six, not the one record still
    /// incomplete, and the commit age keeps growing while the partition looks busy.
    /// </summary>
    [Fact(Timeout = 180_000)]
    public async Task Uncommitted_window_and_commit_age_follow_a_record_stuck_in_front_of_completed_ones()
    {
        await using var stack = await new StackBuilder().Kafka(1, 1).With("Kafka:CommitIntervalMs", 200).StartAsync();
        await stack.Db.RegisterTenantsAsync(["stuck", "busy"]);
        var topic = stack.Topics.Webhooks;
        var uncommitted = FairlaneMetrics.UncommittedOffsets.WithLabels(topic, "0");
        var age = FairlaneMetrics.CommitAge.WithLabels(topic, "0");
        var stuck = EventSender.StockEvent("stuck", 0);

        await using var blocker = await stack.Db.Owner.OpenConnectionAsync();
        await using var lockTx = await blocker.BeginTransactionAsync();
        await using (var insert = new Npgsql.NpgsqlCommand(
            "INSERT INTO processed_events (tenant_id, event_id, topic, partition, \"offset\") VALUES ('stuck', @id, @topic, 0, 0)", blocker, lockTx))
        {
            insert.Parameters.AddWithValue("id", stuck.Id);
            insert.Parameters.AddWithValue("topic", topic);
            await insert.ExecuteNonQueryAsync();
        }

        await stack.Producer.ProduceAsync(topic, stuck); // offset 0: its transaction waits on our row lock
        for (var i = 1; i <= 5; i++) await stack.Producer.ProduceAsync(topic, EventSender.StockEvent("busy", i)); // offsets 1-5
        await Eventually.WaitAsync(() => stack.Db.ScalarAsync<long>("SELECT count(*) FROM processed_events WHERE tenant_id = 'busy'"),
            n => n == 5, Deadline, "the records behind the stuck one processed");

        await Eventually.WaitAsync(() => Task.FromResult(uncommitted.Value), v => v == 6, Deadline, "fairlane_uncommitted_offsets to be 6");
        var early = await Eventually.WaitAsync(() => Task.FromResult(age.Value), a => a > 0, Deadline, "a commit age above zero");
        await Eventually.WaitAsync(() => Task.FromResult(age.Value), a => a >= early + 3, Deadline, $"the commit age to keep growing past {early + 3} s");

        await lockTx.RollbackAsync(); // the stuck record proceeds
        await Eventually.WaitAsync(() => Task.FromResult((Uncommitted: uncommitted.Value, Age: age.Value)), s => s is (0, 0), Deadline,
            "the window to close and the commit age to drop to zero");
        Assert.Equal(new long[] { 6 }, GroupCommitted(stack, 1));
    }
}
