using Fairlane.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Fairlane.Tests.Worker.Engine;

/// <summary>
/// Real worker processes against one cluster and database: crashes and a fleet that grows. Every event
/// is a sale on a mapped item, so what is lost, doubled or run out of order shows in stock and sync
/// history per product (<see cref="DeltaStream"/>), not only in ledger rows a primary key already guards.
/// </summary>
[Trait("Category", "Integration")]
public sealed class FleetTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(180);

    // More than the queue cap per tenant (Engine:TenantQueueDepth 50), so every crash also hits parked backlogs.
    private static Task<TestStack> StartAsync(int handlerDelayMs) => new StackBuilder().Kafka(3, 24).ForProcesses()
        .With("Engine:TenantQueueDepth", 50)
        .With("Engine:ArtificialHandlerDelayMs", handlerDelayMs)
        .StartAsync();

    [Fact(Timeout = 420_000)]
    public async Task Killing_the_worker_at_random_points_loses_nothing_and_applies_nothing_twice()
    {
        const int Events = 20_000;
        await using var fleet = await StartAsync(handlerDelayMs: 1);
        var sales = await DeltaStream.SeedAsync(fleet.Db, EventSender.Tenants(20), products: 10);
        await fleet.SendAsync(sales.Next(Events));
        var seed = Environment.TickCount;
        var random = new Random(seed);
        output.WriteLine($"seed {seed}");

        for (var crash = 1; crash <= 3; crash++)
        {
            await using var worker = fleet.StartProcess(FreePort.Next());
            var before = await ProcessedAsync(fleet.Db);
            var target = before + random.Next(300, 3_000);
            await Eventually.WaitAsync(() => ProcessedAsync(fleet.Db), n => n >= target, Deadline, $"progress to {target} before crash {crash}");
            await worker.KillAsync();
            output.WriteLine($"crash {crash}: killed with {await ProcessedAsync(fleet.Db)} events processed, {await ParkedAsync(fleet.Db)} parked");
        }

        await using var survivor = fleet.StartProcess(FreePort.Next());
        await sales.WaitUntilAppliedAsync(fleet.Db, Deadline);
    }

    [Fact(Timeout = 420_000)]
    public async Task A_second_worker_joining_mid_stream_takes_partitions_and_nothing_is_lost_or_doubled()
    {
        await using var fleet = await StartAsync(handlerDelayMs: 3);
        var sales = await DeltaStream.SeedAsync(fleet.Db, EventSender.Tenants(48), products: 5);
        var (portA, portB) = (FreePort.Next(), FreePort.Next());
        // Both nodes run every agent: each topic has its own consumer group, so the busy webhooks
        // topic is split between them even though three idle topics are consumed too.
        await using var a = fleet.StartProcess(portA);
        using var metricsA = new MetricsScrape(portA);
        using var metricsB = new MetricsScrape(portB);
        const string Processed = "fairlane_events_processed_total{agent=\"watcher\"}";
        WorkerProcess? b = null;
        try
        {
            // Stream until the second worker owns partitions, then a little longer, so both have work.
            var chunksAfterJoin = -1;
            for (var chunk = 0; chunksAfterJoin < 5; chunk++)
            {
                Assert.True(chunk < 120, $"the second worker never got partitions. Its warnings:\n{b?.StandardOutput}");
                await fleet.SendAsync(sales.Next(500));
                if (chunk == 2) b = fleet.StartProcess(portB);
                if (chunksAfterJoin >= 0) chunksAfterJoin++;
                else if (b is not null && await fleet.WebhookPartitionsOfAsync(metricsB) > 0) chunksAfterJoin = 0;
                await Task.Delay(250); // paces the stream; nothing waits on this
            }

            await sales.WaitUntilAppliedAsync(fleet.Db, Deadline);
            var (byA, byB) = (await metricsA.ReadAsync(Processed) ?? 0, await metricsB.ReadAsync(Processed) ?? 0);
            output.WriteLine($"{sales.Sent} sales: worker A processed {byA}, worker B processed {byB}");
            Assert.True(byB > 0, "the second worker processed nothing");
            Assert.True(byA > 0);
        }
        finally
        {
            if (b is not null) await b.DisposeAsync();
        }
    }

    private static Task<long> ProcessedAsync(TestDatabase db) =>
        db.ScalarAsync<long>("SELECT count(*) FROM processed_events WHERE topic LIKE '%.webhooks'");

    private static Task<long> ParkedAsync(TestDatabase db) => db.ScalarAsync<long>("SELECT count(*) FROM parked_events");
}
