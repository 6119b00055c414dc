using Fairlane.Tests.Infrastructure;
using Fairlane.Worker.Observability;

namespace Fairlane.Tests.Worker.Intake;

/// <summary>
/// Faults reach the consume loop through the broker itself (the embedded cluster answers requests
/// with injected errors), not through a test hook: a position reset backwards is handled per record;
/// a consumer that dies stops the node with exit code 1.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ConsumeLoopFaultTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    // Kafka API keys and error codes (the Kafka protocol's numbering).
    private const short Fetch = 1;
    private const short Heartbeat = 12;
    private const int OffsetOutOfRange = 1;
    private const int FencedInstanceId = 82;

    // Regression: the offset ledger threw on an offset it had already passed, which killed the topic's
    // consume loop; the node went on running with that topic unread.
    [Fact(Timeout = 180_000)]
    public async Task After_an_offset_reset_sends_the_position_back_the_loop_skips_the_rewound_records_and_keeps_consuming()
    {
        await using var stack = await new StackBuilder().Kafka(1, 1).StartAsync();
        await stack.Db.RegisterTenantsAsync(EventSender.Tenants(2));
        var rewound = FairlaneMetrics.OffsetsRewound.WithLabels(stack.Topics.Webhooks);
        await EventSender.SendAsync(stack.Producer, stack.Topics.Webhooks, count: 20, tenants: 2);
        await Eventually.WaitAsync(() => stack.ProcessedCountAsync(), n => n == 20, Deadline, "the first 20 events processed");

        // Each fetch that gets the error resets its consumer to the earliest offset (auto.offset.reset):
        // the webhooks consumer reads offsets 0-19 again. Several are queued because every one of the
        // node's consumers fetches; whichever takes them resets.
        stack.Cluster.PushRequestErrors(Fetch, Enumerable.Repeat(OffsetOutOfRange, 10).ToArray());
        await Eventually.WaitAsync(() => rewound.Value >= 20, Deadline, "the 20 rewound records to be skipped");

        await EventSender.SendAsync(stack.Producer, stack.Topics.Webhooks, count: 20, tenants: 2, firstSequence: 20);
        await Eventually.WaitAsync(() => stack.ProcessedCountAsync(), n => n == 40, Deadline, "the next 20 events processed");
        Assert.Equal(40, await stack.Db.ScalarAsync<long>("""SELECT count(DISTINCT "offset") FROM processed_events"""));
    }

    // Regression: a consumer that died (here from a fatal Kafka error) ended only its own thread; the
    // node kept running, healthy to systemd, with that topic unread.
    [Fact(Timeout = 180_000)]
    public async Task A_worker_whose_consumer_dies_exits_with_code_1()
    {
        await using var stack = await new StackBuilder().Kafka(1, 1).Tenants("acme").InProcessWorkers(0).StartAsync();
        var (cluster, db) = (stack.Cluster, stack.Db);
        var daemon = stack.StartProcess(FreePort.Next());
        await stack.Producer.ProduceAsync(stack.Topics.Webhooks, EventSender.StockEvent("acme", 1));
        await Eventually.WaitAsync(() => db.ScalarAsync<long>("SELECT count(*) FROM processed_events"), n => n == 1, Deadline,
            "the daemon to consume");

        // The group coordinator fences the next heartbeat, of whichever of the node's consumers sends it
        // first: librdkafka raises a fatal error in that one consumer, and the others go on.
        cluster.PushRequestErrors(Heartbeat, FencedInstanceId);

        Assert.Equal(1, await daemon.WaitForExitAsync(Deadline));
        Assert.Contains("a service faulted", daemon.StandardError);
        Assert.Contains("consume loop", daemon.StandardError);
    }
}
